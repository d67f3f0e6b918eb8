// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck-apibench: the HTTP API measured through the client library against a real `qdeck serve`
// (durability normal, keep-alive) on this machine. Prints a Markdown table with each floor.
//
//   qdeck-apibench [--qdeck PATH] [--quick] [--only single|batch|drain|wakeup|parked]

#include "benchsupport.h"
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
        while (port == 0 && process.waitForReadyRead(10000)) {
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
        process.waitForFinished(15000);
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

// A producer that awaits every answer: the client's blocking mode.
double singleEnqueue(Server &server, int n)
{
    ClientOptions options{QUrl(server.url), server.adminToken};
    options.blocking = true;
    QueueDeckClient admin(options);
    const QString queue = createQueue(admin, QStringLiteral("single"));
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < n; ++i)
        must(admin.enqueue(queue, benchTask(i)), "enqueue");
    return n / (timer.nsecsElapsed() / 1e9);
}

double batchEnqueue(Server &server, int n)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
    const QString queue = createQueue(admin, QStringLiteral("batch"));
    QList<EnqueueRequest> batch;
    for (int i = 0; i < 100; ++i)
        batch.append(benchTask(i));
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < n; i += 100)
        must(admin.enqueueBatch(queue, batch), "enqueue batch");
    return n / (timer.nsecsElapsed() / 1e9);
}

// 8 loops, each a worker of its own: lease up to 8, ack them in one call.
double drain(Server &server, int n, int loops)
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
    return done.load() / (timer.nsecsElapsed() / 1e9);
}

// A worker parked in a long-poll; a producer enqueues at a steady rate; latency from the start of
// the enqueue call to the lease answer in the worker, both in this process (same clock).
QList<double> wakeUp(Server &server, int rate, int seconds)
{
    QueueDeckClient admin({QUrl(server.url), server.adminToken});
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
    for (int i = 0; i < total; ++i) {
        const qint64 due = qint64(i) * 1'000'000'000LL / rate;
        while (clock.nsecsElapsed() < due)
            QThread::usleep(std::max<qint64>(50, (due - clock.nsecsElapsed()) / 1000 - 100));
        sentAt[size_t(i)] = clock.nsecsElapsed();
        must(admin.enqueue(queue, benchTask(i)), "enqueue");
    }
    QThread::msleep(500);
    stop = true;
    consumer.join();
    std::sort(latencies.begin(), latencies.end());
    auto at = [&](double q) {
        return latencies.empty()
                   ? 0.0
                   : latencies[std::min(latencies.size() - 1, size_t(q * latencies.size()))];
    };
    return {at(0.50), at(0.95), at(0.99), double(latencies.size())};
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

QString verdict(bool met)
{
    return met ? QStringLiteral("met") : QStringLiteral("NOT MET");
}

} // namespace

int main(int argc, char *argv[])
{
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

    out() << "| workload | result | floor | stretch | verdict |\n|---|---|---|---|---|\n";
    out().flush();
    if (wanted("single") || wanted("batch") || wanted("drain")) {
        Server server(qdeck);
        if (wanted("single")) {
            const double single = singleEnqueue(server, 20000 / scale);
            out() << "| single enqueue, one connection | " << qRound(single)
                  << "/s | 12000 | 33000 | " << verdict(single >= 12000) << " |\n";
            out().flush();
        }
        if (wanted("batch")) {
            const double batch = batchEnqueue(server, 200000 / scale);
            out() << "| batch enqueue (100 per call) | " << qRound(batch)
                  << " tasks/s | 60000 | 150000 | " << verdict(batch >= 60000) << " |\n";
            out().flush();
        }
        if (wanted("drain")) {
            const double drained = drain(server, 40000 / scale, 8);
            out() << "| drain, lease 8 + batched ack, 8 loops | " << qRound(drained)
                  << " tasks/s | 15000 | 24000 | " << verdict(drained >= 15000) << " |\n";
            out().flush();
        }
    }
    if (wanted("wakeup")) {
        Server server(qdeck);
        const QList<double> latency = wakeUp(server, 500, quick ? 2 : 10);
        out() << "| enqueue → lease wake-up at 500/s (" << qRound(latency[3]) << " tasks) | p50 "
              << QString::number(latency[0], 'f', 2) << " ms, p95 "
              << QString::number(latency[1], 'f', 2) << " ms, p99 "
              << QString::number(latency[2], 'f', 2) << " ms | p99 2 ms | p99 0.9 ms | "
              << verdict(latency[2] <= 2.0) << " |\n";
        out().flush();
    }
    if (wanted("parked")) {
        Server server(qdeck);
        const qint64 rss = parkedRss(server, quick ? 200 : 2000);
        out() << "| " << (quick ? 200 : 2000) << " parked long-polls: server RSS | " << rss / 1024
              << " MB | 64 MB | — | " << verdict(rss <= 64 * 1024) << " |\n";
    }
    if (quick)
        out() << "\n(quick run: smaller counts; floors are judged on the full run)\n";
    return 0;
}
