// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "clusterserve.h"

#include "admintoken.h"
#include "apihost.h"
#include "clusternode.h"
#include "faktoryrelay.h"
#include "faktoryserver.h"
#include "forwarder.h"
#include "nodedirectory.h"
#include "nodestats.h"
#include "postgresconnection.h"
#include "postgresschema.h"
#include "tokencipher.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>
#include <QTextStream>

#include <cstdio>

namespace QueueDeck::Cli {

namespace {

// GET /api/v1/nodes on the leader: the rows the cluster node last read.
class ClusterDirectory final : public Api::NodeDirectory
{
public:
    explicit ClusterDirectory(const ClusterNode &node) : m_node(node) {}
    QList<NodeInfo> nodes() const override { return m_node.nodes(); }

private:
    const ClusterNode &m_node;
};

} // namespace

ClusterServe::ClusterServe(EngineOptions engineOptions, Api::ApiOptions apiOptions,
                           QString advertiseUrl, bool resetAdminToken,
                           FaktoryListenerSettings faktory, QObject *parent)
    : QObject(parent), m_engineOptions(std::move(engineOptions)),
      m_apiOptions(std::move(apiOptions)), m_advertiseUrl(std::move(advertiseUrl)),
      m_resetAdminToken(resetAdminToken), m_faktory(std::move(faktory))
{}

ClusterServe::~ClusterServe()
{
    stop();
}

QString ClusterServe::nodeId() const
{
    return m_stats ? m_stats->nodeId() : QString();
}

QString ClusterServe::startForwarder()
{
    m_forwarder = new Api::Forwarder(m_apiOptions, this);
    if (m_node)
        m_forwarder->setLeader(QUrl(m_node->leaderAddress()));
    return m_forwarder->listen();
}

QString ClusterServe::startFaktoryRelay()
{
    auto address = faktoryListenAddress(m_faktory.listen);
    if (!address)
        return address.error().message;
    m_faktoryRelay = new Faktory::FaktoryRelay(address->first, address->second, this);
    if (m_node)
        handleLeaderFaktoryAddressChanged(m_node->leaderFaktoryAddress());
    return m_faktoryRelay->listen();
}

// Takes the Faktory port (a free one when 0 was asked for, kept for every later change of role)
// and works out the address the other nodes pass connections to: the host of --advertise-url when
// given, else the listen address (the API's when the Faktory one is unspecified).
QString ClusterServe::prepareFaktory()
{
    auto address = faktoryListenAddress(m_faktory.listen);
    if (!address)
        return address.error().message;
    if (m_faktory.noPassword && !address->first.isLoopback())
        return QStringLiteral("--faktory-no-password is for loopback only: a Faktory listener on "
                              "%1 needs its password")
            .arg(m_faktory.listen);
    if (const QString error = startFaktoryRelay(); !error.isEmpty())
        return error;
    m_faktoryPort = m_faktoryRelay->port();
    auto bracketed = [](const QHostAddress &host) {
        return host.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + host.toString() + u']'
                                                                : host.toString();
    };
    m_faktory.listen = QStringLiteral("%1:%2").arg(bracketed(address->first)).arg(m_faktoryPort);
    QString host;
    if (!m_advertiseUrl.isEmpty()) {
        host = QUrl(m_advertiseUrl).host();
        if (host.contains(u':'))
            host = u'[' + host + u']';
    } else if (address->first != QHostAddress::Any && address->first != QHostAddress::AnyIPv6 &&
               address->first != QHostAddress::AnyIPv4) {
        host = bracketed(address->first);
    } else {
        host = bracketed(m_apiOptions.address);
    }
    m_faktoryAddress = QStringLiteral("%1:%2").arg(host).arg(m_faktoryPort);
    return {};
}

QString ClusterServe::checkClusterKey() const
{
    auto cipher = TokenCipher::fromKey(m_engineOptions.clusterKey);
    if (!cipher)
        return cipher.error().message;
    PostgresConnection connection;
    auto checked = connection.open(m_engineOptions.databasePath);
    if (checked)
        checked = PostgresSchema::migrate(connection, *cipher);
    // An unreachable database is not this node's fault: it keeps trying once it has joined.
    if (!checked && checked.error().code == ErrorCode::FailedPrecondition)
        return checked.error().message;
    return {};
}

QString ClusterServe::start()
{
    // The forwarder first: it takes the port (a free one when 0 was asked for), which the API
    // takes over when this node leads.
    m_stats = std::make_shared<Api::NodeStats>(QString(), 0); // replaced once the port is known
    if (const QString error = startForwarder(); !error.isEmpty())
        return error;
    m_apiOptions.port = m_forwarder->port();
    if (!m_faktory.listen.isEmpty()) {
        if (const QString error = prepareFaktory(); !error.isEmpty())
            return error;
    }
    const QString scheme =
        m_apiOptions.certificatePath.isEmpty() ? QStringLiteral("http") : QStringLiteral("https");
    QString host = m_apiOptions.address.toString();
    if (m_apiOptions.address.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    if (m_advertiseUrl.isEmpty())
        m_advertiseUrl = QStringLiteral("%1://%2:%3").arg(scheme, host).arg(m_apiOptions.port);
    m_stats = std::make_shared<Api::NodeStats>(
        QStringLiteral("%1:%2").arg(QSysInfo::machineHostName()).arg(m_apiOptions.port),
        QDateTime::currentMSecsSinceEpoch());
    m_apiOptions.nodeStats = m_stats;
    // The forwarder counts into the node's stats from now on.
    delete m_forwarder;
    m_forwarder = nullptr;
    if (const QString error = startForwarder(); !error.isEmpty())
        return error;

    // A node whose cluster key cannot open the database's secrets stops here, before it joins.
    if (const QString error = checkClusterKey(); !error.isEmpty())
        return error;

    ClusterNode::Settings settings;
    settings.databaseUrl = m_engineOptions.databasePath;
    settings.clusterKey = m_engineOptions.clusterKey;
    settings.nodeId = m_stats->nodeId();
    settings.address = m_advertiseUrl;
    settings.faktoryAddress = m_faktoryAddress;
    settings.startedAtMs = m_stats->startedAtMs();
    settings.load = [stats = m_stats] {
        return ClusterNode::Load{stats->connections(), stats->requestsPerSecond()};
    };
    m_node = new ClusterNode(std::move(settings));
    m_node->moveToThread(&m_nodeThread);
    connect(&m_nodeThread, &QThread::finished, m_node, &QObject::deleteLater);
    connect(m_node, &ClusterNode::leadershipGained, this, &ClusterServe::handleLeadershipGained);
    connect(m_node, &ClusterNode::leadershipLost, this, &ClusterServe::handleLeadershipLost);
    connect(m_node, &ClusterNode::leaderAddressChanged, this,
            &ClusterServe::handleLeaderAddressChanged);
    connect(m_node, &ClusterNode::leaderFaktoryAddressChanged, this,
            &ClusterServe::handleLeaderFaktoryAddressChanged);
    m_apiOptions.nodeDirectory = std::make_shared<ClusterDirectory>(*m_node);
    m_nodeThread.setObjectName(QStringLiteral("cluster"));
    m_nodeThread.start();
    QMetaObject::invokeMethod(m_node, &ClusterNode::start);
    return {};
}

void ClusterServe::stop()
{
    if (m_node) {
        QMetaObject::invokeMethod(m_node, &ClusterNode::stop, Qt::BlockingQueuedConnection);
        m_nodeThread.quit();
        m_nodeThread.wait();
        m_node = nullptr;
    }
    stopLeading();
    delete m_forwarder;
    m_forwarder = nullptr;
    delete m_faktoryRelay;
    m_faktoryRelay = nullptr;
}

void ClusterServe::stopLeading()
{
    m_faktoryListener.server.reset(); // stops listening and closes its connections
    if (m_api)
        m_api->stop();
    m_api.reset();
    if (m_engine)
        m_engine->stop(); // a deposed leader's commits are refused by the fence
    m_engine.reset();
}

void ClusterServe::handleLeadershipGained(qint64 token)
{
    stopLeading();
    delete m_forwarder; // its connections close: their clients come back to the engine
    m_forwarder = nullptr;
    delete m_faktoryRelay; // the same for Faktory clients
    m_faktoryRelay = nullptr;
    EngineOptions options = m_engineOptions;
    options.fence =
        StoreFence{QString::fromLatin1(ClusterNode::LeaderLease), m_node->leaseHolder(), token};
    m_engine = std::make_unique<Engine>(options);
    if (auto started = m_engine->start(); !started) {
        QTextStream(stderr) << "qdeck: this node took the cluster's lease but cannot open the "
                               "engine: "
                            << started.error().message << '\n';
        QCoreApplication::exit(1);
        return;
    }
    auto admin = Api::prepareAdminToken(*m_engine, m_engineOptions.dataDirectory,
                                        std::exchange(m_resetAdminToken, false));
    if (!admin) {
        QTextStream(stderr) << "qdeck: " << admin.error().message << '\n';
        QCoreApplication::exit(1);
        return;
    }
    if (admin->written)
        QTextStream(stdout) << "A new admin token for the cluster was written to " << admin->path
                            << " (readable by this user only).\n";
    m_api = std::make_unique<Api::ApiHost>(*m_engine, m_apiOptions);
    if (const QString error = m_api->start(); !error.isEmpty()) {
        QTextStream(stderr) << "qdeck: " << error << '\n';
        QCoreApplication::exit(1);
        return;
    }
    if (!m_faktory.listen.isEmpty()) {
        // The password is the cluster's, in the database; the first leader makes it.
        FaktoryListenerSettings faktory = m_faktory;
        faktory.rotatePassword = std::exchange(m_faktory.rotatePassword, false);
        auto listener = startFaktoryListener(*m_engine, faktory);
        if (!listener) {
            QTextStream(stderr) << "qdeck: " << listener.error().message << '\n';
            QCoreApplication::exit(1);
            return;
        }
        m_faktoryListener = std::move(*listener);
    }
    QTextStream(stdout) << "Node " << nodeId() << " leads the cluster (fencing token " << token
                        << ").\n";
    std::fflush(stdout);
}

void ClusterServe::handleLeadershipLost()
{
    stopLeading();
    if (!m_forwarder) {
        if (const QString error = startForwarder(); !error.isEmpty()) {
            QTextStream(stderr) << "qdeck: " << error << '\n';
            QCoreApplication::exit(1);
            return;
        }
    }
    if (!m_faktory.listen.isEmpty() && !m_faktoryRelay) {
        if (const QString error = startFaktoryRelay(); !error.isEmpty()) {
            QTextStream(stderr) << "qdeck: " << error << '\n';
            QCoreApplication::exit(1);
            return;
        }
    }
    QTextStream(stdout) << "Node " << nodeId() << " follows the cluster's leader.\n";
    std::fflush(stdout);
}

void ClusterServe::handleLeaderAddressChanged(const QString &address)
{
    m_leaderAddress = address;
    if (m_forwarder)
        m_forwarder->setLeader(QUrl(address));
}

void ClusterServe::handleLeaderFaktoryAddressChanged(const QString &address)
{
    // Just after stepping down this node may still be listed as the leader until its lease
    // expires: a relay to its own port would open a connection to itself for every one it takes.
    if (m_faktoryRelay)
        m_faktoryRelay->setLeader(address == m_faktoryAddress ? QString() : address);
}

} // namespace QueueDeck::Cli
