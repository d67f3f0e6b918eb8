// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "apidispatcher.h"

#include <QObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QUrl>

#include <memory>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace QueueDeck::Api {

// A follower's HTTP front (docs/design/scale-out.md): every request is sent on to the leader's
// advertised URL as it came (method, path, query, headers with Authorization, body) and its answer
// back, with `Via` and `X-QueueDeck-Node` naming this node. Long polls wait as long as the leader
// waits; the event stream is passed on event by event. While no leader is known, or the leader
// cannot be reached, the answer is 503 UNAVAILABLE saying so: clients retry.
//
// Thread affinity: created and used on one thread.
class Forwarder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Forwarder)
public:
    Forwarder(ApiOptions options, QObject *parent = nullptr);
    ~Forwarder() override;

    // Listens; returns an error message, or an empty string.
    QString listen();
    quint16 port() const;
    void setLeader(const QUrl &leader) { m_leader = leader; }
    QUrl leader() const { return m_leader; }

private:
    void handle(const Http::HttpRequest &request, const Http::HttpResponder &responder);
    QNetworkAccessManager *managerWithRoom();
    void finish(QNetworkReply *reply, const Http::HttpResponder &responder);

    ApiOptions m_options;
    Http::HttpServer *m_http = nullptr;
    QUrl m_leader;
    // For an https leader, read once: the nodes' shared certificate trusted besides the system's
    // CAs and, when self-signed, the one certificate the leader must show.
    QSslConfiguration m_tls;
    QSslCertificate m_pinned;
    // A manager opens at most six connections to one host; long polls hold theirs, so there is
    // one manager per six requests in flight.
    std::vector<std::pair<QNetworkAccessManager *, int>> m_managers;
};

} // namespace QueueDeck::Api
