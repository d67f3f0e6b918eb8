// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck-bench-adapter: QueueDeck in the peer benchmark harness (../shared/bench/peers), through
// QueueDeck's own client library, as every peer is driven by its own client.
//
//   qdeck-bench-adapter setup | enqueue N BATCH | produce RATE SECONDS FIRST | consume C | pending
//
// Environment: BENCH_HTTP_URL (the server), BENCH_DATA_DIR (its data directory: the admin token
// is read from there), BENCH_QUEUE (queue name), BENCH_REC_DIR (record files of `consume`).
// Prints one JSON line as the contract says. The server runs with its ordinary settings.
// One-by-one enqueues (W1, W3) ask for the task's id alone (QueueDeckClient::enqueueId, Prefer:
// return=minimal), as a producer that needs no more would: still one awaited request per job,
// each task committed before its answer.

#include "protocol/headlesseventloop.h"
#include "queuedeckclient.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

using namespace QueueDeck;
using namespace QueueDeck::Client;

namespace {

// CLOCK_MONOTONIC in microseconds: the clock of every adapter of the harness.
qint64 nowUs()
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return qint64(t.tv_sec) * 1'000'000 + t.tv_nsec / 1000;
}

[[noreturn]] void fail(const QString &what)
{
    std::fprintf(stderr, "qdeck-bench-adapter: %s\n", qPrintable(what));
    std::exit(1);
}

template <typename T> T must(QFuture<Result<T>> reply, const char *what)
{
    Result<T> result = reply.result();
    if (!result)
        fail(QStringLiteral("%1: %2").arg(QLatin1StringView(what), result.error().message));
    if constexpr (!std::is_void_v<T>)
        return std::move(*result);
}

void print(const QJsonObject &object)
{
    std::printf("%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

struct Bench
{
    QUrl server;
    QString adminToken;
    QString queueName;

    static Bench fromEnvironment()
    {
        Bench b;
        b.server = QUrl(qEnvironmentVariable("BENCH_HTTP_URL"));
        QFile token(
            QDir(qEnvironmentVariable("BENCH_DATA_DIR")).filePath(QStringLiteral("admin-token")));
        // A server on PostgreSQL takes its port before it leads and writes the admin token: the
        // harness's first call may come in between, so the token gets up to 30 s to appear.
        QElapsedTimer started;
        started.start();
        while (b.server.isValid() && !token.exists() && started.elapsed() < 30'000)
            QThread::msleep(20);
        if (!b.server.isValid() || !token.open(QIODevice::ReadOnly))
            fail(QStringLiteral("set BENCH_HTTP_URL and BENCH_DATA_DIR (with admin-token in it)"));
        b.adminToken = QString::fromUtf8(token.readAll()).trimmed();
        b.queueName = qEnvironmentVariable("BENCH_QUEUE", QStringLiteral("bench"));
        return b;
    }

    // A client of the calling thread that awaits each answer.
    std::unique_ptr<QueueDeckClient> client(const QString &token) const
    {
        ClientOptions options{server, token};
        options.blocking = true;
        return std::make_unique<QueueDeckClient>(options);
    }

    // The queue's id; created when missing, with the server's ordinary defaults except no cap
    // on workers (the harness decides how many consume).
    QString queueId(QueueDeckClient &admin) const
    {
        for (const QueueInfo &queue : must(admin.listQueues(QStringLiteral("default")), "list"))
            if (queue.name == queueName)
                return queue.id;
        QueueSettings settings;
        settings.maxWorkers = 0;
        return must(admin.createQueue(QStringLiteral("default"), queueName, settings), "create").id;
    }
};

EnqueueRequest job(qint64 i)
{
    EnqueueRequest request;
    request.type = QStringLiteral("bench");
    request.payload =
        "{\"i\":" + QByteArray::number(i) + ",\"t\":" + QByteArray::number(nowUs()) + '}';
    return request;
}

std::atomic<bool> s_stop{false};

// One consumer: a worker of its own that holds at most `slots` leased tasks. Each leased task
// is handled (the record line); the next call acknowledges them and leases the next ones.
void consumeLoop(const Bench &bench, const QString &joinToken, const QString &queueId, int slots,
                 int recordFd)
{
    auto joiner = bench.client(joinToken);
    RegisterRequest request;
    request.queueIds = {queueId};
    request.hostname = QStringLiteral("bench");
    request.concurrency = slots;
    const Registration registration = must(joiner->registerWorker(request), "register");
    auto worker = bench.client(registration.credential);
    char line[64];
    QList<LeasedTask> leased;
    QList<TaskAck> acks;
    while (!s_stop.load()) {
        // Acknowledge what was handled and lease the next ones in one round trip; 1 s long-polls
        // answer at once when work arrives, and the stop is seen soon.
        auto answer =
            worker->completeAndLease(registration.workerId, acks, {}, slots, 1000).result();
        if (!answer) {
            QThread::msleep(100); // the acks stay; they go with the next call
            continue;
        }
        acks.clear();
        leased = std::move(answer->tasks);
        for (const LeasedTask &task : std::as_const(leased)) {
            const qint64 started = nowUs();
            const QJsonObject payload = QJsonDocument::fromJson(task.payload).object();
            const int n = std::snprintf(line, sizeof line, "%10lld %16lld %16lld\n",
                                        payload.value(QLatin1StringView("i")).toInteger(),
                                        payload.value(QLatin1StringView("t")).toInteger(),
                                        static_cast<long long>(started));
            [[maybe_unused]] const auto written = ::write(recordFd, line, size_t(n));
            acks.append({task.id, task.leaseId, {}});
        }
    }
    if (!acks.isEmpty())
        must(worker->complete(registration.workerId, acks), "complete");
    worker->deregisterWorker(registration.workerId).waitForFinished();
}

} // namespace

int main(int argc, char *argv[])
{
    QueueDeck::useHeadlessEventLoop();
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString command = args.value(1);
    const auto number = [&args](int at, qint64 fallback) {
        bool ok = false;
        const qint64 value = args.value(at).toLongLong(&ok);
        return ok ? value : fallback;
    };
    const Bench bench = Bench::fromEnvironment();
    auto admin = bench.client(bench.adminToken);

    if (command == u"setup") {
        const QString queueId = bench.queueId(*admin);
        must(admin->purgeQueue(queueId), "purge");
        for (const WorkerInfo &worker : must(admin->listWorkers(queueId), "workers"))
            must(admin->deregisterWorker(worker.id), "deregister");
        print({{QStringLiteral("ok"), true}});
        return 0;
    }
    if (command == u"enqueue") {
        const qint64 n = number(2, 20000);
        const int batch = int(number(3, 1));
        const QString queueId = bench.queueId(*admin);
        const qint64 start = nowUs();
        if (batch <= 1) {
            for (qint64 i = 0; i < n; ++i)
                must(admin->enqueueId(queueId, job(i)), "enqueue");
        } else {
            for (qint64 i = 0; i < n; i += batch) {
                QList<EnqueueRequest> tasks;
                for (qint64 k = i; k < qMin(n, i + batch); ++k)
                    tasks.append(job(k));
                must(admin->enqueueBatch(queueId, tasks), "enqueue batch");
            }
        }
        print({{QStringLiteral("seconds"), (nowUs() - start) / 1e6},
               {QStringLiteral("n"), n},
               {QStringLiteral("batch"), batch}});
        return 0;
    }
    if (command == u"produce") {
        const double rate = double(number(2, 500));
        const double seconds = double(number(3, 10));
        const qint64 first = number(4, 0);
        const QString queueId = bench.queueId(*admin);
        const qint64 total = qRound64(rate * seconds);
        const qint64 start = nowUs();
        for (qint64 k = 0; k < total; ++k) {
            const qint64 due = start + qint64(k * 1e6 / rate);
            const qint64 waitUs = due - nowUs();
            if (waitUs >= 500)
                QThread::usleep(quint64(waitUs)); // no busy wait: two cores only
            must(admin->enqueueId(queueId, job(first + k)), "enqueue");
        }
        print({{QStringLiteral("sent"), total},
               {QStringLiteral("seconds"), (nowUs() - start) / 1e6}});
        return 0;
    }
    if (command == u"pending") {
        const QueueInfo queue = must(admin->queue(bench.queueId(*admin)), "queue");
        print({{QStringLiteral("pending"), queue.counts.unfinished()}});
        return 0;
    }
    if (command == u"consume") {
        // C leased tasks at most, over loops holding QUEUEDECK_BENCH_SLOTS each (default 8).
        // Measured with C=8 on 20,000 queued tasks: 2 slots per loop drained 15,000–17,000
        // tasks/s, 4: 20,000–29,000, 8 (one loop): 22,000–35,000.
        const int concurrency = int(qMax<qint64>(1, number(2, 8)));
        const int wanted = qEnvironmentVariableIntValue("QUEUEDECK_BENCH_SLOTS");
        const int perLoop = qBound(1, wanted > 0 ? wanted : 8, concurrency);
        const QString queueId = bench.queueId(*admin);
        const QJsonObject workerCommand = must(admin->workerCommand(queueId), "worker command");
        const QString joinToken = workerCommand.value(QStringLiteral("command"))
                                      .toString()
                                      .section(u' ', 0, 0)
                                      .section(u'=', 1);
        const QByteArray recordPath =
            QDir(qEnvironmentVariable("BENCH_REC_DIR"))
                .filePath(QStringLiteral("rec-%1.txt").arg(QCoreApplication::applicationPid()))
                .toLocal8Bit();
        const int recordFd = ::open(recordPath.constData(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (recordFd < 0)
            fail(QStringLiteral("cannot open %1").arg(QString::fromLocal8Bit(recordPath)));
        std::signal(SIGTERM, [](int) { s_stop.store(true); });
        std::signal(SIGINT, [](int) { s_stop.store(true); });
        std::vector<std::unique_ptr<QThread>> loops;
        for (int left = concurrency; left > 0; left -= perLoop) {
            const int slots = qMin(left, perLoop);
            loops.emplace_back(QThread::create([&bench, &joinToken, &queueId, slots, recordFd] {
                consumeLoop(bench, joinToken, queueId, slots, recordFd);
            }));
            loops.back()->start();
        }
        for (const auto &loop : loops)
            loop->wait();
        ::close(recordFd);
        return 0;
    }
    fail(QStringLiteral("usage: qdeck-bench-adapter setup | enqueue N BATCH | produce RATE SECONDS "
                        "FIRST | consume C | pending"));
}
