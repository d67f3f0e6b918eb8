// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck-apibench: the HTTP API measured through the client library against a real `qdeck serve`
// (durability normal, keep-alive) on this machine. Prints a Markdown table.
//
//   qdeck-apibench [--qdeck PATH] [--database postgresql://...] [--quick] [--syscalls] [--ops N]
//                  [--rounds N]
//                  [--deep-tasks N] [--deep-payloads BYTES[,BYTES...]]
//                  [--condition idle|busy-core|pin0 | --conditions all]
//                  [--peers [COND=]FILE]... [--json FILE]
//                  [--only NAME[,NAME...]]   NAME: single minimal producers raw64 heartbeat lease
//                                            complete batch drain wakeup idle parked deep
//   qdeck-apibench --peers [COND=]FILE... --harness-ratios
//
// Beside each rate it prints what the server and this process (the clients) spent per operation:
// CPU µs, context switches and, with --syscalls (needs perf), system calls; every row names the
// condition it ran under. With --peers (a report of the peer harness, ../shared/bench/peers) it
// judges its figures as ratios to beanstalkd's or the best peer's of the same condition;
// --harness-ratios judges the report's own QueueDeck row instead and runs nothing. It exits 2 when
// a check fails: a peer target missed, 64 connections with one awaited enqueue each (raw64) < 2x
// one on an idle machine (the medians of --rounds alternating rounds, 3 unless --quick), a deep
// drain < 0.8x a shallow one, idle at 1% of a core or more. The ratio of 64 producer threads of
// the client library is printed beside the ceiling the shared CPUs put on it, not judged.
// `deep` runs only when named (it fills 1,000,000 tasks twice).
// --database runs every server on that PostgreSQL database, emptied before each (needs psql);
// "server" costs are then the node's alone, without the database's.

#include "apibenchreport.h"
#include "benchcondition.h"
#include "benchserver.h"
#include "benchsupport.h"
#include "peercomparison.h"
#include "processcost.h"
#include "protocol/codec.h"
#include "protocol/headlesseventloop.h"
#include "queuedeckclient.h"
#include "rawenqueuer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

#include <sched.h>

using namespace QueueDeck;
using QueueDeck::Bench::benchTask;
using QueueDeck::Bench::must;
using namespace QueueDeck::Client;
using QueueDeck::Bench::Server;

namespace {

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

Row measured(const QString &workload, Costs &costs, qint64 operations, double seconds,
             const QString &unit)
{
    Row row{workload,
            operations > 0 ? QStringLiteral("%1 %2/s").arg(qRound(operations / seconds)).arg(unit)
                           : QStringLiteral("no samples"),
            costs.server.finish(operations),
            costs.client.finish(operations),
            operations > 0 ? std::optional(operations / seconds) : std::nullopt,
            unit + QStringLiteral("/s"),
            {},
            {}};
    row.server = costFigures(costs.server);
    row.client = costFigures(costs.client);
    return row;
}

// The task payload of `bytes` (0: the harness's 45 bytes).
EnqueueRequest taskOf(int i, int bytes)
{
    EnqueueRequest request = benchTask(i);
    if (bytes > 0) {
        const QByteArray head = "{\"i\":" + QByteArray::number(i) + ",\"pad\":\"";
        request.payload = head + QByteArray(qMax(0, bytes - int(head.size()) - 2), 'x') + "\"}";
    }
    return request;
}

// Producers that each await every answer: the client's blocking mode, one connection each.
// Returns the printed row: the aggregate rate and the cost per enqueue.
// minimal: each answered with the task's id alone (Prefer: return=minimal), as the peers
// harness's producer asks.
Row producers(Server &server, int n, int count, bool syscalls, const QString &workload,
              bool minimal = false, int round = 0)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
    const QString queue = createQueue(
        admin,
        QStringLiteral("%1-%2-%3").arg(minimal ? u"minimal" : u"single").arg(count).arg(round));
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
            for (int i = p; i < n; i += count) {
                if (minimal)
                    must(client.enqueueId(queue, benchTask(i)), "enqueue");
                else
                    must(client.enqueue(queue, benchTask(i)), "enqueue");
            }
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
    const Row row =
        measured(workload, costs, n, timer.nsecsElapsed() / 1e9, QStringLiteral("tasks"));
    print(row);
    return row;
}

// `connections` producers on plain sockets (Bench::RawEnqueuer), each with one enqueue in flight.
Row rawProducers(Server &server, int n, int connections, bool syscalls, const QString &workload,
                 int round = 0)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
    const QString queue =
        createQueue(admin, QStringLiteral("raw-%1-%2").arg(connections).arg(round));
    Bench::RawEnqueuer enqueuer(server.port, "/api/v1/worker-queues/" + queue.toUtf8() + "/tasks",
                                server.adminToken.toUtf8(), connections);
    if (!enqueuer.error().isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(enqueuer.error()));
        std::exit(1);
    }
    Costs costs(server, syscalls);
    QElapsedTimer timer;
    timer.start();
    const qint64 done = enqueuer.run(n, [](int i) {
        return QJsonDocument(Codec::toJson(benchTask(i))).toJson(QJsonDocument::Compact);
    });
    const Row row =
        measured(workload, costs, done, timer.nsecsElapsed() / 1e9, QStringLiteral("tasks"));
    if (!enqueuer.error().isEmpty()) {
        std::fprintf(stderr, "raw enqueue, %lld of %d done: %s\n", done, n,
                     qPrintable(enqueuer.error()));
        std::exit(1);
    }
    print(row);
    return row;
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
    const Row row = measured(QStringLiteral("batch enqueue (100 per call)"), costs, n,
                             timer.nsecsElapsed() / 1e9, QStringLiteral("tasks"));
    print(row);
    currentReport().figures.insert(Bench::Figure::BatchEnqueueRate, row.rate);
}

// Fills a queue with `n` tasks of `payloadBytes` (0: the harness's payload), a few batches of about
// 1 MB or 1,000 tasks in flight (not timed).
void fill(QueueDeckClient &admin, const QString &queue, int n, int payloadBytes)
{
    const int perBatch = payloadBytes > 0 ? qBound(1, 1'000'000 / payloadBytes, 1000) : 1000;
    std::deque<QFuture<Result<QStringList>>> inFlight;
    for (int i = 0; i < n; i += perBatch) {
        QList<EnqueueRequest> batch;
        for (int j = i; j < qMin(n, i + perBatch); ++j)
            batch.append(taskOf(j, payloadBytes));
        inFlight.push_back(admin.enqueueBatch(queue, batch));
        if (inFlight.size() >= 4) {
            must(inFlight.front(), "fill");
            inFlight.pop_front();
        }
    }
    for (auto &future : inFlight)
        must(future, "fill");
}

// 8 loops, each a worker of its own: lease up to 8, ack them in one call, until `toDrain` of the
// `queued` tasks are done.
Row drain(Server &server, int queued, int toDrain, int loops, int payloadBytes, bool syscalls,
          const QString &workload)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
    const QString queue = createQueue(admin, QStringLiteral("drain"));
    QElapsedTimer filling;
    filling.start();
    fill(admin, queue, queued, payloadBytes);
    if (queued > 100'000)
        std::fprintf(stderr, "filled %d tasks in %.0f s\n", queued, filling.elapsed() / 1000.0);
    const int n = toDrain;
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
    const Row row =
        measured(workload, costs, done.load(), timer.nsecsElapsed() / 1e9, QStringLiteral("tasks"));
    print(row);
    return row;
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
    // Each workload its own queue: `lease` and `complete` run on one server in a full run.
    const QString queue =
        createQueue(admin, withComplete ? QStringLiteral("complete") : QStringLiteral("leases"));
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
    currentReport().figures.insert(
        Bench::Figure::WakeUpP99Ms,
        latencies.empty()
            ? std::nullopt
            : std::optional(
                  latencies[std::min(latencies.size() - 1, size_t(0.99 * latencies.size()))]));
    print(Row{
        QStringLiteral("enqueue → lease wake-up at %1/s (%2 of %3 tasks)")
            .arg(rate)
            .arg(received)
            .arg(total),
        latencies.empty()
            ? QStringLiteral("no samples")
            : QStringLiteral("p50 %1 ms, p95 %2 ms, p99 %3 ms").arg(at(0.50), at(0.95), at(0.99)),
        costs.server.finish(received), costs.client.finish(received),
        currentReport().figures.value(Bench::Figure::WakeUpP99Ms), QStringLiteral("p99 ms"),
        costFigures(costs.server), costFigures(costs.client)});
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

// One producer against many, in alternating rounds (one, many, one, many, ...). On a shared
// two-core machine a single run of each moves by a third with where the scheduler put the threads
// that second; alternating rounds meet the same moments, and their medians are what is judged.
struct RatioRounds
{
    QList<Row> one;
    QList<Row> many;
    Row medianOne;
    Row medianMany;
    std::optional<double> ratio; // median of many / median of one
    QList<double> roundRatios;
};

QString roundName(int round, int rounds)
{
    return rounds > 1 ? QStringLiteral(", round %1 of %2").arg(round + 1).arg(rounds) : QString();
}

// The row of the median rate (the lower middle for an even count); rows without samples last.
Row medianRow(QList<Row> rows)
{
    std::sort(rows.begin(), rows.end(),
              [](const Row &a, const Row &b) { return a.rate.value_or(-1) > b.rate.value_or(-1); });
    return rows.value(rows.size() / 2);
}

template <typename One, typename Many> RatioRounds alternate(int rounds, One one, Many many)
{
    RatioRounds result;
    for (int round = 0; round < rounds; ++round) {
        result.one.append(one(round));
        result.many.append(many(round));
        const auto &single = result.one.constLast().rate;
        const auto &several = result.many.constLast().rate;
        if (single && several && *single > 0)
            result.roundRatios.append(*several / *single);
    }
    result.medianOne = medianRow(result.one);
    result.medianMany = medianRow(result.many);
    if (result.medianOne.rate && result.medianMany.rate && *result.medianOne.rate > 0)
        result.ratio = *result.medianMany.rate / *result.medianOne.rate;
    return result;
}

// Whether a ratio of many against one is a target here. The issue's (64 connections, one awaited
// request each, ≥ 2x one) is taken on an idle machine; elsewhere, and for the producer threads
// (see ceilingNote), the ratio is printed for the record.
enum class Judged { IdleTarget, Reported };

// The CPUs this process may run on: 1 under pin0.
int usableCpus()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return std::max(1, int(std::thread::hardware_concurrency()));
    return std::max(1, CPU_COUNT(&set));
}

// 64 producer threads run on the server's own CPUs: the most they can reach is those CPUs' time
// divided by what one request costs both sides together, whatever the server does. Printed beside
// their ratio as the ratio that ceiling allows (empty without cost figures).
QString ceilingNote(const RatioRounds &rounds)
{
    const auto cost = [](const QJsonObject &side) {
        return side.value(QLatin1StringView("cpu_us_per_op")).toDouble(-1);
    };
    const double server = cost(rounds.medianMany.server);
    const double client = cost(rounds.medianMany.client);
    if (server <= 0 || client <= 0 || !rounds.medianOne.rate || *rounds.medianOne.rate <= 0)
        return {};
    const int cpus = usableCpus();
    const double ceiling = cpus * 1e6 / (server + client);
    return QStringLiteral(
               "; the producers share the server's %1 CPU%2: at %3 µs of CPU per request "
               "(server %4 + producers %5) those CPUs allow at most %6 tasks/s, %7x one")
        .arg(cpus)
        .arg(cpus == 1 ? QString() : QStringLiteral("s"))
        .arg(server + client, 0, 'f', 1)
        .arg(server, 0, 'f', 1)
        .arg(client, 0, 'f', 1)
        .arg(ceiling, 0, 'f', 0)
        .arg(ceiling / *rounds.medianOne.rate, 0, 'f', 2);
}

// Prints the ratio of many against one and, where it is a target (≥ 2x), the verdict; false when
// a target is missed or has no samples.
bool ratioRow(const QString &title, const RatioRounds &rounds, Judged judged,
              const QString &note = {})
{
    const bool target =
        judged == Judged::IdleTarget &&
        Bench::conditionFromName(currentReport().condition) == Bench::Condition::Idle;
    if (!rounds.ratio || rounds.roundRatios.size() != rounds.one.size()) {
        print(Row{title, QStringLiteral("no samples: not judged"), QString(), QString()});
        return !target;
    }
    const double ratio = *rounds.ratio;
    QString detail;
    if (target)
        detail = ratio >= 2.0 ? QStringLiteral("≥ 2x: met") : QStringLiteral("≥ 2x: NOT MET");
    else if (judged == Judged::IdleTarget)
        detail = QStringLiteral("reported; the target is taken idle");
    else
        detail = QStringLiteral("reported, not a target");
    if (rounds.roundRatios.size() > 1) {
        QStringList each;
        for (const double r : rounds.roundRatios)
            each.append(QStringLiteral("%1x").arg(r, 0, 'f', 2));
        detail += QStringLiteral(" (medians of %1 rounds; round by round %2)")
                      .arg(rounds.roundRatios.size())
                      .arg(each.join(QStringLiteral(", ")));
    }
    print(Row{title, QStringLiteral("%1x").arg(ratio, 0, 'f', 2), detail + note, QString(), ratio,
              QStringLiteral("ratio")});
    return !target || ratio >= 2.0;
}

// The one-producer figures the peer targets judge.
void noteSingleEnqueue(const Row &row)
{
    currentReport().figures.insert(Bench::Figure::SingleEnqueueRate, row.rate);
    currentReport().figures.insert(
        Bench::Figure::SingleEnqueueServerCpuUs,
        row.rate ? std::optional(row.server.value(QLatin1StringView("cpu_us_per_op")).toDouble())
                 : std::nullopt);
}

} // namespace

// Drain from a deep queue against a shallow one, on fresh servers: `deepTasks` waiting (the first
// 100,000 drained, or all of them if fewer) against 20,000, for payloads of 45 bytes and 4 KB.
// Checks each ratio ≥ 0.8x; returns false when one is below.
bool deep(const QString &qdeck, int deepTasks, const QList<int> &payloads, bool syscalls)
{
    bool met = true;
    for (const int bytes : payloads) {
        const QString payload = bytes > 0 ? QStringLiteral("4 KB") : QStringLiteral("45 B");
        double shallowRate = 0;
        {
            Server server(qdeck);
            shallowRate =
                drain(server, 20000, 20000, 8, bytes, syscalls,
                      QStringLiteral("deep: drain 20,000 of 20,000 waiting, %1").arg(payload))
                    .rate.value_or(0);
        }
        Server server(qdeck);
        const int toDrain = qMin(deepTasks, 100'000);
        const Row deepRow = drain(server, deepTasks, toDrain, 8, bytes, syscalls,
                                  QStringLiteral("deep: drain %1 of %2 waiting, %3")
                                      .arg(toDrain)
                                      .arg(deepTasks)
                                      .arg(payload));
        if (shallowRate <= 0 || !deepRow.rate) {
            met = false;
            print(Row{QStringLiteral("deep against shallow, %1").arg(payload),
                      QStringLiteral("no samples: not judged"), QString(), QString()});
            continue;
        }
        const double ratio = *deepRow.rate / shallowRate;
        met &= ratio >= 0.8;
        print(Row{QStringLiteral("deep against shallow, %1").arg(payload),
                  QStringLiteral("%1x").arg(ratio, 0, 'f', 2),
                  ratio >= 0.8 ? QStringLiteral("≥ 0.8x: met") : QStringLiteral("≥ 0.8x: NOT MET"),
                  QString(), ratio, QStringLiteral("ratio")});
    }
    return met;
}

// Every workload asked for, under the condition already in place; false when a check failed.
struct Settings
{
    QString qdeck;
    QStringList only; // empty: every workload but deep
    bool quick = false;
    int scale = 1;
    int ops = 20000;
    int deepTasks = 1'000'000;
    QList<int> deepPayloads{0, 4096}; // 0: the harness's 45 bytes
    bool syscalls = false;
    int rounds = 3; // of producers and raw64, one and many alternating
};

bool runWorkloads(const Settings &settings)
{
    const auto wanted = [&settings](const char *name) {
        return settings.only.isEmpty() ? qstrcmp(name, "deep") != 0
                                       : settings.only.contains(QLatin1StringView(name));
    };
    const QString &qdeck = settings.qdeck;
    const bool quick = settings.quick;
    const int scale = settings.scale;
    const int ops = settings.ops;
    const bool syscalls = settings.syscalls;
    bool failed = false;
    if (wanted("single") || wanted("minimal") || wanted("producers") || wanted("raw64") ||
        wanted("batch") || wanted("drain") || wanted("heartbeat") || wanted("lease") ||
        wanted("complete")) {
        Server server(qdeck);
        if (wanted("single") && !wanted("producers")) {
            const Row row = producers(server, ops, 1, syscalls,
                                      QStringLiteral("single enqueue, one producer awaiting each"));
            noteSingleEnqueue(row);
        }
        if (wanted("minimal"))
            producers(server, ops, 1, syscalls,
                      QStringLiteral("single enqueue answered with its id alone, one producer "
                                     "awaiting each"),
                      true);
        if (wanted("producers")) {
            const RatioRounds rounds = alternate(
                settings.rounds,
                [&](int round) {
                    return producers(server, ops, 1, syscalls,
                                     QStringLiteral("single enqueue, one producer awaiting each%1")
                                         .arg(roundName(round, settings.rounds)),
                                     false, round);
                },
                [&](int round) {
                    return producers(server, 64000 / scale, 64, syscalls,
                                     QStringLiteral("single enqueue, 64 producers awaiting each, "
                                                    "64 connections%1")
                                         .arg(roundName(round, settings.rounds)),
                                     false, round);
                });
            noteSingleEnqueue(rounds.medianOne);
            ratioRow(QStringLiteral("64 producer threads against one"), rounds, Judged::Reported,
                     ceilingNote(rounds));
        }
        if (wanted("raw64")) {
            const RatioRounds rounds = alternate(
                settings.rounds,
                [&](int round) {
                    return rawProducers(server, 20000 / scale, 1, syscalls,
                                        QStringLiteral("raw64: single enqueue, 1 socket%1")
                                            .arg(roundName(round, settings.rounds)),
                                        round);
                },
                [&](int round) {
                    return rawProducers(server, 64000 / scale, 64, syscalls,
                                        QStringLiteral("raw64: single enqueue, 64 sockets, one "
                                                       "request in flight each%1")
                                            .arg(roundName(round, settings.rounds)),
                                        round);
                });
            failed |= !ratioRow(QStringLiteral("raw64: 64 connections against one"), rounds,
                                Judged::IdleTarget);
        }
        if (wanted("heartbeat"))
            heartbeats(server, ops, syscalls);
        if (wanted("lease"))
            leases(server, ops, false, syscalls);
        if (wanted("complete"))
            leases(server, ops, true, syscalls);
        if (wanted("batch"))
            batchEnqueue(server, 200000 / scale, syscalls);
        if (wanted("drain")) {
            const int n = 40000 / scale;
            const Row row = drain(server, n, n, 8, 0, syscalls,
                                  QStringLiteral("drain, lease 8 + batched ack, 8 loops"));
            currentReport().figures.insert(Bench::Figure::DrainRate, row.rate);
            currentReport().figures.insert(
                Bench::Figure::DrainServerCpuUs,
                row.rate
                    ? std::optional(row.server.value(QLatin1StringView("cpu_us_per_op")).toDouble())
                    : std::nullopt);
        }
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
                  QStringLiteral("server RSS %1 MB").arg(rss / 1024), QString(), QString(),
                  double(rss) / 1024, QStringLiteral("MB")});
    }
    if (wanted("deep"))
        failed |= !deep(qdeck, settings.deepTasks, settings.deepPayloads, syscalls);
    return !failed;
}

const char usage[] =
    "usage: qdeck-apibench [--qdeck PATH] [--database postgresql://...] [--quick] [--syscalls]\n"
    "                      [--ops N] [--rounds N]\n"
    "                      [--deep-tasks N] [--deep-payloads BYTES[,BYTES...]]\n"
    "                      [--condition idle|busy-core|pin0 | --conditions all]\n"
    "                      [--peers [COND=]FILE]... [--json FILE] [--only NAME[,NAME...]]\n"
    "       qdeck-apibench --peers [COND=]FILE... --harness-ratios\n"
    "NAME: single minimal producers raw64 heartbeat lease complete batch drain wakeup idle parked "
    "deep\n";

// Empty when every argument is known, else what is wrong: a mistyped switch never starts a full
// run.
QString unknownArgument(const QStringList &args)
{
    static const QStringList flags{QStringLiteral("--quick"), QStringLiteral("--syscalls"),
                                   QStringLiteral("--harness-ratios")};
    static const QStringList valued{
        QStringLiteral("--database"),   QStringLiteral("--qdeck"),
        QStringLiteral("--only"),       QStringLiteral("--ops"),
        QStringLiteral("--deep-tasks"), QStringLiteral("--deep-payloads"),
        QStringLiteral("--condition"),  QStringLiteral("--conditions"),
        QStringLiteral("--peers"),      QStringLiteral("--json"),
        QStringLiteral("--rounds")};
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (flags.contains(arg))
            continue;
        if (!valued.contains(arg))
            return QStringLiteral("qdeck-apibench: unknown argument \"%1\"\n").arg(arg);
        if (++i >= args.size())
            return QStringLiteral("qdeck-apibench: %1 needs a value\n").arg(arg);
    }
    return QString();
}

int main(int argc, char *argv[])
{
    QueueDeck::useHeadlessEventLoop();
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        std::fputs(usage, stdout);
        return 0;
    }
    if (const QString wrong = unknownArgument(args); !wrong.isEmpty()) {
        std::fprintf(stderr, "%s%s", qPrintable(wrong), usage);
        return 1;
    }
    const qsizetype at = args.indexOf(QStringLiteral("--qdeck"));
    Settings settings;
    settings.qdeck =
        at > 0 ? args.value(at + 1)
               : QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("qdeck"));
    if (const qsizetype databaseAt = args.indexOf(QStringLiteral("--database")); databaseAt > 0)
        Server::database = args.value(databaseAt + 1);
    settings.quick = args.contains(QStringLiteral("--quick"));
    settings.scale = settings.quick ? 10 : 1;
    const qsizetype onlyAt = args.indexOf(QStringLiteral("--only"));
    if (onlyAt > 0)
        settings.only = args.value(onlyAt + 1).split(u',', Qt::SkipEmptyParts);
    settings.syscalls = args.contains(QStringLiteral("--syscalls"));
    // --ops N: the number of single enqueues, heartbeats, leases and completes (for instruction
    // counts under callgrind, taken as the difference of two runs).
    const qsizetype opsAt = args.indexOf(QStringLiteral("--ops"));
    settings.ops = opsAt > 0 ? args.value(opsAt + 1).toInt() : 20000 / settings.scale;
    // --rounds N: alternating rounds of one producer and of many (producers, raw64).
    settings.rounds = settings.quick ? 1 : 3;
    if (const qsizetype roundsAt = args.indexOf(QStringLiteral("--rounds")); roundsAt > 0) {
        bool ok = false;
        settings.rounds = args.value(roundsAt + 1).toInt(&ok);
        if (!ok || settings.rounds < 1 || settings.rounds > 20) {
            std::fprintf(stderr, "--rounds takes a count from 1 to 20, e.g. --rounds 3\n");
            return 1;
        }
    }
    const qsizetype deepAt = args.indexOf(QStringLiteral("--deep-tasks"));
    settings.deepTasks = deepAt > 0       ? args.value(deepAt + 1).toInt()
                         : settings.quick ? 100'000
                                          : 1'000'000;
    if (const qsizetype payloadAt = args.indexOf(QStringLiteral("--deep-payloads"));
        payloadAt > 0) {
        // --deep-payloads 45,4096: the payload sizes of `deep` (45: the harness's own payload).
        settings.deepPayloads.clear();
        for (const QString &size : args.value(payloadAt + 1).split(u',')) {
            bool ok = false;
            const int bytes = size.toInt(&ok);
            if (!ok || bytes < 45) {
                std::fprintf(stderr, "--deep-payloads takes sizes of 45 bytes or more, e.g. "
                                     "45,4096\n");
                return 1;
            }
            settings.deepPayloads.append(bytes == 45 ? 0 : bytes);
        }
    }
    const auto conditions = Bench::conditionsFromArguments(args);
    if (!conditions) {
        std::fprintf(stderr, "%s\n", qPrintable(conditions.error()));
        return 1;
    }
    QList<Bench::PeerRun> peers;
    for (qsizetype i = args.indexOf(QStringLiteral("--peers")); i > 0;
         i = args.indexOf(QStringLiteral("--peers"), i + 1)) {
        auto run = Bench::loadPeerRun(args.value(i + 1));
        if (!run) {
            std::fprintf(stderr, "%s\n", qPrintable(run.error()));
            return 1;
        }
        if (Bench::runFor(peers, run->condition)) {
            std::fprintf(stderr, "two peer reports for the condition %s\n",
                         qPrintable(Bench::conditionName(run->condition)));
            return 1;
        }
        peers.append(*run);
    }
    if (args.contains(QStringLiteral("--harness-ratios"))) {
        // The report's own QueueDeck row against its peers, condition by condition.
        if (peers.isEmpty()) {
            std::fprintf(stderr, "--harness-ratios needs --peers [COND=]FILE\n");
            return 1;
        }
        bool met = true;
        for (const Bench::PeerRun &run : peers) {
            ConditionReport report{Bench::conditionName(run.condition), {}, {}, {}};
            for (const Bench::Target &target : Bench::targets())
                report.figures.insert(target.figure,
                                      run.figure(QStringLiteral("queuedeck"), target.figure));
            if (!run.systems.contains(QStringLiteral("queuedeck"))) {
                out() << "Peer harness report " << run.source << ": no QueueDeck row\n";
                continue;
            }
            out() << "Peer harness report " << run.source << ", QueueDeck's row:\n";
            met &= judgeTargets(report, &run);
        }
        return met ? 0 : 2;
    }
    const qsizetype jsonAt = args.indexOf(QStringLiteral("--json"));

    out() << "| condition | workload | result | server cost per operation | client cost per "
             "operation |\n|---|---|---|---|---|\n";
    out().flush();
    bool failed = false;
    QJsonArray reports;
    QList<ConditionReport> done;
    for (const Bench::Condition condition : *conditions) {
        const Bench::ConditionScope scope(condition);
        if (!scope.error().isEmpty()) {
            std::fprintf(stderr, "cannot run under %s: %s\n",
                         qPrintable(Bench::conditionName(condition)), qPrintable(scope.error()));
            return 1;
        }
        done.append(ConditionReport{Bench::conditionName(condition), {}, {}, {}});
        setCurrentReport(&done.last());
        failed |= !runWorkloads(settings);
    }
    // The verdicts after the tables, condition by condition.
    for (ConditionReport &report : done) {
        const auto condition = Bench::conditionFromName(report.condition);
        failed |= !judgeTargets(report, Bench::runFor(peers, *condition));
        QJsonObject entry{{QStringLiteral("condition"), report.condition},
                          {QStringLiteral("rows"), report.rows},
                          {QStringLiteral("targets"), report.targets}};
        if (const Bench::PeerRun *run = Bench::runFor(peers, *condition))
            entry.insert(QStringLiteral("peers"), run->source);
        reports.append(entry);
    }
    out() << "\nConditions: idle (nothing added), busy-core (a child process spinning at the same "
             "priority for the whole run), pin0 (this program and the servers it starts on CPU "
             "0). Rates depend on the machine and its load; the costs per operation travel "
             "better. CPU: all threads' schedstat (server) and getrusage (client); cs: context "
             "switches; syscalls: perf stat -e raw_syscalls:sys_enter (--syscalls).\n";
    if (settings.quick)
        out() << "(quick run: smaller counts)\n";
    out().flush();
    if (jsonAt > 0) {
        if (const QString error = writeJsonReport(args.value(jsonAt + 1), settings.quick, reports);
            !error.isEmpty()) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
    }
    return failed ? 2 : 0;
}
