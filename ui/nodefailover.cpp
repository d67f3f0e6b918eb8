// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "nodefailover.h"

#include <QTimer>

namespace QueueDeck::Ui {

namespace {

constexpr int GraceMs = 1000;     // a connection that drops and comes back at once stays
constexpr int NextRoundMs = 2000; // after every node was asked in vain
constexpr int ProbeTimeoutMs = 3000;

} // namespace

NodeFailover::NodeFailover(QObject *parent) : QObject(parent), m_delay(new QTimer(this))
{
    m_delay->setSingleShot(true);
    connect(m_delay, &QTimer::timeout, this, &NodeFailover::probeNext);
}

NodeFailover::~NodeFailover() = default;

void NodeFailover::follow(const Client::ClientOptions &options)
{
    const bool sameServer = m_servers.urls().contains(options.server);
    m_options = options;
    if (!sameServer)
        m_servers = Client::ServerList({options.server});
    else
        m_servers.setCurrent(options.server);
    m_searching = false;
    m_delay->stop();
    m_probe.reset();
}

void NodeFailover::setNodes(const QList<NodeInfo> &nodes)
{
    QList<QUrl> alive = Client::liveAddresses(nodes);
    // The node the window talks to stays known even when it lists itself by another name.
    if (!alive.contains(m_servers.current()))
        alive.prepend(m_servers.current());
    m_servers.setUrls(alive);
}

void NodeFailover::setConnected(bool connected)
{
    if (connected) {
        m_searching = false;
        m_delay->stop();
        m_probe.reset();
        return;
    }
    if (m_searching || m_servers.size() < 2)
        return;
    m_searching = true;
    m_triedThisRound = 0;
    m_delay->start(GraceMs);
}

void NodeFailover::probeNext()
{
    if (!m_searching)
        return;
    if (m_triedThisRound >= m_servers.size() - 1) { // every other node asked: a new round
        m_triedThisRound = 0;
        m_delay->start(NextRoundMs);
        return;
    }
    ++m_triedThisRound;
    const QList<QUrl> urls = m_servers.urls();
    const qsizetype at = (urls.indexOf(m_servers.current()) + m_triedThisRound) % urls.size();
    m_probing = urls.at(at);
    Client::ClientOptions options = m_options;
    options.server = m_probing;
    options.retries = 0;
    options.timeoutMs = ProbeTimeoutMs;
    options.blocking = false;
    options.onAnswer = {};
    m_probe = std::make_unique<Client::QueueDeckClient>(options);
    // Any answer but UNAVAILABLE (even a refusal) means the node is there: the window's own
    // calls say the rest.
    m_probe->call("GET", QStringLiteral("/api/v1/nodes"))
        .then(this, [this, probing = m_probing](const Result<QJsonObject> &answer) {
            if (!m_searching || probing != m_probing)
                return;
            const bool reached = answer || answer.error().code != ErrorCode::Unavailable;
            if (!reached) {
                QTimer::singleShot(0, this, &NodeFailover::probeNext);
                return;
            }
            const QUrl from = m_servers.current();
            m_servers.setCurrent(probing);
            m_searching = false;
            Q_EMIT moveRequested(from, probing);
        });
}

} // namespace QueueDeck::Ui
