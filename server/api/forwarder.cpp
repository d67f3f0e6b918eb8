// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "forwarder.h"

#include "httpserver.h"
#include "nodestats.h"
#include "routesupport.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QSysInfo>

namespace QueueDeck::Api {

namespace {

constexpr int ConnectionsPerManager = 6;

// Headers that describe one hop's connection, not the request: not sent on.
bool isHopHeader(QByteArrayView lowerName)
{
    return lowerName == "connection" || lowerName == "keep-alive" || lowerName == "host" ||
           lowerName == "content-length" || lowerName == "transfer-encoding" || lowerName == "te" ||
           lowerName == "upgrade" || lowerName == "proxy-connection";
}

// SSE parser state of one forwarded event stream: lines until a blank one end an event.
struct EventStreamState
{
    QByteArray pending;
    QByteArray event;
    QByteArray data;
    bool started = false;
};

} // namespace

Forwarder::Forwarder(ApiOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    if (!m_options.nodeStats)
        m_options.nodeStats = std::make_shared<NodeStats>(QSysInfo::machineHostName(), 0);
    // The nodes share one certificate (README): the leader's is this node's own.
    m_tls = QSslConfiguration::defaultConfiguration();
    if (!m_options.certificatePath.isEmpty()) {
        const auto chain = QSslCertificate::fromPath(m_options.certificatePath);
        m_tls.addCaCertificates(chain);
        if (!chain.isEmpty() && chain.first().isSelfSigned())
            m_pinned = chain.first();
    }
}

Forwarder::~Forwarder() = default;

QString Forwarder::listen()
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
    return m_http->listen(m_options.address, m_options.port, tls);
}

quint16 Forwarder::port() const
{
    return m_http ? m_http->port() : 0;
}

QNetworkAccessManager *Forwarder::managerWithRoom()
{
    for (auto &[manager, inFlight] : m_managers) {
        if (inFlight < ConnectionsPerManager) {
            ++inFlight;
            return manager;
        }
    }
    auto *manager = new QNetworkAccessManager(this);
    manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_managers.emplace_back(manager, 1);
    return manager;
}

void Forwarder::handle(const Http::HttpRequest &request, const Http::HttpResponder &responder)
{
    m_options.nodeStats->countRequest(m_http->connectionCount());
    const QString nodeId = m_options.nodeStats->nodeId();
    if (!m_leader.isValid() || m_leader.isEmpty()) {
        sendError(responder,
                  Error{ErrorCode::Unavailable,
                        QStringLiteral("node %1 knows no leader of the cluster yet (one takes over "
                                       "within a few seconds of the last one's end); retry")
                            .arg(nodeId),
                        {}});
        return;
    }
    QUrl target = m_leader;
    target.setPath(m_leader.path() + request.path);
    if (!request.query.isEmpty())
        target.setQuery(request.query);
    QNetworkRequest forwarded(target);
    request.headers.forEach([&forwarded](QByteArrayView name, QByteArrayView value) {
        if (!isHopHeader(name))
            forwarded.setRawHeader(name.toByteArray(), value.toByteArray());
    });
    const QByteArray via = "1.1 " + nodeId.toUtf8();
    forwarded.setRawHeader(
        "via", request.header("via").isEmpty() ? via : request.header("via") + ", " + via);
    forwarded.setRawHeader("x-queuedeck-node", nodeId.toUtf8());
    forwarded.setRawHeader("x-forwarded-for", request.peer.toString().toUtf8());
    forwarded.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    forwarded.setTransferTimeout(0);
    QSslCertificate pinned; // a self-signed certificate shared by the nodes: only it is trusted
    if (target.scheme() == u"https") {
        forwarded.setSslConfiguration(m_tls);
        pinned = m_pinned;
    }

    QNetworkAccessManager *manager = managerWithRoom();
    QNetworkReply *reply = manager->sendCustomRequest(forwarded, request.method, request.body);
    if (!pinned.isNull()) {
        // The request carries the caller's token: it goes only to a peer that shows exactly
        // this node's certificate (a self-signed one fails the usual checks by name or issuer).
        connect(reply, &QNetworkReply::sslErrors, reply, [reply, pinned](const QList<QSslError> &) {
            if (reply->sslConfiguration().peerCertificate() == pinned)
                reply->ignoreSslErrors();
        });
    }
    QPointer<QNetworkReply> guard(reply);
    responder.onClientGone([guard] {
        if (guard)
            guard->abort();
    });
    auto stream = std::make_shared<EventStreamState>();
    const bool eventStream = request.path == u"/api/v1/events";
    if (eventStream) {
        connect(reply, &QNetworkReply::readyRead, this, [reply, responder, stream] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status != 200)
                return; // an error answer: sent whole when it finishes
            if (!stream->started) {
                stream->started = true;
                responder.startEventStream();
            }
            stream->pending += reply->readAll();
            qsizetype end = 0;
            while ((end = stream->pending.indexOf('\n')) >= 0) {
                QByteArray line = stream->pending.left(end);
                stream->pending.remove(0, end + 1);
                if (line.endsWith('\r'))
                    line.chop(1);
                if (line.isEmpty()) {
                    if (!stream->data.isEmpty() || !stream->event.isEmpty()) {
                        if (!responder.sendEvent(stream->event, stream->data)) {
                            reply->abort();
                            return;
                        }
                    }
                    stream->event.clear();
                    stream->data.clear();
                } else if (line.startsWith("event:")) {
                    stream->event = line.mid(6).trimmed();
                } else if (line.startsWith("data:")) {
                    if (!stream->data.isEmpty())
                        stream->data += '\n';
                    stream->data += line.mid(5).trimmed();
                }
            }
        });
    }
    connect(reply, &QNetworkReply::finished, this, [this, reply, responder, manager, stream] {
        for (auto &[candidate, inFlight] : m_managers) {
            if (candidate == manager)
                --inFlight;
        }
        reply->deleteLater();
        if (!stream->started)
            finish(reply, responder);
    });
}

void Forwarder::finish(QNetworkReply *reply, const Http::HttpResponder &responder)
{
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        if (reply->error() == QNetworkReply::OperationCanceledError)
            return; // the client left
        sendError(responder,
                  Error{ErrorCode::Unavailable,
                        QStringLiteral("the cluster's leader at %1 cannot be reached (%2); a "
                                       "follower takes over within a few seconds: retry")
                            .arg(m_leader.toString(), reply->errorString()),
                        {}});
        return;
    }
    Http::HttpResponse response;
    response.status = status.toInt();
    response.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    for (const auto &[name, value] : reply->rawHeaderPairs()) {
        const QByteArray lower = name.toLower();
        if (isHopHeader(lower) || lower == "content-type" || lower == "date" || lower == "via")
            continue;
        response.headers.append({name, value});
    }
    const QByteArray via = reply->rawHeader("via");
    const QByteArray self = "1.1 " + m_options.nodeStats->nodeId().toUtf8();
    response.headers.append({"Via", via.isEmpty() ? self : via + ", " + self});
    response.headers.append({"X-QueueDeck-Node", m_options.nodeStats->nodeId().toUtf8()});
    response.body = reply->readAll();
    responder.send(response);
}

} // namespace QueueDeck::Api
