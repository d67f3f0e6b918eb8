// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

class QProcess;

namespace QueueDeck::Client {
class QueueDeckClient;
}

namespace QueueDeck::Ui {

// "Try it on this computer": a real `qdeck worker` started here on the queue "demo" (made when
// missing) with the bundled example handler, and a few demo tasks for it, so that a newcomer sees
// a worker attach and tasks run within seconds. The worker is named and labelled as the demo
// (DemoWorker::Name, label demo=true) and stops with this object: SIGTERM (it drains and
// deregisters), SIGKILL after a few seconds; on Linux it also dies with this process. Lives on
// the GUI thread; the window owns it.
class DemoWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DemoWorker)
public:
    enum class State { Stopped, Starting, Running, Failed };
    Q_ENUM(State)

    static constexpr int TaskCount = 5;
    static const QString Name;      // the worker id: "queuedeck-demo"
    static const QString QueueName; // "demo", in the environment "default"

    explicit DemoWorker(QObject *parent = nullptr);
    ~DemoWorker() override; // stops the worker

    // The qdeck to run; empty (the default): the one beside this program, else the PATH's.
    void setProgram(const QString &program) { m_program = program; }
    QString program() const;
    // Where the example handler is put (the app's data directory), for the guide to point at.
    static QString handlerPath();

    // Starts the worker against the server `client` talks to (reached at `serverUrl` from here).
    void start(Client::QueueDeckClient *client, const QUrl &serverUrl);
    // Stops it and waits for it to be gone (a few seconds at most).
    void stop();

    State state() const { return m_state; }
    bool isRunning() const;
    QString queueId() const { return m_queueId; }
    int tasksDone() const { return m_done; }
    // One line for the guide: what the demo does now, or why it could not.
    QString statusText() const;

Q_SIGNALS:
    void stateChanged();

private:
    void fail(const QString &message);
    void setState(State state);
    void launch(const QString &joinToken, const QString &fingerprint);
    void enqueueTasks();

    Client::QueueDeckClient *m_client = nullptr; // the window's; forgotten at stop()
    QUrl m_serverUrl;
    QString m_program;
    QProcess *m_process = nullptr;
    QString m_queueId;
    QStringList m_taskIds;
    QString m_error;
    QString m_lastOutput; // the worker's last line on stderr: why it stopped
    State m_state = State::Stopped;
    int m_done = 0;
    int m_generation = 0; // answers of an earlier start are ignored
};

} // namespace QueueDeck::Ui
