// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "faktorycommandparser.h"

#include "engine.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>

class QTcpServer;

namespace QueueDeck::Faktory {

class FaktoryConnection;

struct FaktoryOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 7419; // 0: any free port
    // Clients must prove in HELLO that they know the listener's password (Engine::faktoryPassword,
    // read at every HELLO, so that a rotation applies to the next connection). Off: no password,
    // allowed on loopback only.
    bool requirePassword = false;
    // Both set: TLS (clients connect with tcp+tls://), as the HTTP listener serves HTTPS.
    QString certificatePath;
    QString keyPath;
    QString environment = QStringLiteral("default"); // where Faktory queues live
    qint64 maxLineBytes = 8 << 20;                   // a longer command line is refused
    int handshakeTimeoutMs = 10000;
    int fetchWaitMs = 2000;
    bool allowFlush = false; // FLUSH purges every queue of the environment
};

// The Faktory work protocol (FWP v2) on the engine (docs/faktory.md). Create it, and call every
// method, on the engine's thread: requests reach the engine without a thread switch, as the
// HTTP API's do.
class FaktoryService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaktoryService)
public:
    FaktoryService(Engine &engine, FaktoryOptions options, QObject *parent = nullptr);
    ~FaktoryService() override;

    QString listen(); // an error message, or empty
    quint16 port() const;
    void shutdown(); // stops accepting; open connections close
    qint64 bytesToWrite() const;

    // sha256 of password + salt, hashed again until it was hashed `iterations` times, in hex.
    static QByteArray passwordHash(const QString &password, const QString &salt, int iterations);

private:
    struct Worker
    {
        QString workerId; // the QueueDeck worker this wid is
        QString hostname;
        qint64 pid = 0;
        Labels labels;
        QStringList queueIds; // the queues it holds a slot of
        QStringList wanted;   // the queues its FETCHes named
        bool registered = false;
        bool registering = false;
        QList<std::function<void(const std::optional<Error> &)>> waiting;
        enum class State { Running, Quiet, Terminate } state = State::Running;
    };
    struct InFlight
    {
        QString wid;
        QString taskId;
        QString leaseId;
        int retry = 25;
    };
    using QueueIdsCallback = std::function<void(Result<QStringList>)>;

    void handleNewConnections();
    void dispatch(FaktoryConnection *connection, const FaktoryLine &line);
    void hello(FaktoryConnection *connection, const QByteArray &argument);
    void identify(FaktoryConnection *connection, const QJsonObject &hello);
    void push(FaktoryConnection *connection, const QByteArray &argument);
    void pushBulk(FaktoryConnection *connection, const QByteArray &argument);
    void fetch(FaktoryConnection *connection, const QByteArray &argument);
    void ack(FaktoryConnection *connection, const QByteArray &argument);
    void fail(FaktoryConnection *connection, const QByteArray &argument);
    void beat(FaktoryConnection *connection, const QByteArray &argument);
    void info(FaktoryConnection *connection);
    void flush(FaktoryConnection *connection);
    void queueCommand(FaktoryConnection *connection, const QByteArray &argument);
    // MUTATE (faktorymutate.cpp).
    struct MutateRun;
    void mutate(FaktoryConnection *connection, const QByteArray &argument);
    void mutateCollect(std::shared_ptr<MutateRun> run);
    void mutateApply(std::shared_ptr<MutateRun> run);

    // Queue ids for Faktory queue names, creating missing queues with the listener's defaults.
    void resolveQueues(QStringList names, QueueIdsCallback done, QStringList resolved = {},
                       bool retried = false);
    void ensureRegistered(const QString &wid, const QStringList &queueIds,
                          std::function<void(const std::optional<Error> &)> done);
    void leaseFor(QPointer<FaktoryConnection> connection, const QString &wid,
                  const QStringList &queueIds);
    void registerWorker(const QString &wid);
    // Enqueues one job; done gets its jid and, when it was refused, why.
    void pushOne(const QJsonObject &job, std::function<void(QString, std::optional<QString>)> done);
    void answerError(FaktoryConnection *connection, const Error &error);

    Engine &m_engine;
    FaktoryOptions m_options;
    QTcpServer *m_server = nullptr;
    QSet<FaktoryConnection *> m_connections;
    QHash<QString, Worker> m_workers;    // by wid
    QHash<QString, InFlight> m_inFlight; // by jid
    QHash<QString, QString> m_queueIds;  // Faktory queue name → queue id
    QElapsedTimer m_uptime;
    quint64 m_commands = 0;
};

} // namespace QueueDeck::Faktory
