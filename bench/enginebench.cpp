// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck-enginebench: throughput of the queue engine in process, on a real SQLite store with
// durability `normal`. Prints a Markdown table of what it measured, and each floor it checks.
//
//   qdeck-enginebench [--dir DIR] [--quick]
//
// --quick runs smaller counts (a smoke run; the floors are judged on the full run only).

#include "benchsupport.h"
#include "engine.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <deque>
#include <thread>

#include <unistd.h>

using namespace QueueDeck;
using QueueDeck::Bench::benchTask;
using QueueDeck::Bench::must;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

qint64 rssKb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

struct Fresh
{
    QTemporaryDir dir;
    std::unique_ptr<Engine> engine;
    QString queueId;

    explicit Fresh(const QString &parent)
        : dir(QDir(parent).filePath(QStringLiteral("bench-XXXXXX")))
    {
        EngineOptions options;
        options.dataDirectory = dir.path();
        engine = std::make_unique<Engine>(options);
        if (auto started = engine->start(); !started) {
            std::fprintf(stderr, "start failed: %s\n", qPrintable(started.error().message));
            std::exit(1);
        }
        QueueSettings settings;
        settings.maxWorkers = 0;
        queueId =
            must(engine->createQueue(QStringLiteral("default"), QStringLiteral("bench"), settings),
                 "create queue")
                .id;
    }
};

// Fills the queue with n tasks in batches of 1000 (not timed).
void fill(Engine &engine, const QString &queueId, int n)
{
    std::deque<QFuture<Result<QStringList>>> inFlight;
    for (int i = 0; i < n; i += 1000) {
        QList<EnqueueRequest> batch;
        for (int j = i; j < qMin(n, i + 1000); ++j)
            batch.append(benchTask(j));
        inFlight.push_back(engine.enqueueBatch(queueId, batch));
        if (inFlight.size() >= 8) {
            must(inFlight.front(), "fill");
            inFlight.pop_front();
        }
    }
    for (auto &future : inFlight)
        must(future, "fill");
}

// Batched enqueue: one caller, 100 tasks per call, up to `window` calls in flight.
double batchedEnqueue(const QString &parent, int n, int window)
{
    Fresh fresh(parent);
    ::sync(); // earlier work's writeback must not land in this measurement
    QList<EnqueueRequest> batch;
    for (int j = 0; j < 100; ++j)
        batch.append(benchTask(j));
    std::deque<QFuture<Result<QStringList>>> inFlight;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < n; i += 100) {
        inFlight.push_back(fresh.engine->enqueueBatch(fresh.queueId, batch));
        if (int(inFlight.size()) >= window) {
            must(inFlight.front(), "enqueue batch");
            inFlight.pop_front();
        }
    }
    for (auto &future : inFlight)
        must(future, "enqueue batch");
    return n / (timer.nsecsElapsed() / 1e9);
}

// Single enqueues from `callers` threads, each waiting for its answer before the next call.
double concurrentSingleEnqueue(const QString &parent, int n, int callers)
{
    Fresh fresh(parent);
    ::sync();
    std::vector<std::thread> threads;
    QElapsedTimer timer;
    timer.start();
    for (int c = 0; c < callers; ++c) {
        threads.emplace_back([&, c] {
            for (int i = c; i < n; i += callers)
                must(fresh.engine->enqueue(fresh.queueId, benchTask(i)), "enqueue");
        });
    }
    for (auto &thread : threads)
        thread.join();
    return n / (timer.nsecsElapsed() / 1e9);
}

// Lease + batched complete: `workers` threads each lease up to `perCall` tasks and ack them in
// one call, until `toDrain` tasks are done. The queue holds `queued` tasks when the clock starts.
double leaseComplete(const QString &parent, int queued, int toDrain, int workers, int perCall)
{
    Fresh fresh(parent);
    fill(*fresh.engine, fresh.queueId, queued);
    std::vector<QString> workerIds;
    for (int w = 0; w < workers; ++w) {
        RegisterRequest request;
        request.queueIds = {fresh.queueId};
        request.hostname = QStringLiteral("bench");
        request.concurrency = perCall;
        workerIds.push_back(must(fresh.engine->registerWorker(request), "register").workerId);
    }
    ::sync(); // the fill's writeback is not part of the drain
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    QElapsedTimer timer;
    timer.start();
    for (int w = 0; w < workers; ++w) {
        threads.emplace_back([&, w] {
            while (done.load() < toDrain) {
                const auto leased =
                    must(fresh.engine->lease({workerIds[size_t(w)], perCall, 0}), "lease");
                if (leased.isEmpty())
                    break;
                CompleteRequest complete{workerIds[size_t(w)], {}, {}};
                for (const LeasedTask &t : leased)
                    complete.acks.append({t.id, t.leaseId, {}});
                const auto outcomes = must(fresh.engine->complete(complete), "complete");
                for (const ItemOutcome &outcome : outcomes) {
                    if (outcome.error) {
                        std::fprintf(stderr, "ack refused: %s\n",
                                     qPrintable(outcome.error->message));
                        std::exit(1);
                    }
                }
                done += int(outcomes.size());
            }
        });
    }
    for (auto &thread : threads)
        thread.join();
    return done.load() / (timer.nsecsElapsed() / 1e9);
}

// Reopen: a child process opens a store holding `queued` tasks and reports time and RSS.
struct Reopen
{
    double seconds = 0;
    qint64 rssKb = 0;
};

Reopen reopen(const QString &parent, int queued)
{
    QString path;
    {
        Fresh fresh(parent);
        fill(*fresh.engine, fresh.queueId, queued);
        fresh.engine->stop();
        path = QDir(parent).filePath(QStringLiteral("reopen-store"));
        QDir(path).removeRecursively();
        QDir().rename(fresh.dir.path(), path);
    }
    QProcess child;
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--open-only"), path});
    child.waitForFinished(120000);
    const QList<QByteArray> fields = child.readAllStandardOutput().trimmed().split(' ');
    QDir(path).removeRecursively();
    if (fields.size() != 2) {
        std::fprintf(stderr, "reopen child failed: %s\n", child.readAllStandardError().constData());
        std::exit(1);
    }
    return Reopen{fields[0].toDouble(), fields[1].toLongLong()};
}

int openOnly(const QString &path)
{
    EngineOptions options;
    options.dataDirectory = path;
    QElapsedTimer timer;
    timer.start();
    Engine engine(options);
    if (auto started = engine.start(); !started) {
        std::fprintf(stderr, "%s\n", qPrintable(started.error().message));
        return 1;
    }
    const double seconds = timer.nsecsElapsed() / 1e9;
    const auto queues = must(engine.listQueues(), "list");
    qint64 queued = 0;
    for (const QueueInfo &queue : queues)
        queued += queue.counts.queued;
    std::fprintf(stderr, "reopened with %lld queued tasks\n", queued);
    std::printf("%.3f %lld\n", seconds, rssKb());
    return 0;
}

// The median of `runs` measurements: short workloads vary from run to run on a shared machine.
template <typename Measure> double median(int runs, Measure measure)
{
    std::vector<double> values;
    for (int i = 0; i < runs; ++i)
        values.push_back(measure());
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

QString verdict(bool met)
{
    return met ? QStringLiteral("met") : QStringLiteral("NOT MET");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("queuedeck.*.info=false"));
    const QStringList args = app.arguments();
    if (args.value(1) == u"--open-only")
        return openOnly(args.value(2));
    const bool quick = args.contains(QStringLiteral("--quick"));
    if (const qsizetype at = args.indexOf(QStringLiteral("--only-drain")); at > 0) {
        const int queued = args.value(at + 1).toInt();
        out() << qRound(leaseComplete(QDir::tempPath(), queued, qMin(queued, 100000), 8, 8))
              << " tasks/s\n";
        return 0;
    }
    QString parent = QDir::tempPath();
    if (const qsizetype at = args.indexOf(QStringLiteral("--dir")); at > 0)
        parent = args.value(at + 1);

    const int scale = quick ? 10 : 1;
    const int bigQueue = quick ? 100000 : 1000000;
    out() << "| workload | result | floor | verdict |\n|---|---|---|---|\n";
    out().flush();

    const double batched = batchedEnqueue(parent, 1'000'000 / scale, 16);
    out() << "| batched enqueue, 100 per call, 1 caller (16 calls in flight) | " << qRound(batched)
          << " tasks/s | 150000 | " << verdict(batched >= 150000) << " |\n";
    out().flush();

    const double single = concurrentSingleEnqueue(parent, 200'000 / scale, 16);
    out() << "| single enqueue, 16 concurrent callers | " << qRound(single) << " tasks/s | 50000 | "
          << verdict(single >= 50000) << " |\n";
    out().flush();

    const int runs = quick ? 1 : 5;
    const double drainSmall =
        median(runs, [&] { return leaseComplete(parent, 20000, 20000, 8, 8); });
    out() << "| lease + complete (8 per call, 8 workers), 20,000 queued, median of " << runs
          << " | " << qRound(drainSmall) << " tasks/s | 40000 | " << verdict(drainSmall >= 40000)
          << " |\n";
    out().flush();

    const double drainBig =
        median(runs, [&] { return leaseComplete(parent, bigQueue, 100000 / scale, 8, 8); });
    const double ratio = drainBig / drainSmall;
    out() << "| lease + complete (8 per call, 8 workers), " << bigQueue
          << " queued, first 100,000, median of " << runs << " | " << qRound(drainBig)
          << " tasks/s (" << QString::number(ratio, 'f', 2) << "x the 20,000 figure) | 0.8x | "
          << verdict(ratio >= 0.8) << " |\n";
    out().flush();

    const Reopen reopened = reopen(parent, bigQueue);
    out() << "| reopen a store holding " << bigQueue << " queued tasks | "
          << QString::number(reopened.seconds, 'f', 2) << " s, RSS " << reopened.rssKb / 1024
          << " MB | 3 s, 200 MB | "
          << verdict(reopened.seconds <= 3.0 && reopened.rssKb <= 200 * 1024) << " |\n";
    out().flush();
    if (quick)
        out() << "\n(quick run: smaller counts; floors are judged on the full run)\n";
    return 0;
}
