// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "demoworker.h"

#include "queuedeckclient.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace QueueDeck::Ui {

const QString DemoWorker::Name = QStringLiteral("queuedeck-demo");
const QString DemoWorker::QueueName = QStringLiteral("demo");

namespace {

constexpr int StopWaitMs = 5000;

} // namespace

DemoWorker::DemoWorker(QObject *parent) : QObject(parent) {}

DemoWorker::~DemoWorker()
{
    stop();
}

QString DemoWorker::program() const
{
    if (!m_program.isEmpty())
        return m_program;
    const QFileInfo beside(
        QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("qdeck")));
    if (beside.isFile() && beside.isExecutable())
        return beside.absoluteFilePath();
    return QStandardPaths::findExecutable(QStringLiteral("qdeck"));
}

QString DemoWorker::handlerPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
        .filePath(QStringLiteral("demo/handle-task"));
}

bool DemoWorker::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

void DemoWorker::start(Client::QueueDeckClient *client, const QUrl &serverUrl)
{
    stop();
    m_client = client;
    m_serverUrl = serverUrl;
    m_error.clear();
    m_lastOutput.clear();
    m_done = 0;
    m_taskIds.clear();
    const QString qdeck = program();
    const QFileInfo found(qdeck);
    if (qdeck.isEmpty() || !found.isFile() || !found.isExecutable()) {
        return fail(tr("The qdeck program was not found beside QueueDeck (%1) nor on the PATH. "
                       "Build it with scripts/dev.sh build, or install the qdeck package, then "
                       "try again.")
                        .arg(QDir::toNativeSeparators(QCoreApplication::applicationDirPath())));
    }
    // The example handler, where the user can read it (and start their own from it).
    const QString handler = handlerPath();
    QDir().mkpath(QFileInfo(handler).absolutePath());
    QFile::remove(handler);
    if (!QFile::copy(QStringLiteral(":/demo/handle-task"), handler)) {
        return fail(tr("Could not write the demo handler to %1: check that the directory is "
                       "writable.")
                        .arg(QDir::toNativeSeparators(handler)));
    }
    QFile::setPermissions(handler, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    setState(State::Starting);

    QueueSettings settings;
    settings.description = tr("Tasks of the demo started by \"Try it on this computer\"");
    const int generation = m_generation;
    const auto stale = [this, generation] { return generation != m_generation; };
    const auto withQueue = [this, stale](const QueueInfo &queue) {
        if (stale() || !m_client)
            return;
        m_queueId = queue.id;
        // The join token travels only in the connect command (QUEUEDECK_TOKEN=… qdeck …).
        m_client->workerCommand(queue.id).then(this, [this,
                                                      stale](const Result<QJsonObject> &command) {
            if (stale())
                return;
            if (!command)
                return fail(command.error().message);
            static const QRegularExpression tokenPattern(QStringLiteral("QUEUEDECK_TOKEN=(\\S+)"));
            const QString token =
                tokenPattern.match(command->value(QStringLiteral("command")).toString())
                    .captured(1);
            if (token.isEmpty())
                return fail(
                    tr("The server's connect command for %1 holds no join token.").arg(QueueName));
            launch(token, command->value(QStringLiteral("server_fingerprint")).toString());
        });
    };
    client->createQueue(QStringLiteral("default"), QueueName, settings)
        .then(this, [this, stale, withQueue](const Result<QueueInfo> &created) {
            if (stale() || !m_client)
                return;
            if (created)
                return withQueue(*created);
            if (created.error().code != ErrorCode::AlreadyExists)
                return fail(created.error().message);
            // There from an earlier demo: use it.
            m_client->listQueues(QStringLiteral("default"))
                .then(this, [this, stale, withQueue](const Result<QList<QueueInfo>> &queues) {
                    if (stale())
                        return;
                    if (!queues)
                        return fail(queues.error().message);
                    for (const QueueInfo &queue : *queues) {
                        if (queue.name == QueueName)
                            return withQueue(queue);
                    }
                    fail(tr("The queue %1 vanished while the demo started: try again.")
                             .arg(QueueName));
                });
        });
}

void DemoWorker::launch(const QString &joinToken, const QString &fingerprint)
{
    if (!m_client)
        return;
    m_process = new QProcess(this);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QUEUEDECK_TOKEN"), joinToken); // never in argv
    if (!fingerprint.isEmpty())
        environment.insert(QStringLiteral("QUEUEDECK_SERVER_FINGERPRINT"), fingerprint);
    m_process->setProcessEnvironment(environment);
    m_process->setProgram(program());
    m_process->setArguments({QStringLiteral("worker"), QStringLiteral("start"),
                             QStringLiteral("--queue-id"), m_queueId, QStringLiteral("--server"),
                             m_serverUrl.toString(QUrl::RemovePath), QStringLiteral("--name"), Name,
                             QStringLiteral("--label"), QStringLiteral("demo=true"),
                             QStringLiteral("--concurrency"), QStringLiteral("2"),
                             QStringLiteral("--"), QStringLiteral("/bin/sh"), handlerPath()});
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    m_process->setStandardOutputFile(QProcess::nullDevice());
#ifdef Q_OS_LINUX
    // Should this process die without stopping it, the worker goes too: no orphan.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        const QList<QByteArray> lines = m_process->readAllStandardError().trimmed().split('\n');
        if (!lines.isEmpty() && !lines.last().trimmed().isEmpty())
            m_lastOutput = QString::fromUtf8(lines.last().trimmed());
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(tr("The demo worker could not start (%1): %2")
                     .arg(QDir::toNativeSeparators(program()), m_process->errorString()));
    });
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus) {
        if (m_state == State::Stopped)
            return;
        fail(m_lastOutput.isEmpty()
                 ? tr("The demo worker stopped (exit code %1).").arg(code)
                 : tr("The demo worker stopped (exit code %1): %2").arg(code).arg(m_lastOutput));
    });
    connect(m_process, &QProcess::started, this, [this] {
        setState(State::Running);
        enqueueTasks();
    });
    m_process->start();
}

void DemoWorker::enqueueTasks()
{
    if (!m_client)
        return;
    QList<EnqueueRequest> requests;
    for (int i = 1; i <= TaskCount; ++i) {
        EnqueueRequest request;
        request.type = QStringLiteral("demo.hello");
        request.payload =
            QJsonDocument(QJsonObject{{QStringLiteral("greeting"), QStringLiteral("hello")},
                                      {QStringLiteral("n"), i}})
                .toJson(QJsonDocument::Compact);
        requests.append(request);
    }
    const int generation = m_generation;
    m_client->enqueueBatch(m_queueId, requests)
        .then(this, [this, generation](const Result<QStringList> &ids) {
            if (generation != m_generation)
                return;
            if (!ids)
                return fail(ids.error().message);
            m_taskIds = *ids;
            Q_EMIT stateChanged();
            // Each answer comes when its task is finished (or after a minute: asked again).
            for (const QString &id : std::as_const(m_taskIds)) {
                auto follow = std::make_shared<std::function<void()>>();
                *follow = [this, id, generation, follow] {
                    if (!m_client || generation != m_generation)
                        return;
                    m_client->task(id, 60).then(
                        this, [this, generation, follow](const Result<TaskInfo> &task) {
                            if (generation != m_generation || m_state != State::Running)
                                return;
                            if (task && isFinished(task->state)) {
                                ++m_done;
                                Q_EMIT stateChanged();
                                return;
                            }
                            if (task) // still running after a minute
                                (*follow)();
                        });
                };
                (*follow)();
            }
        });
}

void DemoWorker::stop()
{
    ++m_generation;
    m_client = nullptr;
    if (m_process) {
        QProcess *process = m_process;
        m_process = nullptr;
        process->disconnect(this);
        if (process->state() != QProcess::NotRunning) {
            process->terminate(); // drains and deregisters
            if (!process->waitForFinished(StopWaitMs)) {
                process->kill();
                process->waitForFinished(StopWaitMs);
            }
        }
        delete process;
    }
    if (m_state != State::Stopped && m_state != State::Failed)
        setState(State::Stopped);
}

void DemoWorker::fail(const QString &message)
{
    m_error = message;
    if (m_process && m_process->state() != QProcess::NotRunning) {
        ++m_generation;
        QProcess *process = m_process;
        m_process = nullptr;
        process->disconnect(this);
        process->kill();
        process->waitForFinished(StopWaitMs);
        process->deleteLater();
    }
    setState(State::Failed);
}

void DemoWorker::setState(State state)
{
    m_state = state;
    Q_EMIT stateChanged();
}

QString DemoWorker::statusText() const
{
    switch (m_state) {
    case State::Stopped:
        return {};
    case State::Starting:
        return tr("Starting a demo worker on this computer…");
    case State::Running:
        if (m_taskIds.isEmpty())
            return tr("The demo worker %1 runs on this computer; sending it %n demo task(s)…",
                      nullptr, TaskCount)
                .arg(Name);
        return tr("The demo worker %1 runs on this computer: %2 of %n demo task(s) done. Watch "
                  "it on the card of the queue %3 and under Workers; it stops when this window "
                  "closes.",
                  nullptr, int(m_taskIds.size()))
            .arg(Name)
            .arg(m_done)
            .arg(QueueName);
    case State::Failed:
        break;
    }
    return m_error;
}

} // namespace QueueDeck::Ui
