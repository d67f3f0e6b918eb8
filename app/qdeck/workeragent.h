// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/wiretypes.h"
#include "serverlist.h"

#include <QHash>
#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>

#include <map>
#include <memory>
#include <optional>

class QProcess;
class QTimer;

namespace QueueDeck::Client {
class QueueDeckClient;
}

namespace QueueDeck::Cli {

struct WorkerConfig
{
    Client::ServerList servers;        // one server, or the nodes of a cluster: tried round-robin
    QString joinToken;                 // from QUEUEDECK_TOKEN or --token-file, never from argv
    QMap<QString, QString> joinTokens; // by queue id, from --token-file: one per queue
    QString serverFingerprint;         // --server-fingerprint or QUEUEDECK_SERVER_FINGERPRINT
    QString caFile;                    // --ca-file or QUEUEDECK_CA_FILE: a private CA
    QStringList queueIds;
    int concurrency = 1;
    Labels labels;
    QString name; // worker id; empty: host-pid-random
    QStringList command;
    int graceMs = 10'000;    // SIGTERM → SIGKILL
    bool streamMode = false; // one long-lived handler exchanging JSON lines
    int leaseWaitMs = 20'000;
};

// Exit codes of `qdeck worker start` (sysexits.h values where one fits).
enum WorkerExit : int {
    ExitOk = 0,
    ExitUsage = 64,
    ExitNoCapacity = 75, // EX_TEMPFAIL: a slot may free up later
    ExitRefused = 77,    // EX_NOPERM: the token was refused
};

// `qdeck worker start` in exec mode: registers on its queues, heartbeats, leases only while a
// slot is free, runs one handler process per task (payload on stdin, task fields in the
// environment, QUEUEDECK_TOKEN removed), streams its output as task logs, and acknowledges or
// fails in batches. drain() (SIGTERM/SIGINT) takes nothing new, lets running handlers finish,
// deregisters and finishes with 0. A server that is down or restarting is waited for; with several
// servers (the nodes of a cluster) the agent moves on to the next one instead, and its
// registration and leases go on there (they live in the shared database).
class WorkerAgent final : public QObject
{
    Q_OBJECT
public:
    explicit WorkerAgent(WorkerConfig config, QObject *parent = nullptr);
    ~WorkerAgent() override;

    void start();
    void drain();

Q_SIGNALS:
    void finished(int exitCode);

private:
    struct Running;

    void registerNow();
    void heartbeat();
    void leaseMore();
    void leaseWithOutcomes(int max);
    void leaseFailed(const QUrl &failedOn, const Error &error);
    bool rejoinIfForgotten(const Error &error, bool anyNotFound);
    void reportOutcomes(const QList<ItemOutcome> &outcomes);
    void runTask(const LeasedTask &task);
    // What a handler needs to enqueue children of its task (docs/runs.md): never the credential.
    void addChildAccess(QProcessEnvironment &environment, const LeasedTask *task) const;
    void armTimers(Running &run);
    void settle(const QString &taskId, std::optional<QByteArray> result, const QString &error,
                bool retryable);
    void startStream();
    void streamOutput();
    void streamExited(const QString &why);
    void handlerOutput(Running &run, bool stderrChannel);
    void handlerFinished(const QString &taskId, int exitCode, bool crashed);
    void terminate(Running &run, const QString &why);
    void flushLogs();
    void flushCompletions();
    void maybeFinish();
    void log(const QString &line) const;
    // After a call to `failedOn` failed with `error`: moves on to the next server when the node
    // could not be reached or was unavailable. True when this call moved (or another call already
    // had), so the caller may ask again at once.
    bool failOver(const QUrl &failedOn, const Error &error);
    Client::QueueDeckClient &clientFor(const QUrl &server);

    WorkerConfig m_config;
    QString m_workerId;
    QByteArray m_credentialHash; // SHA-256 of the credential: the key of child tokens
    // One client per server: a call already under way on one finishes there (its answer or its
    // failure) while the next calls go to the current server.
    std::map<QString, std::unique_ptr<Client::QueueDeckClient>> m_clients;
    Client::QueueDeckClient *m_client = nullptr; // the current server's
    QString m_token;                             // the join token, then the credential
    int m_certificateRefusals = 0;               // in a row, over all servers
    int m_deregisterTries = 0;
    QHash<QString, Running *> m_running; // by task id
    QList<TaskAck> m_acks;
    QList<TaskFail> m_fails;
    QTimer *m_heartbeatTimer;
    QTimer *m_flushTimer;
    bool m_registered = false;
    bool m_leasing = false;
    bool m_completing = false;
    int m_sentOutcomes = 0;     // in a complete call without a lease, not yet confirmed
    int m_logCallsInFlight = 0; // log lines sent, not yet answered: outcomes wait for them
    bool m_draining = false;
    bool m_deregistering = false;
    bool m_deregistered = false;
    int m_leaseFailures = 0;
    QProcess *m_stream = nullptr; // stream mode: the handler
    QByteArray m_streamPartial;
    int m_streamRestartMs = 1000;
};

} // namespace QueueDeck::Cli
