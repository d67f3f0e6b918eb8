// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "apiservice.h"

#include "engine.h"
#include "httpserver.h"
#include "protocol/codec.h"
#include "protocol/fingerprint.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSslCertificate>
#include <QTimer>

Q_LOGGING_CATEGORY(lcApi, "queuedeck.api")

namespace QueueDeck::Api {

namespace {
constexpr int MaxAuthFailuresPerMinute = 20;
} // namespace

ApiService::ApiService(Engine &engine, ApiOptions options, QObject *parent)
    : QObject(parent), m_engine(engine), m_options(std::move(options)),
      m_statsTimer(new QTimer(this)), m_changesTimer(new QTimer(this))
{
    addRoutes();
    markAudited();
    m_statsTimer->setInterval(1000);
    connect(m_statsTimer, &QTimer::timeout, this, &ApiService::broadcastStats);
    m_changesTimer->setInterval(250);
    connect(m_changesTimer, &QTimer::timeout, this, &ApiService::broadcastChanges);
}

ApiService::~ApiService() = default;

QString ApiService::listen()
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

quint16 ApiService::port() const
{
    return m_http ? m_http->port() : 0;
}

QString ApiService::publicUrl() const
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

void ApiService::stopListening()
{
    if (m_http)
        m_http->stopListening();
    m_statsTimer->stop();
    m_changesTimer->stop();
}

void ApiService::forgetAnswered()
{
    m_parkedLeases.removeIf(
        [](const ParkedLease &parked) { return !parked.responder.isPending(); });
    m_parkedWaits.removeIf(
        [](const Http::HttpResponder &responder) { return !responder.isPending(); });
}

void ApiService::shutdown()
{
    stopListening();
    forgetAnswered();
    for (const ParkedLease &parked : std::as_const(m_parkedLeases)) {
        parked.withdrawn->store(true);
        sendJson(parked.responder, 200, QJsonObject{{QStringLiteral("tasks"), QJsonArray()}});
    }
    for (const Http::HttpResponder &responder : std::as_const(m_parkedWaits))
        sendError(responder,
                  Error{ErrorCode::Unavailable,
                        QStringLiteral("the server is shutting down; ask again in a moment"),
                        {}});
    m_parkedLeases.clear();
    m_parkedWaits.clear();
}

qint64 ApiService::bytesToWrite() const
{
    return m_http ? m_http->bytesToWrite() : 0;
}

void ApiService::sendJson(const Http::HttpResponder &responder, int status, const QJsonObject &body)
{
    sendJson(responder, status, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void ApiService::sendJson(const Http::HttpResponder &responder, int status, QByteArray body)
{
    Http::HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    responder.send(response);
}

void ApiService::sendError(const Http::HttpResponder &responder, const Error &error)
{
    sendJson(responder, httpStatus(error.code), Codec::errorBody(error));
}

void ApiService::handle(const Http::HttpRequest &request, const Http::HttpResponder &responder)
{
    const auto match = m_router.match(request.method, request.path);
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
    Call call{request, responder, match.params, {}};
    if (match.access != Access::Anyone) {
        auto principal = authenticate(request, responder);
        if (!principal)
            return;
        call.principal = *principal;
        if (!authorize(call, match.access))
            return;
    }
    if (m_audited.contains(QString::fromLatin1(request.method) + u' ' + match.pattern)) {
        static const char *const kinds[] = {"admin", "join", "worker", "producer", "viewer"};
        QStringList targets = call.params.values();
        targets.sort();
        m_engine
            .recordAudit(AuditEntry{
                0, 0, QString::fromLatin1(kinds[int(call.principal.kind)]), call.principal.name,
                QString::fromLatin1(request.method) + u' ' + match.pattern, targets.join(u' ')})
            .then(this, [](const Result<void> &recorded) {
                if (!recorded)
                    qCWarning(lcApi)
                        << "could not write the audit log:" << recorded.error().message;
            });
    }
    (*match.handler)(this, call);
}

std::optional<Principal> ApiService::authenticate(const Http::HttpRequest &request,
                                                  const Http::HttpResponder &responder)
{
    // A valid credential is always taken: only failures are counted and slowed, so a neighbour
    // with a stale token (workers on one host, hosts behind one NAT share an address) never
    // locks out the others.
    const QByteArray header = request.header("authorization");
    const bool bearer = header.startsWith("Bearer ");
    if (bearer) {
        if (auto principal =
                m_engine.credentials().find(QByteArrayView(header).sliced(7).trimmed()))
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

bool ApiService::authorize(const Call &call, Access access)
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

QString ApiService::joinTokenPlaceholder()
{
    return QStringLiteral("JOIN_TOKEN_HIDDEN_ASK_AN_ADMIN");
}

QString ApiService::joinTokenShownTo(const Principal &principal)
{
    return principal.kind == PrincipalKind::Admin ? QString() : joinTokenPlaceholder();
}

bool ApiService::queueAllowed(const Call &call, const QString &queueId)
{
    // Reached only through routes a principal was authorised for: a viewer here only reads.
    if (call.principal.kind == PrincipalKind::Admin ||
        call.principal.kind == PrincipalKind::Viewer || call.principal.queueIds.contains(queueId))
        return true;
    sendError(call.responder, Error{ErrorCode::PermissionDenied,
                                    QStringLiteral("this token may not use queue %1").arg(queueId),
                                    {}});
    return false;
}

void ApiService::broadcastStats()
{
    m_eventStreams.removeIf([](const EventReader &reader) { return !reader.stream.isOpen(); });
    if (m_eventStreams.isEmpty()) {
        m_statsTimer->stop();
        m_changesTimer->stop();
        return;
    }
    QSet<QString> environments;
    for (const EventReader &reader : std::as_const(m_eventStreams)) {
        if (reader.wants("stats"))
            environments.insert(reader.environment);
    }
    for (const QString &environment : std::as_const(environments)) {
        m_engine.dashboard(environment)
            .then(this, [this, environment](const Result<DashboardSnapshot> &snapshot) {
                if (snapshot)
                    sendStats(*snapshot, environment);
            });
    }
}

void ApiService::sendStats(const DashboardSnapshot &snapshot, const QString &environment)
{
    {
        QJsonObject full = Codec::toJson(snapshot);
        QByteArray fullData; // made once, when a reader wants every card
        // Readers of changed cards only get the KPIs, every queue id in order, each queue's
        // newest sample as [depth, running, wait p50, p95, p99], and of the cards (without their
        // sample) only what differs from what they were sent: a new card whole, a changed one
        // as its id and the fields that changed.
        QList<std::pair<QString, QJsonObject>> cards;
        QJsonArray ids;
        QJsonObject samples;
        const auto compact = [](const QJsonObject &object) {
            return QJsonDocument(object).toJson(QJsonDocument::Compact);
        };
        const bool anyChangedOnly = std::any_of(
            m_eventStreams.cbegin(), m_eventStreams.cend(), [&environment](const EventReader &r) {
                return r.changedCardsOnly && r.wants("stats") && r.environment == environment;
            });
        if (anyChangedOnly) {
            for (const QueueCard &card : snapshot.cards) {
                const MetricSample &last = card.last;
                samples.insert(card.queue.id, QJsonArray{last.depth, last.running, last.waitP50Ms,
                                                         last.waitP95Ms, last.waitP99Ms});
            }
            for (const QJsonValue &value : full.value(QStringLiteral("cards")).toArray()) {
                QJsonObject object = value.toObject();
                object.remove(QStringLiteral("last"));
                const QString id = object.value(QStringLiteral("id")).toString();
                ids.append(id);
                cards.append({id, object});
            }
        }
        for (EventReader &reader : m_eventStreams) {
            if (!reader.wants("stats") || reader.environment != environment)
                continue;
            if (!reader.changedCardsOnly) {
                if (fullData.isEmpty())
                    fullData = compact(full);
                reader.stream.sendEvent("stats", fullData);
                continue;
            }
            QJsonArray changed;
            QHash<QString, QJsonObject> sent;
            sent.reserve(cards.size());
            for (const auto &[id, object] : std::as_const(cards)) {
                const auto before = reader.sentCards.constFind(id);
                if (before == reader.sentCards.cend()) {
                    changed.append(object);
                } else if (*before != object) {
                    QJsonObject part{{QStringLiteral("id"), id}};
                    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
                        if (before->value(it.key()) != it.value())
                            part.insert(it.key(), it.value());
                    }
                    changed.append(part);
                }
                sent.insert(id, object);
            }
            reader.sentCards = std::move(sent);
            QJsonObject delta = full;
            delta.insert(QStringLiteral("cards"), changed);
            delta.insert(QStringLiteral("queue_ids"), ids);
            delta.insert(QStringLiteral("samples"), samples);
            delta.insert(QStringLiteral("changed_only"), true);
            reader.stream.sendEvent("stats", compact(delta));
        }
    }
}

// Four times a second: one event per queue, worker and task that changed. A removed queue or
// worker comes as {"id", "removed": true}; task changes beyond the engine's cap per look come as
// one `overflow` event, after which a client reloads its task lists.
void ApiService::broadcastChanges()
{
    if (m_eventStreams.isEmpty())
        return;
    m_engine.takeChanges().then(this, [this](const Result<ChangeSet> &changes) {
        if (!changes)
            return;
        QList<std::pair<QByteArray, QByteArray>> events;
        QList<QString> eventEnvironment; // of each event: a queue's environment, else empty
        const auto compact = [](const QJsonObject &object) {
            return QJsonDocument(object).toJson(QJsonDocument::Compact);
        };
        const auto removed = [&compact](const QString &id) {
            return compact(
                QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("removed"), true}});
        };
        for (const QueueInfo &queue : changes->queues) {
            events.append({"queue", compact(Codec::toJson(queue))});
            eventEnvironment.resize(events.size() - 1);
            eventEnvironment.append(queue.environment);
        }
        for (const QString &id : changes->removedQueues)
            events.append({"queue", removed(id)});
        for (const WorkerInfo &worker : changes->workers)
            events.append({"worker", compact(Codec::toJson(worker))});
        for (const QString &id : changes->removedWorkers)
            events.append({"worker", removed(id)});
        for (const TaskChange &task : changes->tasks)
            events.append({"task", compact(QJsonObject{{QStringLiteral("id"), task.id},
                                                       {QStringLiteral("queue_id"), task.queueId},
                                                       {QStringLiteral("state"), task.state}})});
        if (changes->droppedTasks > 0)
            events.append({"overflow", compact(QJsonObject{{QStringLiteral("dropped_tasks"),
                                                            changes->droppedTasks}})});
        eventEnvironment.resize(events.size());
        for (const EventReader &reader : std::as_const(m_eventStreams)) {
            for (qsizetype i = 0; i < events.size(); ++i) {
                const auto &[event, data] = events.at(i);
                if (!reader.wants(event))
                    continue;
                if (!reader.environment.isEmpty() && !eventEnvironment.at(i).isEmpty() &&
                    eventEnvironment.at(i) != reader.environment)
                    continue;
                reader.stream.sendEvent(event, data);
            }
        }
    });
}

} // namespace QueueDeck::Api
