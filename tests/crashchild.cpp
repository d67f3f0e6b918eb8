// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Helper of tst_crashsafety: runs enqueues, leases and acks on a data directory until killed.
// A line "E <id>" or "A <id>" is printed only after the engine confirmed the operation, i.e. after
// its commit; the test kills this process at random moments and checks every printed line.

#include "engine.h"

#include <QCoreApplication>

#include <cstdio>

using namespace QueueDeck;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fputs("usage: crashchild DATA_DIR\n", stderr);
        return 2;
    }
    EngineOptions options;
    options.dataDirectory = QString::fromLocal8Bit(argv[1]);
    Engine engine(options);
    if (auto started = engine.start(); !started) {
        std::fprintf(stderr, "crashchild: %s\n", qPrintable(started.error().message));
        return 1;
    }
    auto queue = engine.queueByName(QStringLiteral("default"), QStringLiteral("default")).result();
    auto worker = engine
                      .registerWorker({QStringLiteral("crash-worker"),
                                       {queue->id},
                                       QStringLiteral("h"),
                                       1,
                                       {},
                                       1,
                                       {},
                                       {}})
                      .result();
    if (!queue || !worker) {
        std::fputs("crashchild: setup failed\n", stderr);
        return 1;
    }
    std::fputs("READY\n", stdout);
    std::fflush(stdout);
    QList<EnqueueRequest> batch(20);
    for (auto &request : batch) {
        request.type = QStringLiteral("crash");
        request.payload = R"({"k":1})";
    }
    QByteArray out;
    for (;;) {
        // Several operations in flight at once, so that kills land inside group commits.
        auto enqueued = engine.enqueueBatch(queue->id, batch);
        auto single = engine.enqueue(queue->id, batch.first());
        auto leased = engine.lease({worker->workerId, 15, 0});
        out.clear();
        if (auto ids = enqueued.result()) {
            for (const QString &id : *ids)
                out += "E " + id.toLatin1() + '\n';
        }
        if (auto task = single.result())
            out += "E " + task->id.toLatin1() + '\n';
        std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
        std::fflush(stdout);
        auto tasks = leased.result();
        if (!tasks || tasks->isEmpty())
            continue;
        CompleteRequest complete{worker->workerId, {}, {}};
        for (const LeasedTask &task : *tasks)
            complete.acks.append({task.id, task.leaseId, {}});
        auto outcomes = engine.complete(complete).result();
        if (!outcomes)
            continue;
        out.clear();
        for (const ItemOutcome &outcome : *outcomes) {
            if (!outcome.error)
                out += "A " + outcome.taskId.toLatin1() + '\n';
        }
        std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
        std::fflush(stdout);
    }
}
