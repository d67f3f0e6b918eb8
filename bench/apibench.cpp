// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck-apibench: the HTTP API measured through the client library against a real `qdeck serve`
// (durability normal, keep-alive) on this machine. Prints a Markdown table.
//
//   qdeck-apibench [--qdeck PATH] [--quick] [--syscalls] [--ops N]
//                  [--only single|producers|heartbeat|lease|complete|batch|drain|wakeup|idle|
//                          parked]
//
// Beside each rate it prints what the server and this process (the clients) spent per operation:
// CPU µs, context switches and, with --syscalls (needs perf), system calls. It exits 2 when a
// machine-independent check fails (64 producers ≥ 2x one; idle under 1% of a core).

#include "benchsupport.h"
#include "processcost.h"
#include "protocol/headlesseventloop.h"
#include "queuedeckclient.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <sys/prctl.h>
#include <thread>

using namespace QueueDeck;
using QueueDeck::Bench::benchTask;
using QueueDeck::Bench::must;
using namespace QueueDeck::Client;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

struct Server
{
    QTemporaryDir dir;
    QProcess process;
    QString url;
    quint16 port = 0;
    QString adminToken;

    explicit Server(const QString &qdeck)
    {
        process.setProgram(qdeck);
        // The server ends with this program, however it ends.
        process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        process.setArguments({QStringLiteral("serve"), QStringLiteral("--listen"),
                              QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                              dir.path()});
        process.start();
        static const QRegularExpression serving(
            QStringLiteral("serving on (\\S+) \\(port (\\d+)\\)"));
        QByteArray output;
        // Generous: under callgrind (bench/instructions.sh) on a loaded machine start-up is slow.
        QElapsedTimer startUp;
        startUp.start();
        while (port == 0 && process.state() != QProcess::NotRunning &&
               startUp.elapsed() < 180'000) {
            process.waitForReadyRead(1000);
            output += process.readAllStandardOutput();
            const auto match = serving.match(QString::fromUtf8(output));
            if (match.hasMatch()) {
                url = match.captured(1);
                port = match.captured(2).toUShort();
            }
        }
        QFile token(dir.filePath(QStringLiteral("admin-token")));
        if (port == 0 || !token.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "qdeck serve did not start: %s\n", output.constData());
            std::exit(1);
        }
        adminToken = QString::fromUtf8(token.readAll()).trimmed();
    }
    ~Server()
    {
        process.terminate();
        process.waitForFinished(180000); // callgrind writes its profile at the end
    }
    qint64 rssKb() const
    {
        QFile status(QStringLiteral("/proc/%1/status").arg(process.processId()));
        status.open(QIODevice::ReadOnly);
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                return line.mid(6).trimmed().split(' ').first().toLongLong();
        }
        return -1;
    }
};

QString createQueue(QueueDeckClient &admin, const QString &name)
{
    QueueSettings settings;
    settings.maxWorkers = 0;
    return must(admin.createQueue(QStringLiteral("default"), name, settings), "create queue").id;
}

Registration registerWorker(QueueDeckClient &admin, const QString &queueId)
{
    RegisterRequest request;
    request.queueIds = {queueId};
    request.hostname = QStringLiteral("bench");
    request.concurrency = 8;
    return must(admin.registerWorker(request), "register");
}

// The cost of both sides of one workload: the server process and this one (the clients).
struct Costs
{
    Bench::CostMeter server;
    Bench::CostMeter client;
    Costs(const Server &s, bool syscalls)
        : server(QStringLiteral("server"), s.process.processId(), syscalls),
          client(QStringLiteral("client"), 0, syscalls)
    {}
};

// One row of the report: the rate and, per operation, what each side spent.
struct Row
{
    QString workload;
    QString result;
    QString serverCost;
    QString clientCost;
};

void print(const Row &row)
{
    out() << "| " << row.workload << " | " << row.result << " | " << row.serverCost << " | "
          << row.clientCost << " |\n";
    out().flush();
}

Row measured(const QString &workload, Costs &costs, qint64 operations, double seconds,
             const QString &unit)
{
    return Row{workload,
               operations > 0
                   ? QStringLiteral("%1 %2/s").arg(qRound(operations / seconds)).arg(unit)
                   : QStringLiteral("no samples"),
               costs.server.finish(operations), costs.client.finish(operations)};
}

// Producers that each await every answer: the client's blocking mode, one connection each.
// Returns the aggregate rate; the row holds the cost per enqueue.
double producers(Server &server, int n, int count, bool syscalls, const QString &workload)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
    const QString queue = createQueue(admin, QStringLiteral("single-%1").arg(count));
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int p = 0; p < count; ++p) {
        threads.emplace_back([&, p] {
            ClientOptions options{QUrl(server.url), server.adminToken};
            options.blocking = true;
            QueueDeckClient client(options);
            // The connection is set up before the clock starts.
            must(client.listEnvironments(), "connect");
            ++ready;
            while (!go.load())
                QThread::usleep(200);
            for (int i = p; i < n; i += count)
                must(client.enqueue(queue, benchTask(i)), "enqueue");
        });
    }
    while (ready.load() < count)
        QThread::msleep(5);
    Costs costs(server, syscalls);
    QElapsedTimer timer;
    timer.start();
    go = true;
    for (auto &thread : threads)
        thread.join();
    const double seconds = timer.nsecsElapsed() / 1e9;
    print(measured(workload, costs, n, seconds, QStringLiteral("tasks")));
    return n / seconds;
}

void batchEnqueue(Server &server, int n, bool syscalls)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
    const QString queue = createQueue(admin, QStringLiteral("batch"));
    QList<EnqueueRequest> batch;
    for (int i = 0; i < 100; ++i)
        batch.append(benchTask(i));
    Costs costs(server, syscalls);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < n; i += 100)
        must(admin.enqueueBatch(queue, batch), "enqueue batch");
    print(measured(QStringLiteral("batch enqueue (100 per call)"), costs, n,
                   timer.nsecsElapsed() / 1e9, QStringLiteral("tasks")));
}

// 8 loops, each a worker of its own: lease up to 8, ack them in one call.
void drain(Server &server, int n, int loops, bool syscalls)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
    const QString queue = createQueue(admin, QStringLiteral("drain"));
    QList<EnqueueRequest> batch;
    for (int i = 0; i < 1000; ++i)
        batch.append(benchTask(i));
    for (int i = 0; i < n; i += 1000)
        must(admin.enqueueBatch(queue, batch), "fill");
    std::vector<std::unique_ptr<QueueDeckClient>> clients;
    std::vector<QString> workers;
    for (int l = 0; l < loops; ++l) {
        const Registration registration = registerWorker(admin, queue);
        workers.push_back(registration.workerId);
        clients.push_back(std::make_unique<QueueDeckClient>(
            ClientOptions{QUrl(server.url), registration.credential}));
    }
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    Costs costs(server, syscalls);
    QElapsedTimer timer;
    timer.start();
    for (int l = 0; l < loops; ++l) {
        threads.emplace_back([&, l] {
            while (done.load() < n) {
                const auto leased =
                    must(clients[size_t(l)]->lease(workers[size_t(l)], 8, 0), "lease");
                if (leased.isEmpty())
                    break;
                QList<TaskAck> acks;
                for (const LeasedTask &t : leased)
                    acks.append({t.id, t.leaseId, {}});
                must(clients[size_t(l)]->complete(workers[size_t(l)], acks), "complete");
                done += int(acks.size());
            }
        });
    }
    for (auto &thread : threads)
        thread.join();
    print(measured(QStringLiteral("drain, lease 8 + batched ack, %1 loops").arg(loops), costs,
                   done.load(), timer.nsecsElapsed() / 1e9, QStringLiteral("tasks")));
}

// One worker heartbeating as fast as it is answered (blocking client): the cost of a heartbeat.
void heartbeats(Server &server, int n, bool syscalls)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
    const QString queue = createQueue(admin, QStringLiteral("beat"));
    const Registration registration = registerWorker(admin, queue);
    ClientOptions options{QUrl(server.url), registration.credential};
    options.blocking = true;
    QueueDeckClient worker(options);
    must(worker.heartbeat(registration.workerId, {}), "heartbeat");
    Costs costs(server, syscalls);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < n; ++i)
        must(worker.heartbeat(registration.workerId, {}), "heartbeat");
    print(measured(QStringLiteral("heartbeat, one worker awaiting each"), costs, n,
                   timer.nsecsElapsed() / 1e9, QStringLiteral("beats")));
}

// One worker leasing one task per call (blocking client, no wait) from a filled queue, then
// acknowledging one and leasing the next in one call: the cost of a lease and of a
// complete-and-lease. Each loop runs n operations; the queue holds enough for both.
void leases(Server &server, int n, bool withComplete, bool syscalls)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
    const QString queue = createQueue(admin, QStringLiteral("leases"));
    QList<EnqueueRequest> batch;
    for (int i = 0; i < 1000; ++i)
        batch.append(benchTask(i));
    // The same fill for any n up to 2,000, so that the difference of two runs under callgrind
    // (bench/instructions.sh, 500 and 1,500 operations) holds the leases alone.
    for (int i = 0; i < std::max(n, 2000) + 1000; i += 1000)
        must(admin.enqueueBatch(queue, batch), "fill");
    const Registration registration = registerWorker(admin, queue);
    ClientOptions options{QUrl(server.url), registration.credential};
    options.blocking = true;
    QueueDeckClient worker(options);
    const QString id = registration.workerId;
    if (!withComplete) {
        Costs costs(server, syscalls);
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < n; ++i)
            must(worker.lease(id, 1, 0), "lease");
        print(measured(QStringLiteral("lease one, one worker awaiting each"), costs, n,
                       timer.nsecsElapsed() / 1e9, QStringLiteral("leases")));
        return;
    }
    QList<LeasedTask> held = must(worker.lease(id, 1, 0), "lease");
    Costs costs(server, syscalls);
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < n && !held.isEmpty(); ++i) {
        const QList<TaskAck> acks{{held.first().id, held.first().leaseId, {}}};
        held = must(worker.completeAndLease(id, acks, {}, 1, 0), "complete and lease").tasks;
    }
    print(measured(QStringLiteral("complete one and lease one, one worker awaiting each"), costs, n,
                   timer.nsecsElapsed() / 1e9, QStringLiteral("calls")));
}

// A worker parked in a long-poll; a producer enqueues at a steady rate; latency from the start of
// the enqueue call to the lease answer in the worker, both in this process (same clock).
void wakeUp(Server &server, int rate, int seconds, bool syscalls)
{
    // The producer awaits each enqueue on this thread (the client's blocking mode), as the peer
    // harness's W3 producer does.
    ClientOptions producer{QUrl(server.url), server.adminToken};
    producer.blocking = true;
    QueueDeckClient admin(producer);
    const QString queue = createQueue(admin, QStringLiteral("wake"));
    const Registration registration = registerWorker(admin, queue);
    QueueDeckClient worker({QUrl(server.url), registration.credential});
    const int total = rate * seconds;
    std::vector<qint64> sentAt(size_t(total), 0);
    std::vector<double> latencies;
    std::mutex mutex;
    QElapsedTimer clock;
    clock.start();
    std::atomic<bool> stop{false};
    std::thread consumer([&] {
        while (!stop.load()) {
            const auto leased = must(worker.lease(registration.workerId, 8, 2000), "lease");
            const qint64 now = clock.nsecsElapsed();
            QList<TaskAck> acks;
            for (const LeasedTask &t : leased) {
                const int i = t.payload.mid(5, t.payload.indexOf(',') - 5).toInt();
                {
                    std::lock_guard lock(mutex);
                    latencies.push_back((now - sentAt[size_t(i)]) / 1e6);
                }
                acks.append({t.id, t.leaseId, {}});
            }
            if (!acks.isEmpty())
                worker.complete(registration.workerId,
                                acks); // not awaited: the next lease goes at once
        }
    });
    QThread::msleep(200); // the worker parks
    Costs costs(server, syscalls);
    for (int i = 0; i < total; ++i) {
        const qint64 due = qint64(i) * 1'000'000'000LL / rate;
        // Sleeps until due (never a busy wait: the cost measured here is the system's).
        while (clock.nsecsElapsed() < due)
            QThread::usleep(std::max<qint64>(50, (due - clock.nsecsElapsed()) / 1000));
        sentAt[size_t(i)] = clock.nsecsElapsed();
        must(admin.enqueue(queue, benchTask(i)), "enqueue");
    }
    QThread::msleep(500);
    stop = true;
    consumer.join();
    std::sort(latencies.begin(), latencies.end());
    const auto at = [&](double q) {
        return QString::number(
            latencies[std::min(latencies.size() - 1, size_t(q * latencies.size()))], 'f', 2);
    };
    const qint64 received = qint64(latencies.size());
    print(Row{
        QStringLiteral("enqueue → lease wake-up at %1/s (%2 of %3 tasks)")
            .arg(rate)
            .arg(received)
            .arg(total),
        latencies.empty()
            ? QStringLiteral("no samples")
            : QStringLiteral("p50 %1 ms, p95 %2 ms, p99 %3 ms").arg(at(0.50), at(0.95), at(0.99)),
        costs.server.finish(received), costs.client.finish(received)});
}

// The idle cost: 8 workers parked in long-polls and an idle client, for `seconds`. Both processes
// together must stay under 1% of one core: nothing may poll while nothing happens.
bool idleCost(Server &server, int seconds)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
    const QString queue = createQueue(admin, QStringLiteral("idle"));
    std::vector<std::unique_ptr<QueueDeckClient>> clients;
    std::vector<QFuture<Result<QList<LeasedTask>>>> parked;
    for (int w = 0; w < 8; ++w) {
        const Registration registration = registerWorker(admin, queue);
        clients.push_back(std::make_unique<QueueDeckClient>(
            ClientOptions{QUrl(server.url), registration.credential}));
        parked.push_back(clients.back()->lease(registration.workerId, 8, 60'000));
    }
    QThread::msleep(1000); // every lease parks
    const Bench::CostReading serverBefore = Bench::readProcess(server.process.processId());
    const Bench::CostReading clientBefore = Bench::readSelf();
    QElapsedTimer timer;
    timer.start();
    QThread::sleep(unsigned(seconds));
    const double elapsedNs = double(timer.nsecsElapsed());
    const Bench::CostReading serverAfter = Bench::readProcess(server.process.processId());
    const Bench::CostReading clientAfter = Bench::readSelf();
    for (const auto &future : parked) {
        if (future.isFinished()) {
            std::fprintf(stderr, "a parked lease ended early\n");
            std::exit(1);
        }
    }
    const double serverShare = 100.0 * (serverAfter.cpuNs - serverBefore.cpuNs) / elapsedNs;
    const double clientShare = 100.0 * (clientAfter.cpuNs - clientBefore.cpuNs) / elapsedNs;
    const double wakeUps = (serverAfter.voluntary + serverAfter.involuntary -
                            serverBefore.voluntary - serverBefore.involuntary) /
                           (elapsedNs / 1e9);
    const bool met = serverShare + clientShare < 1.0;
    print(
        Row{QStringLiteral("idle: 8 workers parked in long-polls + idle client, %1 s").arg(seconds),
            QStringLiteral("%1% of a core together (%2)")
                .arg(serverShare + clientShare, 0, 'f', 3)
                .arg(met ? QStringLiteral("under 1%: met") : QStringLiteral("1% or more: NOT MET")),
            QStringLiteral("server %1% of a core, %2 wake-ups/s")
                .arg(serverShare, 0, 'f', 3)
                .arg(wakeUps, 0, 'f', 1),
            QStringLiteral("client %1% of a core").arg(clientShare, 0, 'f', 3)});
    return met;
}

// Parks `count` long-polls on connections of their own and reports the server's RSS.
qint64 parkedRss(Server &server, int count)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
    const QString queue = createQueue(admin, QStringLiteral("parked"));
    const Registration registration = registerWorker(admin, queue);
    const QByteArray body = R"({"max":1,"wait_ms":60000})";
    const QByteArray request =
        "POST /api/v1/workers/" + registration.workerId.toUtf8() +
        "/lease HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + registration.credential.toUtf8() +
        "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < count; ++i) {
        sockets.push_back(std::make_unique<QTcpSocket>());
        sockets.back()->connectToHost(QHostAddress::LocalHost, server.port);
        if (!sockets.back()->waitForConnected(5000)) {
            std::fprintf(stderr, "connection %d failed\n", i);
            std::exit(1);
        }
        sockets.back()->write(request);
        sockets.back()->waitForBytesWritten(5000);
    }
    QThread::msleep(1500);
    const qint64 rss = server.rssKb();
    for (auto &socket : sockets) {
        if (socket->state() != QAbstractSocket::ConnectedState) {
            std::fprintf(stderr, "a parked connection was closed\n");
            std::exit(1);
        }
    }
    return rss;
}

} // namespace

int main(int argc, char *argv[])
{
    QueueDeck::useHeadlessEventLoop();
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--qdeck"));
    const QString qdeck =
        at > 0 ? args.value(at + 1)
               : QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("qdeck"));
    const bool quick = args.contains(QStringLiteral("--quick"));
    const int scale = quick ? 10 : 1;
    const qsizetype onlyAt = args.indexOf(QStringLiteral("--only"));
    const QString only = onlyAt > 0 ? args.value(onlyAt + 1) : QString();
    const auto wanted = [&only](const char *name) {
        return only.isEmpty() || only == QLatin1StringView(name);
    };

    const bool syscalls = args.contains(QStringLiteral("--syscalls"));
    // --ops N: the number of single enqueues, heartbeats, leases and completes (for instruction
    // counts under callgrind, taken as the difference of two runs).
    const qsizetype opsAt = args.indexOf(QStringLiteral("--ops"));
    const int ops = opsAt > 0 ? args.value(opsAt + 1).toInt() : 20000 / scale;
    out() << "| workload | result | server cost per operation | client cost per operation |\n"
             "|---|---|---|---|\n";
    out().flush();
    bool failed = false;
    if (wanted("single") || wanted("producers") || wanted("batch") || wanted("drain") ||
        wanted("heartbeat") || wanted("lease") || wanted("complete")) {
        Server server(qdeck);
        double one = 0;
        if (wanted("single") || wanted("producers"))
            one = producers(server, ops, 1, syscalls,
                            QStringLiteral("single enqueue, one producer awaiting each"));
        if (wanted("producers")) {
            const double many = producers(server, 64000 / scale, 64, syscalls,
                                          QStringLiteral("single enqueue, 64 producers awaiting "
                                                         "each, 64 connections"));
            const double ratio = many / one;
            failed |= ratio < 2.0;
            print(Row{QStringLiteral("64 producers against one"),
                      QStringLiteral("%1x").arg(ratio, 0, 'f', 2),
                      ratio >= 2.0 ? QStringLiteral("≥ 2x: met") : QStringLiteral("≥ 2x: NOT MET"),
                      QString()});
        }
        if (wanted("heartbeat"))
            heartbeats(server, ops, syscalls);
        if (wanted("lease"))
            leases(server, ops, false, syscalls);
        if (wanted("complete"))
            leases(server, ops, true, syscalls);
        if (wanted("batch"))
            batchEnqueue(server, 200000 / scale, syscalls);
        if (wanted("drain"))
            drain(server, 40000 / scale, 8, syscalls);
    }
    if (wanted("wakeup")) {
        Server server(qdeck);
        wakeUp(server, 500, quick ? 2 : 10, syscalls);
    }
    if (wanted("idle")) {
        Server server(qdeck);
        failed |= !idleCost(server, quick ? 3 : 10);
    }
    if (wanted("parked")) {
        Server server(qdeck);
        const qint64 rss = parkedRss(server, quick ? 200 : 2000);
        print(Row{QStringLiteral("%1 parked long-polls").arg(quick ? 200 : 2000),
                  QStringLiteral("server RSS %1 MB").arg(rss / 1024), QString(), QString()});
    }
    out() << "\nRates depend on the machine and its load; the costs per operation travel better. "
             "CPU: all threads' schedstat (server) and getrusage (client); cs: context switches; "
             "syscalls: perf stat -e raw_syscalls:sys_enter (--syscalls).\n";
    if (quick)
        out() << "(quick run: smaller counts)\n";
    return failed ? 2 : 0;
}
