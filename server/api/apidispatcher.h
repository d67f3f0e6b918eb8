// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "apicontext.h"
#include "call.h"
#include "parkedrequests.h"
#include "protocol/nodetypes.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <optional>

namespace QueueDeck {
class Engine;
namespace Http {
class HttpServer;
}
} // namespace QueueDeck

namespace QueueDeck::Api {

class NodeDirectory;
class NodeStats;

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
    // This node's id and counters (made by the service when not given) and, in a cluster, where
    // GET /api/v1/nodes reads the others (without it the server shows itself as standalone).
    std::shared_ptr<NodeStats> nodeStats;
    std::shared_ptr<NodeDirectory> nodeDirectory;
};

// The HTTP API of design §6 on top of an Engine: routing, authentication (with failures slowed
// per address) and the audit of admin actions. The routes and their handlers are in the
// resource files of resourceroutes.h, the event stream in EventHub. Lives on the API thread; the
// engine is thread-safe and outlives it.
class ApiDispatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiDispatcher)
public:
    ApiDispatcher(Engine &engine, ApiOptions options, QObject *parent = nullptr);
    ~ApiDispatcher() override;

    QString listen();
    quint16 port() const;
    QString publicUrl() const;
    // sha256:AB:CD:… of the certificate served, when it is to be pinned; empty otherwise.
    QString fingerprint() const { return m_fingerprint; }
    const ApiOptions &options() const { return m_options; }
    void stopListening();
    // Stops listening and answers every parked request (leases get no tasks, waits get 503).
    void shutdown();
    qint64 bytesToWrite() const;
    // The nodes of GET /api/v1/nodes: the cluster's, or this server alone.
    QList<NodeInfo> nodes() const;
    QStringList routes() const { return m_routes.describe(); }
    QList<RouteEntry> routeTable() const { return m_routes.table(); }
    // The placeholder connect commands and install scripts show a viewer instead of a join token.
    static QString joinTokenPlaceholder();

private:
    void handle(const Http::HttpRequest &request, const Http::HttpResponder &responder);
    std::optional<Principal> credentialOf(QByteArrayView token,
                                          const Http::HttpResponder &responder) const;
    std::optional<Principal> authenticate(const Http::HttpRequest &request,
                                          const Http::HttpResponder &responder);
    bool authorize(const Call &call, Access access);
    void audit(const Call &call, const QString &pattern);

    Engine &m_engine;
    ApiOptions m_options;
    QString m_fingerprint;
    Http::HttpServer *m_http = nullptr;
    RouteTable m_routes;
    ParkedRequests m_parked;
    EventHub *m_events = nullptr;
    ApiContext m_context;
    QHash<QString, std::pair<qint64, int>> m_authFailures; // peer → (minute, failures)
};

} // namespace QueueDeck::Api
