// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck-enginebench: throughput of the queue engine in process, on a real SQLite store with
// durability `normal`. Prints a Markdown table of what it measured and, beside each rate, what the
// process spent per task: CPU µs, context switches and, with --syscalls (needs perf), system
// calls. Rates depend on the machine and its load; the only check is a ratio (a drain from a big
// queue against one from a small queue); the program exits 2 when it fails.
//
//   qdeck-enginebench [--dir DIR] [--quick] [--syscalls] [--payload BYTES]
//                     [--condition idle|busy-core|pin0 | --conditions all]
//
// --quick runs smaller counts (a smoke run). --payload: the size of each task's payload (the
// default is the peer harness's 45-byte one). --condition: what the run is under (a CPU hog beside
// it, or everything on CPU 0); every row names it. The engine runs in this process, so there is no
// peer figure to compare with: the peer targets are qdeck-apibench's.

#include "benchcondition.h"
#include "benchsupport.h"
#include "engine.h"
#include "processcost.h"
#include "protocol/headlesseventloop.h"

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

// A rate and what the process spent per task meanwhile.
struct Measured
{
    double rate = 0;
    QString cost;
};

bool s_syscalls = false;
QString s_condition = QStringLiteral("idle");
int s_payloadBytes = 0; // 0: the harness's payload

EnqueueRequest task(int i)
{
    EnqueueRequest request = benchTask(i);
    if (s_payloadBytes > 0) {
        const QByteArray head = "{\"i\":" + QByteArray::number(i) + ",\"pad\":\"";
        request.payload =
            head + QByteArray(qMax(0, s_payloadBytes - int(head.size()) - 2), 'x') + "\"}";
    }
    return request;
}

// Fills the queue with n tasks in batches of 1000 (not timed).
void fill(Engine &engine, const QString &queueId, int n)
{
    std::deque<QFuture<Result<QStringList>>> inFlight;
    for (int i = 0; i < n; i += 1000) {
        QList<EnqueueRequest> batch;
        for (int j = i; j < qMin(n, i + 1000); ++j)
            batch.append(task(j));
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
Measured batchedEnqueue(const QString &parent, int n, int window)
{
    Fresh fresh(parent);
    ::sync(); // earlier work's writeback must not land in this measurement
    QList<EnqueueRequest> batch;
    for (int j = 0; j < 100; ++j)
        batch.append(task(j));
    std::deque<QFuture<Result<QStringList>>> inFlight;
    Bench::CostMeter cost(QStringLiteral("process"), 0, s_syscalls);
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
    const double seconds = timer.nsecsElapsed() / 1e9;
    return {n / seconds, cost.finish(n)};
}

// Single enqueues from `callers` threads, each waiting for its answer before the next call.
Measured concurrentSingleEnqueue(const QString &parent, int n, int callers)
{
    Fresh fresh(parent);
    ::sync();
    std::vector<std::thread> threads;
    Bench::CostMeter cost(QStringLiteral("process"), 0, s_syscalls);
    QElapsedTimer timer;
    timer.start();
    for (int c = 0; c < callers; ++c) {
        threads.emplace_back([&, c] {
            for (int i = c; i < n; i += callers)
                must(fresh.engine->enqueue(fresh.queueId, task(i)), "enqueue");
        });
    }
    for (auto &thread : threads)
        thread.join();
    const double seconds = timer.nsecsElapsed() / 1e9;
    return {n / seconds, cost.finish(n)};
}

// Lease + batched complete: `workers` threads each lease up to `perCall` tasks and ack them in
// one call, until `toDrain` tasks are done. The queue holds `queued` tasks when the clock starts.
Measured leaseComplete(const QString &parent, int queued, int toDrain, int workers, int perCall)
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
    Bench::CostMeter cost(QStringLiteral("process"), 0, s_syscalls);
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
    const double seconds = timer.nsecsElapsed() / 1e9;
    return {done.load() / seconds, cost.finish(done.load())};
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
template <typename Measure> Measured median(int runs, Measure measure)
{
    std::vector<Measured> values;
    for (int i = 0; i < runs; ++i)
        values.push_back(measure());
    std::sort(values.begin(), values.end(),
              [](const Measured &a, const Measured &b) { return a.rate < b.rate; });
    return values[values.size() / 2];
}

void row(const QString &workload, const Measured &measured, const QString &unit,
         const QString &check = QStringLiteral("—"))
{
    out() << "| " << s_condition << " | " << workload << " | "
          << (measured.rate > 0 ? QString::number(qRound(measured.rate)) + u' ' + unit
                                : QStringLiteral("no samples"))
          << " | " << measured.cost << " | " << check << " |\n";
    out().flush();
}

} // namespace

int main(int argc, char *argv[])
{
    QueueDeck::useHeadlessEventLoop();
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("queuedeck.*.info=false"));
    const QStringList args = app.arguments();
    if (args.value(1) == u"--open-only")
        return openOnly(args.value(2));
    const bool quick = args.contains(QStringLiteral("--quick"));
    s_syscalls = args.contains(QStringLiteral("--syscalls"));
    if (const qsizetype at = args.indexOf(QStringLiteral("--payload")); at > 0)
        s_payloadBytes = args.value(at + 1).toInt();
    if (const qsizetype at = args.indexOf(QStringLiteral("--only-drain")); at > 0) {
        const int queued = args.value(at + 1).toInt();
        const Measured drained =
            leaseComplete(QDir::tempPath(), queued, qMin(queued, 100000), 8, 8);
        out() << qRound(drained.rate) << " tasks/s; " << drained.cost << "\n";
        return 0;
    }
    QString parent = QDir::tempPath();
    if (const qsizetype at = args.indexOf(QStringLiteral("--dir")); at > 0)
        parent = args.value(at + 1);

    const auto conditions = Bench::conditionsFromArguments(args);
    if (!conditions) {
        std::fprintf(stderr, "%s\n", qPrintable(conditions.error()));
        return 1;
    }

    const int scale = quick ? 10 : 1;
    const int bigQueue = quick ? 100000 : 1000000;
    out() << "| condition | workload | result | cost per task | check |\n|---|---|---|---|---|\n";
    out().flush();
    bool allMet = true;
    for (const Bench::Condition condition : *conditions) {
        const Bench::ConditionScope scope(condition);
        if (!scope.error().isEmpty()) {
            std::fprintf(stderr, "cannot run under %s: %s\n",
                         qPrintable(Bench::conditionName(condition)), qPrintable(scope.error()));
            return 1;
        }
        s_condition = Bench::conditionName(condition);

        row(QStringLiteral("batched enqueue, 100 per call, 1 caller (16 calls in flight)"),
            batchedEnqueue(parent, 1'000'000 / scale, 16), QStringLiteral("tasks/s"));
        row(QStringLiteral("single enqueue, 16 concurrent callers"),
            concurrentSingleEnqueue(parent, 200'000 / scale, 16), QStringLiteral("tasks/s"));

        const int runs = quick ? 1 : 5;
        const Measured drainSmall =
            median(runs, [&] { return leaseComplete(parent, 20000, 20000, 8, 8); });
        row(QStringLiteral("lease + complete (8 per call, 8 workers), 20,000 queued, median of %1")
                .arg(runs),
            drainSmall, QStringLiteral("tasks/s"));

        const Measured drainBig =
            median(runs, [&] { return leaseComplete(parent, bigQueue, 100000 / scale, 8, 8); });
        const double ratio = drainSmall.rate > 0 ? drainBig.rate / drainSmall.rate : 0;
        const bool ratioMet = ratio >= 0.8;
        row(QStringLiteral("lease + complete (8 per call, 8 workers), %1 queued, first 100,000, "
                           "median of %2")
                .arg(bigQueue)
                .arg(runs),
            drainBig, QStringLiteral("tasks/s"),
            QStringLiteral("%1x the 20,000 figure; ≥ 0.8x: %2")
                .arg(ratio, 0, 'f', 2)
                .arg(ratioMet ? QStringLiteral("met") : QStringLiteral("NOT MET")));

        allMet &= ratioMet;
        const Reopen reopened = reopen(parent, bigQueue);
        out() << "| " << s_condition << " | reopen a store holding " << bigQueue
              << " queued tasks | " << QString::number(reopened.seconds, 'f', 2) << " s, RSS "
              << reopened.rssKb / 1024 << " MB | — | — |\n";
        out().flush();
    }
    out() << "\nPayload: "
          << (s_payloadBytes > 0 ? QString::number(s_payloadBytes) + QStringLiteral(" bytes")
                                 : QStringLiteral("the harness's 45 bytes"))
          << ". CPU and context switches: getrusage of this process (engine and callers); "
             "syscalls: perf stat -e raw_syscalls:sys_enter (--syscalls). Conditions: idle "
             "(nothing added), busy-core (a child process spinning at the same priority), pin0 "
             "(this process on CPU 0).\n";
    if (quick)
        out() << "(quick run: smaller counts)\n";
    return allMet ? 0 : 2;
}
