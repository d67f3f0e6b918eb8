// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "credentialindex.h"
#include "httptypes.h"
#include "protocol/error.h"
#include "router.h"

#include <QFuture>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>

#include <atomic>
#include <memory>
#include <optional>

class QTimer;

namespace QueueDeck {
class Engine;
struct DashboardSnapshot;
struct LeaseRequest;
namespace Http {
class HttpServer;
}
} // namespace QueueDeck

namespace QueueDeck::Api {

struct ApiOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 7070;
    QString publicUrl; // what connect commands advertise; empty: http(s)://address:port
    // The program connect commands start: empty means `qdeck` found on the PATH; the desktop app
    // names its own qdeck when that is on no PATH (after scripts/dev.sh run, say).
    QString workerProgram;
    QString certificatePath;
    QString keyPath;
    // Connect commands and install scripts carry the certificate's fingerprint for workers to pin
    // when it is self-signed (no public CA vouches for it), or always when this is set.
    bool advertiseFingerprint = false;
    Http::HttpLimits limits;
};

// One call being served: the request, its path parameters and who made it.
struct Call
{
    Http::HttpRequest request;
    Http::HttpResponder responder;
    PathParams params;
    Principal principal;
    QString param(const char *name) const { return params.value(QString::fromLatin1(name)); }
};

// The HTTP API of design §6 on top of an Engine. Lives on the API thread; the engine is
// thread-safe and outlives it.
class ApiService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiService)
public:
    ApiService(Engine &engine, ApiOptions options, QObject *parent = nullptr);
    ~ApiService() override;

    QString listen();
    quint16 port() const;
    QString publicUrl() const;
    // sha256:AB:CD:… of the certificate served, when it is to be pinned; empty otherwise.
    QString fingerprint() const { return m_fingerprint; }
    void stopListening();
    // Stops listening and answers every parked request (leases get no tasks, waits get 503).
    void shutdown();
    qint64 bytesToWrite() const;
    QStringList routes() const { return m_router.describe(); }
    QList<RouteEntry> routeTable() const { return m_router.table(); }
    // The placeholder connect commands and install scripts show a viewer instead of a join token.
    static QString joinTokenPlaceholder();

private:
    using Handler = std::function<void(ApiService *, const Call &)>;

    void addRoutes();
    void addBackupRoutes();      // backuproutes.cpp
    void addEnvironmentRoutes(); // environmentroutes.cpp
    void markAudited();
    void handle(const Http::HttpRequest &request, const Http::HttpResponder &responder);
    std::optional<Principal> authenticate(const Http::HttpRequest &request,
                                          const Http::HttpResponder &responder);
    bool authorize(const Call &call, Access access);
    void broadcastStats();
    // The stats event of one environment's readers (empty: the readers of the whole server).
    void sendStats(const DashboardSnapshot &snapshot, const QString &environment);
    void broadcastChanges();

    // Answers.
    static void sendJson(const Http::HttpResponder &responder, int status, const QJsonObject &body);
    // A body that already is compact JSON text.
    static void sendJson(const Http::HttpResponder &responder, int status, QByteArray body);
    static void sendError(const Http::HttpResponder &responder, const Error &error);
    // Sends the engine's answer when it arrives: toJson(value) with `status`, or the error.
    template <typename T, typename ToJson>
    void reply(const Call &call, QFuture<Result<T>> future, ToJson toJson, int status = 200);
    template <typename T> std::optional<T> parsed(const Call &call, Result<T> value);
    // The request body decoded with `decode`, or nothing (the error is answered already).
    template <typename T>
    std::optional<T> parseBody(const Call &call, Result<T> (*decode)(const QJsonObject &));
    bool queueAllowed(const Call &call, const QString &queueId);
    // The join token a principal may see: empty for the admin (the real one is shown), the
    // placeholder for anyone else (a viewer never sees a secret).
    static QString joinTokenShownTo(const Principal &principal);

    // Handlers (apiroutes.cpp).
    void createQueue(const Call &call);
    void listQueues(const Call &call);
    void patchQueue(const Call &call);
    void queueAction(const Call &call, const QString &action);
    void workerCommand(const Call &call);
    void installScript(const Call &call);
    void enqueue(const Call &call);
    void enqueueBatch(const Call &call);
    void enqueueByName(const Call &call);
    void listTasks(const Call &call);
    void getTask(const Call &call);
    void registerWorker(const Call &call);
    void heartbeat(const Call &call, const QString &workerId);
    void lease(const Call &call);
    void leaseAndAnswer(const Http::HttpResponder &responder, const LeaseRequest &request,
                        const QJsonObject &answer);
    void complete(const Call &call);
    void singleComplete(const Call &call, bool ack);
    void extend(const Call &call);
    void events(const Call &call);
    void prometheus(const Call &call);

    Engine &m_engine;
    ApiOptions m_options;
    QString m_fingerprint;
    Http::HttpServer *m_http = nullptr;
    Router<Handler> m_router;
    // A reader of GET /events: the topics it asked for (empty: all) and, when it asked for
    // changed cards only, the cards as last sent to it (without their sample).
    struct EventReader
    {
        Http::HttpResponder stream;
        QList<QByteArray> topics;
        bool changedCardsOnly = false;
        QString environment; // non-empty: stats and queue changes of that environment only
        QHash<QString, QJsonObject> sentCards;
        bool wants(const QByteArray &topic) const
        {
            return topics.isEmpty() || topics.contains(topic);
        }
    };
    QList<EventReader> m_eventStreams;
    struct ParkedLease
    {
        Http::HttpResponder responder;
        std::shared_ptr<std::atomic<bool>> withdrawn;
    };
    QList<ParkedLease> m_parkedLeases;
    QList<Http::HttpResponder> m_parkedWaits;
    void forgetAnswered();
    QTimer *m_statsTimer = nullptr;
    QTimer *m_changesTimer = nullptr;
    QHash<QString, std::pair<qint64, int>> m_authFailures; // peer → (minute, failures)
    QSet<QString> m_audited; // "METHOD pattern" of the admin actions that go to the audit log
};

} // namespace QueueDeck::Api
