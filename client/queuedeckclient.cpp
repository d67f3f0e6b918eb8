// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// QueueDeckClient over its transport; the calls on each resource are in
// queuedeckclient_<resource>.cpp.
#include "queuedeckclient.h"

#include "clientlog.h"
#include "clientreplies.h"
#include "clienttransport.h"

#include <QJsonDocument>

Q_LOGGING_CATEGORY(lcClient, "queuedeck.client", QtInfoMsg) // debug: on request

namespace QueueDeck::Client {

QueueDeckClient::QueueDeckClient(ClientOptions options)
    : m_transport(std::make_unique<ClientTransport>(std::move(options)))
{}

QueueDeckClient::~QueueDeckClient() = default;

void QueueDeckClient::setToken(const QString &token)
{
    m_transport->setToken(token);
}

QUrl QueueDeckClient::server() const
{
    return m_transport->server();
}

QueueDeckClient::Reply<QJsonObject> QueueDeckClient::call(const QByteArray &method,
                                                          const QString &path,
                                                          const QJsonObject &body,
                                                          CallOptions options)
{
    return send(method, path, body, std::move(options)).then(&Replies::asObject);
}

QueueDeckClient::Reply<QByteArray> QueueDeckClient::send(const QByteArray &method,
                                                         const QString &path,
                                                         const QJsonObject &body,
                                                         CallOptions options)
{
    return sendText(method, path,
                    method == "GET" ? QByteArray()
                                    : QJsonDocument(body).toJson(QJsonDocument::Compact),
                    std::move(options));
}

QueueDeckClient::Reply<QByteArray> QueueDeckClient::sendText(const QByteArray &method,
                                                             const QString &path,
                                                             const QByteArray &body,
                                                             CallOptions options)
{
    return m_transport->send(method, path, body, std::move(options));
}

QueueDeckClient::Reply<QByteArray>
QueueDeckClient::callText(const QByteArray &method, const QString &path, CallOptions options)
{
    return m_transport->send(method, path, {}, std::move(options));
}

} // namespace QueueDeck::Client
