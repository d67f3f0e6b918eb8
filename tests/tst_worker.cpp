// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// End to end with real processes: `qdeck serve`, and workers started from the very command the
// API hands out, only its placeholder handler replaced.

#include "enginefixture.h"
#include "queuedeckclient.h"
#include "runsclient.h"
#include "serverprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTcpServer>
#include <QTemporaryDir>

#include <csignal>

using namespace QueueDeck;
using namespace QueueDeck::Client;
using namespace QueueDeck::Testing;

namespace {

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

class TestWorker final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    quint16 m_port = freePort();
    ServerProcess m_server{{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_port),
                            QStringLiteral("--public-url"),
                            QStringLiteral("http://localhost:%1").arg(m_port)}};
    std::unique_ptr<QueueDeckClient> m_admin;
    std::vector<std::unique_ptr<QProcess>> m_workers;

    // A handler script: appends its task id to a file, optionally sleeps first.
    QString writeHandler(const QString &name, const QString &body)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write("#!/bin/sh\n" + body.toUtf8() + '\n');
        file.close();
        file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
        return path;
    }

    // Runs the API's worker command through a shell, verbatim but for the handler.
    // channels: the worker's stderr goes to the test's unless it is to be read.
    QProcess *startWorker(const QString &command, const QString &handler,
                          QProcess::ProcessChannelMode channels = QProcess::ForwardedErrorChannel)
    {
        QString line = command;
        line.replace(QStringLiteral("-- ./handle-task"), QStringLiteral("-- ") + handler);
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("PATH"),
                           QFileInfo(QStringLiteral(QDECK_PATH)).absolutePath() + u':' +
                               environment.value(QStringLiteral("PATH")));
        process->setProcessEnvironment(environment);
        process->setProcessChannelMode(channels);
        // bash runs a lone command in its own process: the QProcess is the worker itself.
        process->start(QStringLiteral("/bin/bash"), {QStringLiteral("-c"), line});
        m_workers.push_back(std::move(process));
        return m_workers.back().get();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.start());
        m_admin = std::make_unique<QueueDeckClient>(
            ClientOptions{QUrl(m_server.url()), m_server.adminToken()});
    }

    void cleanup()
    {
        for (auto &worker : m_workers) {
            worker->terminate();
            if (!worker->waitForFinished(15000))
                worker->kill();
        }
        m_workers.clear();
    }

    void threeWorkersRunEveryTaskOnce()
    {
        QueueSettings settings;
        settings.maxWorkers = 5;
        QD_AWAIT(queue,
                 m_admin->createQueue(QStringLiteral("default"), QStringLiteral("mail"), settings));
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        const QString line = command.value(QStringLiteral("command")).toString();
        QVERIFY2(line.contains(QStringLiteral("--server http://localhost:%1").arg(m_port)),
                 qPrintable(line));
        const QString done = m_dir.filePath(QStringLiteral("done.log"));
        const QString handler = writeHandler(
            QStringLiteral("record.sh"),
            QStringLiteral("cat >/dev/null\necho \"$QUEUEDECK_TASK_ID\" >> '%1'\necho '{\"ok\":1}'")
                .arg(done));
        for (int i = 0; i < 3; ++i)
            startWorker(line, handler);

        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto info = await(m_admin->queue(queue.id));
                return info && info->counts.workersOnline == 3;
            }(),
            15000);
        QD_AWAIT(info, m_admin->queue(queue.id));
        QCOMPARE(info.counts.workersOnline, 3); // 3 / 5 slots used
        QCOMPARE(info.settings.maxWorkers, 5);

        QList<EnqueueRequest> batch;
        for (int i = 0; i < 1000; ++i)
            batch.append(job(QByteArray("{\"i\":") + QByteArray::number(i) + '}'));
        QD_AWAIT(ids, m_admin->enqueueBatch(queue.id, batch));
        QCOMPARE(ids.size(), 1000);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto state = await(m_admin->queue(queue.id));
                return state && state->counts.succeeded == 1000;
            }(),
            120000);

        QFile file(done);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QStringList handled = QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
        // A task run twice is named with what the server knows of it, to tell a task leased
        // twice (its attempts) from one a worker ran twice.
        QStringList twice;
        QSet<QString> seen;
        for (const QString &id : std::as_const(handled)) {
            if (seen.contains(id))
                twice.append(id);
            seen.insert(id);
        }
        for (const QString &id : std::as_const(twice)) {
            auto task = await(m_admin->task(id));
            qWarning().noquote() << "run twice:" << id << "attempts" << (task ? task->attempts : -1)
                                 << "state"
                                 << (task ? taskStateName(task->state) : task.error().message);
            for (const QString &line : QString::fromUtf8(m_server.errorOutput()).split(u'\n')) {
                if (line.contains(id))
                    qWarning().noquote() << "  server:" << line;
            }
        }
        QVERIFY2(twice.isEmpty(),
                 qPrintable(QStringLiteral("tasks run more than once: ") + twice.join(u' ')));
        QCOMPARE(handled.size(), 1000);
        QStringList expected = ids;
        expected.sort();
        handled.sort();
        QCOMPARE(handled, expected);
        QD_AWAIT(workers, m_admin->listWorkers(queue.id));
        qint64 total = 0;
        for (const WorkerInfo &worker : workers)
            total += worker.done;
        QCOMPARE(total, qint64(1000));

        // SIGTERM drains: each worker deregisters and exits 0.
        for (auto &worker : m_workers) {
            worker->terminate();
            QVERIFY(worker->waitForFinished(15000));
            QCOMPARE(worker->exitStatus(), QProcess::NormalExit);
            QCOMPARE(worker->exitCode(), 0);
        }
        m_workers.clear();
        QD_AWAIT(after, m_admin->queue(queue.id));
        QCOMPARE(after.counts.workersOnline, 0);
    }

    void killedWorkersTaskRunsAgainElsewhere()
    {
        QueueSettings settings;
        settings.maxWorkers = 2;
        settings.workerTimeoutS = 5;
        QD_AWAIT(queue,
                 m_admin->createQueue(QStringLiteral("default"), QStringLiteral("slow"), settings));
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        const QString line = command.value(QStringLiteral("command")).toString();
        const QString started = m_dir.filePath(QStringLiteral("started.log"));
        const QString orphan = m_dir.filePath(QStringLiteral("orphan.pid"));
        // The first attempt hangs (and outlives its killed worker: its pid is kept to end it);
        // a second one finishes at once.
        const QString handler = writeHandler(
            QStringLiteral("slow.sh"),
            QStringLiteral(
                "cat >/dev/null\necho \"$QUEUEDECK_ATTEMPT\" >> '%1'\n"
                "if [ \"$QUEUEDECK_ATTEMPT\" = 1 ]; then echo $$ > '%2'; exec sleep 600; "
                "fi\nexit 0")
                .arg(started, orphan));
        QProcess *first = startWorker(line, handler);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto info = await(m_admin->queue(queue.id));
                return info && info->counts.workersOnline == 1;
            }(),
            15000);
        QD_AWAIT(task, m_admin->enqueue(queue.id, job(R"({"slow":true})")));
        QTRY_VERIFY_WITH_TIMEOUT([&] { return QFileInfo(started).size() > 0; }(), 15000);

        QFile comm(QStringLiteral("/proc/%1/comm").arg(first->processId()));
        QVERIFY(comm.open(QIODevice::ReadOnly));
        QCOMPARE(comm.readAll().trimmed(), QByteArray("qdeck"));
        ::kill(pid_t(first->processId()), SIGKILL); // the worker, not its handler
        QVERIFY(first->waitForFinished(5000));
        startWorker(line, handler);
        QElapsedTimer timer;
        timer.start();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto info = await(m_admin->task(task.id));
                return info && info->state == TaskState::Succeeded;
            }(),
            30000);
        QD_AWAIT(finished, m_admin->task(task.id));
        QCOMPARE(finished.attempts, 2);
        QD_AWAIT(info, m_admin->queue(queue.id));
        QCOMPARE(info.counts.running, qint64(0));
        QCOMPARE(info.counts.workersLost, 1);
        QFile pid(orphan);
        if (pid.open(QIODevice::ReadOnly))
            ::kill(pid_t(pid.readAll().trimmed().toLongLong()), SIGKILL);
    }

    // --handler-mode stream: one handler process for many tasks, JSON lines both ways.
    void streamHandlerTakesManyTasks()
    {
        QueueSettings settings;
        settings.retry.maxAttempts = 1;
        QD_AWAIT(queue, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("stream"),
                                             settings));
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        QString line = command.value(QStringLiteral("command")).toString();
        line.replace(QStringLiteral("-- ./handle-task"),
                     QStringLiteral("--handler-mode stream --concurrency 8 -- ./handle-task"));
        const QString starts = m_dir.filePath(QStringLiteral("stream-starts.log"));
        const QString script = m_dir.filePath(QStringLiteral("stream.py"));
        {
            QFile file(script);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QStringLiteral(R"PY(import json, os, sys
with open("%1", "a") as starts:
    starts.write(str(os.getpid()) + "\n")
for line in sys.stdin:
    task = json.loads(line)
    if "cancel" in task:
        continue
    n = task["payload"]["n"]
    print(json.dumps({"id": task["id"], "log": "n=%d" % n}))
    if n < 0:
        print(json.dumps({"id": task["id"], "error": "negative", "retryable": False}))
    else:
        print(json.dumps({"id": task["id"], "result": 2 * n}))
    sys.stdout.flush()
)PY")
                           .arg(starts)
                           .toUtf8());
        }
        const QString handler = writeHandler(QStringLiteral("stream.sh"),
                                             QStringLiteral("exec python3 '%1'").arg(script));
        QProcess *worker = startWorker(line, handler);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto info = await(m_admin->queue(queue.id));
                return info && info->counts.workersOnline == 1;
            }(),
            15000);
        QList<EnqueueRequest> batch;
        for (int i = 0; i < 200; ++i)
            batch.append(job(QByteArray("{\"n\":") + QByteArray::number(i) + '}'));
        batch.append(job(R"({"n":-1})"));
        QD_AWAIT(ids, m_admin->enqueueBatch(queue.id, batch));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto state = await(m_admin->queue(queue.id));
                return state && state->counts.succeeded + state->counts.dead == 201;
            }(),
            60000);
        QD_AWAIT(info, m_admin->queue(queue.id));
        QCOMPARE(info.counts.succeeded, qint64(200));
        QCOMPARE(info.counts.dead, qint64(1));
        QD_AWAIT(some, m_admin->task(ids[7]));
        QCOMPARE(some.result, QByteArray("14"));
        QD_AWAIT(logs, m_admin->taskLogs(ids[7]));
        QCOMPARE(logs.size(), 1);
        QCOMPARE(logs[0].text, QStringLiteral("n=7"));
        QD_AWAIT(negative, m_admin->task(ids[200]));
        QCOMPARE(negative.state, TaskState::Dead);
        QCOMPARE(negative.lastError, QStringLiteral("negative"));
        QFile file(starts);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().count('\n'), 1); // started once for all of them

        worker->terminate();
        QVERIFY(worker->waitForFinished(20000));
        QCOMPARE(worker->exitCode(), 0);
        m_workers.clear();
    }

    // A stream handler that dies: its task fails and comes back, the handler is started again.
    void streamHandlerThatDiesIsStartedAgain()
    {
        QD_AWAIT(queue, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("phoenix")));
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        QString line = command.value(QStringLiteral("command")).toString();
        line.replace(QStringLiteral("-- ./handle-task"),
                     QStringLiteral("--handler-mode stream -- ./handle-task"));
        const QString starts = m_dir.filePath(QStringLiteral("phoenix-starts.log"));
        const QString script = m_dir.filePath(QStringLiteral("phoenix.py"));
        {
            QFile file(script);
            QVERIFY(file.open(QIODevice::WriteOnly));
            // The first start dies at its first task; later starts answer.
            file.write(QStringLiteral(R"PY(import json, sys
with open("%1", "a") as starts:
    starts.write("x\n")
first = sum(1 for _ in open("%1")) == 1
for line in sys.stdin:
    task = json.loads(line)
    if "cancel" in task:
        continue
    if first:
        sys.exit(3)
    print(json.dumps({"id": task["id"], "result": task["attempt"]}), flush=True)
)PY")
                           .arg(starts)
                           .toUtf8());
        }
        QD_AWAIT_VOID(m_admin->updateQueue(queue.id, [] { // retried at once
            QueuePatch patch;
            patch.initialBackoffMs = 0;
            return patch;
        }()));
        const QString handler = writeHandler(QStringLiteral("phoenix.sh"),
                                             QStringLiteral("exec python3 '%1'").arg(script));
        startWorker(line, handler);
        QD_AWAIT(task, m_admin->enqueue(queue.id, job()));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto info = await(m_admin->task(task.id));
                return info && info->state == TaskState::Succeeded;
            }(),
            30000);
        QD_AWAIT(done, m_admin->task(task.id));
        QCOMPARE(done.attempts, 2);             // the first attempt died with its handler
        QCOMPARE(done.result, QByteArray("2")); // the second handler saw attempt 2
        QFile file(starts);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().count('\n'), 2); // started again once
    }

    // The server stops and comes back: the worker waits for it, keeps its results, and goes on.
    void workerOutlivesAServerRestart()
    {
        QD_AWAIT(queue, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("steady")));
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        const QString done = m_dir.filePath(QStringLiteral("steady.log"));
        const QString handler = writeHandler(
            QStringLiteral("steady.sh"),
            QStringLiteral("cat >/dev/null\necho \"$QUEUEDECK_TASK_ID\" >> '%1'").arg(done));
        QProcess *worker = startWorker(command.value(QStringLiteral("command")).toString(), handler,
                                       QProcess::ForwardedOutputChannel); // its log is read below
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto info = await(m_admin->queue(queue.id));
                return info && info->counts.workersOnline == 1;
            }(),
            15000);
        QD_AWAIT(before, m_admin->enqueue(queue.id, job()));
        QTRY_VERIFY_WITH_TIMEOUT([&] { return QFileInfo(done).size() > 0; }(), 15000);

        QCOMPARE(m_server.stop(), 0);
        // The worker's calls fail meanwhile, and it says so.
        QByteArray said;
        QTRY_VERIFY_WITH_TIMEOUT((said += worker->readAllStandardError()).contains("lease failed"),
                                 15000);
        QCOMPARE(worker->state(), QProcess::Running);
        QVERIFY(m_server.start());
        QList<EnqueueRequest> batch;
        for (int i = 0; i < 10; ++i)
            batch.append(job());
        QD_AWAIT(ids, m_admin->enqueueBatch(queue.id, batch));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto info = await(m_admin->queue(queue.id));
                return info && info->counts.succeeded == 11;
            }(),
            30000);
        QD_AWAIT(workers, m_admin->listWorkers(queue.id));
        QCOMPARE(workers.size(), 1); // the same worker, not a second registration
        Q_UNUSED(before);
    }

    void noCapacityExits75()
    {
        QueueSettings settings;
        settings.maxWorkers = 1;
        QD_AWAIT(queue,
                 m_admin->createQueue(QStringLiteral("default"), QStringLiteral("one"), settings));
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        const QString line = command.value(QStringLiteral("command")).toString();
        const QString handler = writeHandler(QStringLiteral("noop.sh"), QStringLiteral("exit 0"));
        startWorker(line, handler);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto info = await(m_admin->queue(queue.id));
                return info && info->counts.workersOnline == 1;
            }(),
            15000);
        QProcess *second = startWorker(line, handler);
        QVERIFY(second->waitForFinished(15000));
        QCOMPARE(second->exitCode(), 75);
    }

    // The handler gets a child token (never the worker's credential) and enqueues children of
    // its task with `qdeck run child`; the same token is refused once the task has ended.
    void handlerEnqueuesChildrenWithItsChildToken()
    {
        QD_AWAIT(queue, m_admin->createQueue(QStringLiteral("default"), QStringLiteral("fanout")));
        QD_AWAIT(command, m_admin->workerCommand(queue.id));
        const QString line = command.value(QStringLiteral("command")).toString();
        const QString tokenFile = m_dir.filePath(QStringLiteral("child-token"));
        const QString envFile = m_dir.filePath(QStringLiteral("handler-env"));
        const QString handler = writeHandler(
            QStringLiteral("fanout.sh"),
            QStringLiteral("cat >/dev/null\n"
                           "if [ \"$QUEUEDECK_TYPE\" = root ]; then\n"
                           "  env > '%1'\n"
                           "  printf '%s' \"$QUEUEDECK_CHILD_TOKEN\" > '%2'\n"
                           "  qdeck run child --type step --payload '{\"n\":1}' || exit 1\n"
                           "  qdeck run child --type step --payload '{\"n\":2}' || exit 1\n"
                           "fi\n"
                           "echo '{}'")
                .arg(envFile, tokenFile));
        startWorker(line, handler);
        EnqueueRequest root = job();
        root.type = QStringLiteral("root");
        QD_AWAIT(task, m_admin->enqueue(queue.id, root));
        RunsClient runs(*m_admin);
        RunInfo run;
        // Each look waits up to 5 s on the server for the run to end.
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto got = await(runs.run(task.id, 5));
                if (got)
                    run = *got;
                return got && isFinished(got->state);
            }(),
            60000);
        QCOMPARE(runStateName(run.state), QStringLiteral("succeeded"));
        QCOMPARE(run.total, qint64(3));
        QCOMPARE(run.tasks.at(1).parentId, task.id);

        QFile env(envFile);
        QVERIFY(env.open(QIODevice::ReadOnly));
        const QByteArray environment = env.readAll();
        QVERIFY(environment.contains("QUEUEDECK_CHILD_TOKEN=qdc_"));
        QVERIFY2(!environment.contains("qdw_"), "the worker credential reached the handler");
        QVERIFY2(!environment.contains("qdj_"), "the join token reached the handler");

        QFile tokenText(tokenFile);
        QVERIFY(tokenText.open(QIODevice::ReadOnly));
        ClientOptions options{QUrl(m_server.url()), QString::fromUtf8(tokenText.readAll())};
        QueueDeckClient handlerClient(options);
        RunsClient late(handlerClient);
        ChildEnqueue child;
        child.parentId = task.id;
        child.task = job();
        auto refused = await(late.enqueueChild(child));
        QVERIFY(!refused);
        QCOMPARE(errorCodeName(refused.error().code), QStringLiteral("FAILED_PRECONDITION"));
    }

    void cleanupTestCase() { QCOMPARE(m_server.stop(), 0); }
};

QTEST_GUILESS_MAIN(TestWorker)
#include "tst_worker.moc"
