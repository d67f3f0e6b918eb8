// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "clienttransport.h"

#include "clientlog.h"
#include "protocol/codec.h"

#include <QDateTime>
#include <QJsonObject>
#include <QTimer>

namespace QueueDeck::Client {

ClientTransport::ClientTransport(ClientOptions options) : m_options(std::move(options))
{
    m_basePath = m_options.server.path().toUtf8();
    while (m_basePath.endsWith('/'))
        m_basePath.chop(1);
    if (m_options.blocking)
        return; // stays on the creating thread
    m_thread.setObjectName(QStringLiteral("queuedeck-client"));
    moveToThread(&m_thread);
    m_thread.start();
}

ClientTransport::~ClientTransport()
{
    const auto closeAll = [this] {
        delete m_blockingConnection;
        for (Lane &lane : m_lanes) {
            qDeleteAll(lane.connections);
            for (Request &request : lane.waiting)
                resolve(request,
                        makeError(ErrorCode::Unavailable, QStringLiteral("the client was closed")));
        }
        m_lanes.clear();
    };
    if (m_options.blocking) {
        closeAll();
        return;
    }
    QMetaObject::invokeMethod(this, closeAll, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

TlsTrust ClientTransport::trust() const
{
    return TlsTrust{m_options.verifyTls, m_options.serverFingerprint, m_options.caFile};
}

void ClientTransport::setToken(const QString &token)
{
    QMutexLocker lock(&m_mutex);
    m_options.token = token;
}

QFuture<Result<QByteArray>> ClientTransport::send(QByteArray method, QString path, QByteArray body,
                                                  CallOptions options)
{
    auto promise = std::make_shared<QPromise<Result<QByteArray>>>();
    promise->start();
    QFuture<Result<QByteArray>> future = promise->future();
    if (method == "GET")
        options.idempotent = true;
    Request request{
        std::move(method), std::move(path), std::move(body), std::move(options), 0, promise};
    if (m_options.blocking)
        runBlocking(std::move(request));
    else
        QMetaObject::invokeMethod(
            this, [this, request] { start(request); }, Qt::QueuedConnection);
    return future;
}

void ClientTransport::start(Request request)
{
    Lane &lane = m_lanes[request.options.parkedLane];
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    HttpClientConnection *connection = nullptr;
    for (auto it = lane.connections.begin(); it != lane.connections.end();) {
        HttpClientConnection *candidate = *it;
        if (!candidate->isBusy() &&
            (!candidate->isUsable() || now - candidate->idleSinceMs() > MaxIdleMs)) {
            candidate->deleteLater();
            it = lane.connections.erase(it);
            continue;
        }
        if (!connection && !candidate->isBusy())
            connection = candidate;
        ++it;
    }
    if (!connection) {
        if (int(lane.connections.size()) >= MaxConnectionsPerLane) {
            lane.waiting.push_back(std::move(request));
            return;
        }
        connection = new HttpClientConnection(m_options.server, trust(), this);
        lane.connections.push_back(connection);
    }
    const QString laneName = request.options.parkedLane;
    connection->send(request.method, m_basePath + request.path.toUtf8(), headers(request.options),
                     request.body, int(m_options.timeoutMs + request.options.extraTimeoutMs),
                     [this, request, laneName](HttpAnswer answer) {
                         finish(laneName, request, std::move(answer));
                     });
}

std::optional<Result<QByteArray>> ClientTransport::outcome(const Request &request,
                                                           HttpAnswer answer) const
{
    if (m_options.onAnswer && answer.status != 0)
        m_options.onAnswer(request.method, request.path, answer.status, answer.body,
                           answer.contentType);
    const bool mayRetry = request.options.idempotent && request.attempt < m_options.retries;
    if (answer.status == 0 && answer.certificateRefused) // asking again cannot help
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("cannot reach the QueueDeck server at %1: %2")
                .arg(m_options.server.toString(), answer.failure),
            QJsonObject{{QStringLiteral("reason"), QStringLiteral("tls_certificate_refused")}});
    if (answer.status == 0) {
        if (mayRetry) {
            qCDebug(lcClient) << request.method << request.path << "failed:" << answer.failure
                              << "- asking again";
            return std::nullopt;
        }
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot reach the QueueDeck server at %1: %2")
                             .arg(m_options.server.toString(), answer.failure));
    }
    if (answer.status >= 200 && answer.status < 300)
        return std::move(answer.body);
    if (answer.status == 503 && mayRetry) {
        qCDebug(lcClient) << request.method << request.path << "answered 503 - asking again";
        return std::nullopt;
    }
    return std::unexpected(Codec::errorFromBody(answer.status, answer.body));
}

QByteArray ClientTransport::headers(const CallOptions &options)
{
    QByteArray headers = "Content-Type: application/json\r\n" + options.extraHeaders;
    QMutexLocker lock(&m_mutex);
    if (!m_options.token.isEmpty())
        headers += "Authorization: Bearer " + m_options.token.toUtf8() + "\r\n";
    return headers;
}

void ClientTransport::runBlocking(Request request)
{
    if (QThread::currentThread() != thread()) {
        resolve(request, makeError(ErrorCode::FailedPrecondition,
                                   QStringLiteral("a blocking QueueDeck client is used only "
                                                  "from the thread that created it")));
        return;
    }
    Q_FOREVER
    {
        if (m_blockingConnection && !m_blockingConnection->isUsable()) {
            delete m_blockingConnection;
            m_blockingConnection = nullptr;
        }
        if (!m_blockingConnection)
            m_blockingConnection = new HttpClientConnection(m_options.server, trust(), this);
        auto result =
            outcome(request, m_blockingConnection->exchange(
                                 request.method, m_basePath + request.path.toUtf8(),
                                 headers(request.options), request.body,
                                 int(m_options.timeoutMs + request.options.extraTimeoutMs)));
        if (result) {
            resolve(request, std::move(*result));
            return;
        }
        QThread::msleep(retryDelayMs(request.attempt));
        ++request.attempt;
    }
}

void ClientTransport::finish(const QString &laneName, Request request, HttpAnswer answer)
{
    if (auto result = outcome(request, std::move(answer)))
        resolve(request, std::move(*result));
    else
        retry(std::move(request));
    // A connection came free: the next waiting request of its lane goes.
    Lane &lane = m_lanes[laneName];
    if (!lane.waiting.empty()) {
        Request next = std::move(lane.waiting.front());
        lane.waiting.pop_front();
        QMetaObject::invokeMethod(
            this, [this, next] { start(next); }, Qt::QueuedConnection);
    }
}

void ClientTransport::retry(Request request)
{
    const int delayMs = retryDelayMs(request.attempt);
    ++request.attempt;
    QTimer::singleShot(delayMs, this, [this, request] { start(request); });
}

void ClientTransport::resolve(const Request &request, Result<QByteArray> result)
{
    request.promise->addResult(std::move(result));
    request.promise->finish();
}

} // namespace QueueDeck::Client
