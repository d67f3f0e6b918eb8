// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The worker agent given several servers (the nodes of a cluster): it skips one that does not
// answer, and when its server dies under a running task it moves to the next, where its
// registration and lease are still valid (they live in the database; here a second server takes
// over the first one's data directory on another port).

#include "enginefixture.h"
#include "queuedeckclient.h"
#include "serverprocess.h"

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

QStringList listenOn(quint16 port)
{
    return {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port)};
}

QString urlOf(quint16 port)
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port);
}

} // namespace

class TestWorkerFailover final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<QProcess>> m_workers;

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

    // Runs the API's worker command through a shell with its --server replaced by `servers` and
    // its placeholder handler by `handler`. The worker's log is read by the test.
    QProcess *startWorker(QString command, const QString &servers, const QString &handler)
    {
        const qsizetype at = command.indexOf(QStringLiteral("--server "));
        const qsizetype end = command.indexOf(u' ', at + 9);
        command.replace(at, end - at, QStringLiteral("--server ") + servers);
        command.replace(QStringLiteral("-- ./handle-task"), QStringLiteral("-- ") + handler);
        auto process = std::make_unique<QProcess>();
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("PATH"),
                           QFileInfo(QStringLiteral(QDECK_PATH)).absolutePath() + u':' +
                               environment.value(QStringLiteral("PATH")));
        process->setProcessEnvironment(environment);
        process->setProcessChannelMode(QProcess::ForwardedOutputChannel);
        // bash runs a lone command in its own process: the QProcess is the worker itself.
        process->start(QStringLiteral("/bin/bash"), {QStringLiteral("-c"), command});
        m_workers.push_back(std::move(process));
        return m_workers.back().get();
    }

    static bool succeeded(QueueDeckClient &admin, const QString &queueId, qint64 count)
    {
        auto info = await(admin.queue(queueId));
        return info && info->counts.succeeded == count;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void cleanup()
    {
        for (auto &worker : m_workers) {
            worker->terminate();
            if (!worker->waitForFinished(15000))
                worker->kill();
        }
        m_workers.clear();
    }

    // The first server given does not answer: the worker registers on the second and runs.
    void unreachableFirstServerIsSkipped()
    {
        const quint16 port = freePort();
        ServerProcess server(listenOn(port));
        QVERIFY(server.start());
        QueueDeckClient admin(ClientOptions{QUrl(urlOf(port)), server.adminToken()});
        QD_AWAIT(queue, admin.createQueue(QStringLiteral("default"), QStringLiteral("skip")));
        QD_AWAIT(command, admin.workerCommand(queue.id));
        const QString handler = writeHandler(QStringLiteral("noop.sh"),
                                             QStringLiteral("cat >/dev/null\necho '{\"ok\":1}'"));
        const QString dead = urlOf(freePort()); // nobody listens there
        QProcess *worker = startWorker(command.value(QStringLiteral("command")).toString(),
                                       dead + u',' + urlOf(port), handler);
        QD_AWAIT(task, admin.enqueue(queue.id, job()));
        QTRY_VERIFY_WITH_TIMEOUT(succeeded(admin, queue.id, 1), 20000);
        const QByteArray said = worker->readAllStandardError();
        QVERIFY2(said.contains(QStringLiteral("moving to %1").arg(urlOf(port)).toUtf8()), said);
        Q_UNUSED(task);
    }

    // The server dies while the worker runs a task; a second server over the same data takes
    // over on another port. The worker moves there, its task's outcome is taken (the task ran
    // once), and it goes on taking work — as the same worker, not a second registration.
    void workerMovesToTheNextServerMidTask()
    {
        const quint16 firstPort = freePort();
        const quint16 secondPort = freePort();
        ServerProcess first(listenOn(firstPort));
        QVERIFY(first.start());
        ServerProcess second(listenOn(secondPort));
        second.useDataDir(first.dataDir());
        const QString token = first.adminToken();
        auto admin =
            std::make_unique<QueueDeckClient>(ClientOptions{QUrl(urlOf(firstPort)), token});
        QD_AWAIT(queue, admin->createQueue(QStringLiteral("default"), QStringLiteral("move")));
        QD_AWAIT(command, admin->workerCommand(queue.id));
        const QString started = m_dir.filePath(QStringLiteral("started"));
        const QString release = m_dir.filePath(QStringLiteral("release"));
        const QString handler = writeHandler(
            QStringLiteral("wait.sh"),
            QStringLiteral("cat >/dev/null\necho \"$QUEUEDECK_TASK_ID\" >> '%1'\n"
                           "while [ ! -e '%2' ]; do sleep 0.05; done\necho '{\"ok\":1}'")
                .arg(started, release));
        QProcess *worker = startWorker(command.value(QStringLiteral("command")).toString(),
                                       urlOf(firstPort) + u',' + urlOf(secondPort), handler);
        QD_AWAIT(task, admin->enqueue(queue.id, job()));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(started).size() > 0, 20000);

        ::kill(pid_t(first.processId()), SIGKILL);
        QCOMPARE(first.stop(), -1);
        admin.reset();
        QVERIFY(second.start());
        QCOMPARE(second.adminToken(), token);
        admin = std::make_unique<QueueDeckClient>(ClientOptions{QUrl(urlOf(secondPort)), token});
        QFile(release).open(QIODevice::WriteOnly);

        QTRY_VERIFY_WITH_TIMEOUT(succeeded(*admin, queue.id, 1), 30000);
        QD_AWAIT(done, admin->task(task.id));
        QCOMPARE(done.attempts, 1); // its lease held: not run again
        QD_AWAIT(more, admin->enqueue(queue.id, job()));
        QTRY_VERIFY_WITH_TIMEOUT(succeeded(*admin, queue.id, 2), 30000);
        QD_AWAIT(workers, admin->listWorkers(queue.id));
        QCOMPARE(workers.size(), 1);

        QFile starts(started);
        QVERIFY(starts.open(QIODevice::ReadOnly));
        QCOMPARE(starts.readAll().count('\n'), 2); // the first task once, then the second
        const QByteArray said = worker->readAllStandardError();
        QVERIFY2(said.contains(QStringLiteral("moving to %1").arg(urlOf(secondPort)).toUtf8()),
                 said);
        Q_UNUSED(more);
    }
};

QTEST_GUILESS_MAIN(TestWorkerFailover)
#include "tst_workerfailover.moc"
