// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "apidispatcher.h"

#include "apilog.h"
#include "engine.h"
#include "eventhub.h"
#include "httpserver.h"
#include "nodedirectory.h"
#include "nodestats.h"
#include "protocol/fingerprint.h"
#include "protocol/secrets.h"
#include "resourceroutes.h"
#include "routesupport.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSslCertificate>
#include <QSysInfo>

Q_LOGGING_CATEGORY(lcApi, "queuedeck.api", QtInfoMsg) // debug: on request

namespace QueueDeck::Api {

namespace {
constexpr int MaxAuthFailuresPerMinute = 20;
} // namespace

ApiDispatcher::ApiDispatcher(Engine &engine, ApiOptions options, QObject *parent)
    : QObject(parent), m_engine(engine), m_options(std::move(options)),
      m_events(new EventHub(engine, this)), m_context{engine, this, m_parked, *m_events, *this}
{
    addResourceRoutes(m_routes);
    if (!m_options.nodeStats)
        m_options.nodeStats = std::make_shared<NodeStats>(QSysInfo::machineHostName(),
                                                          QDateTime::currentMSecsSinceEpoch());
}

ApiDispatcher::~ApiDispatcher() = default;

QString ApiDispatcher::listen()
{
    m_http = new Http::HttpServer(
        m_options.limits,
        [this](const Http::HttpRequest &request, const Http::HttpResponder &responder) {
            handle(request, responder);
        },
        this);
    std::optional<Http::TlsFiles> tls;
    if (!m_options.certificatePath.isEmpty())
        tls = Http::TlsFiles{m_options.certificatePath, m_options.keyPath};
    const QString error = m_http->listen(m_options.address, m_options.port, tls);
    if (error.isEmpty() && tls) {
        const auto chain = QSslCertificate::fromPath(m_options.certificatePath);
        if (!chain.isEmpty() && (m_options.advertiseFingerprint || chain.first().isSelfSigned()))
            m_fingerprint = Fingerprint::ofCertificate(chain.first().toDer());
    }
    return error;
}

quint16 ApiDispatcher::port() const
{
    return m_http ? m_http->port() : 0;
}

QString ApiDispatcher::publicUrl() const
{
    if (!m_options.publicUrl.isEmpty())
        return m_options.publicUrl;
    const QString scheme =
        m_options.certificatePath.isEmpty() ? QStringLiteral("http") : QStringLiteral("https");
    QString host = m_options.address.toString();
    if (m_options.address.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    return QStringLiteral("%1://%2:%3").arg(scheme, host).arg(port());
}

void ApiDispatcher::stopListening()
{
    if (m_http)
        m_http->stopListening();
    m_events->stop();
}

void ApiDispatcher::shutdown()
{
    stopListening();
    m_parked.answerAll();
}

qint64 ApiDispatcher::bytesToWrite() const
{
    return m_http ? m_http->bytesToWrite() : 0;
}

QList<NodeInfo> ApiDispatcher::nodes() const
{
    if (m_options.nodeDirectory)
        return m_options.nodeDirectory->nodes();
    return {m_options.nodeStats->self(publicUrl(), QString::fromLatin1(NodeRole::Standalone))};
}

void ApiDispatcher::handle(const Http::HttpRequest &request, const Http::HttpResponder &responder)
{
    m_options.nodeStats->countRequest(m_http ? m_http->connectionCount() : 0);
    auto match = m_routes.match(request.method, request.path);
    if (!match.handler) {
        if (match.pathKnown)
            sendError(
                responder,
                Error{ErrorCode::MethodNotAllowed,
                      QStringLiteral("%1 is not allowed on %2; see /api/v1/openapi.json for the "
                                     "methods of each path")
                          .arg(QString::fromLatin1(request.method), request.path),
                      {}});
        else
            sendError(responder,
                      Error{ErrorCode::NotFound,
                            QStringLiteral("no such path: %1; the API lives under /api/v1")
                                .arg(request.path),
                            {}});
        return;
    }
    Call call{request, responder, std::move(match.params), {}};
    if (match.access != Access::Anyone) {
        auto principal = authenticate(request, responder);
        if (!principal)
            return;
        call.principal = *principal;
        if (!authorize(call, match.access))
            return;
    }
    if (match.audit == Audit::Yes)
        audit(call, match.pattern);
    (*match.handler)(m_context, call);
}

void ApiDispatcher::audit(const Call &call, const QString &pattern)
{
    static const char *const kinds[] = {"admin", "join", "worker", "producer", "viewer", "child"};
    QStringList targets = call.params.values();
    targets.sort();
    m_engine
        .recordAudit(AuditEntry{
            0, 0, QString::fromLatin1(kinds[int(call.principal.kind)]), call.principal.name,
            QString::fromLatin1(call.request.method) + u' ' + pattern, targets.join(u' ')})
        .then(this, [](const Result<void> &recorded) {
            if (!recorded)
                qCWarning(lcApi) << "could not write the audit log:" << recorded.error().message;
        });
}

// A connection keeps the hash of the last token it presented, so a client that sends the same
// token on every request costs one SHA-256 per connection, not one per request. The hash is
// still looked up each time: a token revoked or rotated is refused at its next request.
std::optional<Principal> ApiDispatcher::credentialOf(QByteArrayView token,
                                                     const Http::HttpResponder &responder) const
{
    const CredentialIndex &credentials = m_engine.credentials();
    if (token.isEmpty() || CredentialIndex::isChildToken(token))
        return credentials.find(token);
    const auto [keptToken, keptHash] = responder.kept();
    if (sameSecret(keptToken, token))
        return credentials.findHashed(keptHash);
    const QByteArray tokenHash = CredentialIndex::hash(token);
    auto principal = credentials.findHashed(tokenHash);
    if (principal)
        responder.keep(token.toByteArray(), tokenHash);
    return principal;
}

std::optional<Principal> ApiDispatcher::authenticate(const Http::HttpRequest &request,
                                                     const Http::HttpResponder &responder)
{
    // A valid credential is always taken: only failures are counted and slowed, so a neighbour
    // with a stale token (workers on one host, hosts behind one NAT share an address) never
    // locks out the others.
    const QByteArrayView header = request.headerView("authorization");
    const bool bearer = header.startsWith("Bearer ");
    if (bearer) {
        if (auto principal = credentialOf(header.sliced(7).trimmed(), responder))
            return principal;
    }
    const QString peer = request.peer.toString();
    const qint64 minute = QDateTime::currentSecsSinceEpoch() / 60;
    if (m_authFailures.size() > 10'000) // forget addresses whose minute is over
        m_authFailures.removeIf(
            [minute](const std::pair<const QString &, std::pair<qint64, int> &> &entry) {
                return entry.second.first != minute;
            });
    auto &[failureMinute, failures] = m_authFailures[peer];
    if (failureMinute != minute) {
        failureMinute = minute;
        failures = 0;
    }
    if (failures >= MaxAuthFailuresPerMinute) {
        sendError(responder,
                  Error{ErrorCode::ResourceExhausted,
                        QStringLiteral("too many failed authentications from %1; check the token "
                                       "and try again in a minute")
                            .arg(peer),
                        {}});
        return std::nullopt;
    }
    ++failures;
    sendError(responder,
              Error{ErrorCode::Unauthenticated,
                    bearer ? QStringLiteral("the token is not valid: it was mistyped, rotated or "
                                            "revoked")
                           : QStringLiteral("send a token in the Authorization header: Bearer "
                                            "<token>"),
                    {}});
    return std::nullopt;
}

bool ApiDispatcher::authorize(const Call &call, Access access)
{
    const Principal &who = call.principal;
    if (who.kind == PrincipalKind::Admin)
        return true;
    const QString pathWorker = call.param("id");
    bool allowed = false;
    QString need;
    switch (access) {
    case Access::Anyone:
        allowed = true;
        break;
    case Access::Admin:
        need = QStringLiteral("the admin token");
        break;
    case Access::JoinOrAdmin:
        // A worker's own credential may register that worker again (checked by the engine).
        allowed = who.kind == PrincipalKind::Join || who.kind == PrincipalKind::Worker;
        need = QStringLiteral("the queue's join token or the admin token");
        break;
    case Access::Worker:
    case Access::WorkerOrAdmin:
        // Routes under /tasks/{id} check the lease's owner in the engine instead.
        allowed = who.kind == PrincipalKind::Worker &&
                  (pathWorker.isEmpty() || call.request.path.startsWith(u"/api/v1/tasks/") ||
                   pathWorker == who.name);
        need = QStringLiteral("this worker's own credential");
        break;
    case Access::ProducerOrAdmin:
        allowed = who.kind == PrincipalKind::Producer;
        need = QStringLiteral("a producer token for this queue or the admin token");
        if (who.kind == PrincipalKind::Viewer)
            need = QStringLiteral("the admin token or a producer token; a viewer token only reads");
        break;
    case Access::Read:
        allowed = who.kind == PrincipalKind::Viewer;
        need = QStringLiteral("the admin token or a viewer token");
        break;
    case Access::ProducerOrRead:
        allowed = who.kind == PrincipalKind::Producer || who.kind == PrincipalKind::Viewer;
        need = QStringLiteral("a producer token for this queue, a viewer token or the admin token");
        break;
    case Access::WorkerOrChild:
        // The engine checks that the worker holds the task's live lease.
        allowed = who.kind == PrincipalKind::Worker ||
                  (who.kind == PrincipalKind::Child && who.taskId == call.param("tid"));
        need = QStringLiteral("the credential of the worker holding this task, or the child "
                              "token its worker agent gave the handler for it");
        break;
    }
    if (!allowed && who.kind == PrincipalKind::Viewer && access == Access::Admin)
        need = QStringLiteral("the admin token; a viewer token only reads");
    if (!allowed)
        sendError(call.responder,
                  Error{ErrorCode::PermissionDenied,
                        QStringLiteral("this token may not do that; it needs %1").arg(need),
                        {}});
    return allowed;
}

QString ApiDispatcher::joinTokenPlaceholder()
{
    return Api::joinTokenPlaceholder();
}

} // namespace QueueDeck::Api
