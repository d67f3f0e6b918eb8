// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "embeddedhost.h"

#include "apihost.h"
#include "engine.h"
#include "faktoryserver.h"
#include "servercertificate.h"
#include "workerprogram.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QSysInfo>

namespace QueueDeck {

EmbeddedHost::EmbeddedHost(Engine &engine, QString adminToken, QString dataDirectory)
    : m_engine(engine), m_token(std::move(adminToken)), m_dataDirectory(std::move(dataDirectory))
{}

EmbeddedHost::~EmbeddedHost()
{
    stop();
}

QString EmbeddedHost::start(const Ui::NetworkSettings &network, WhenPortTaken whenTaken)
{
    return listen(network, network.port, whenTaken);
}

QString EmbeddedHost::listen(const Ui::NetworkSettings &network, quint16 port,
                             WhenPortTaken whenTaken)
{
    Api::ApiOptions options;
    options.address = network.acceptRemoteWorkers ? QHostAddress(QHostAddress::Any)
                                                  : QHostAddress(QHostAddress::LocalHost);
    options.port = port;
    const bool givenCertificate = !network.tlsCertPath.isEmpty() && !network.tlsKeyPath.isEmpty();
    // Beyond loopback always HTTPS: with the certificate given, or a self-signed one kept in
    // the data directory, whose fingerprint the connect commands carry.
    const bool tls = givenCertificate || network.acceptRemoteWorkers;
    if (givenCertificate) {
        options.certificatePath = network.tlsCertPath;
        options.keyPath = network.tlsKeyPath;
    }
    if (network.acceptRemoteWorkers) {
        options.publicUrl = !network.publicUrl.isEmpty() ? network.publicUrl
                                                         : QStringLiteral("https://%1:%2")
                                                               .arg(QSysInfo::machineHostName())
                                                               .arg(network.port);
        if (!givenCertificate) {
            auto certificate = Api::prepareServerCertificate(
                m_dataDirectory, Api::certificateHosts(options.publicUrl, {}));
            if (!certificate)
                return certificate.error().message;
            options.certificatePath = certificate->certificatePath;
            options.keyPath = certificate->keyPath;
        }
    }
    if (!network.acceptRemoteWorkers) {
        // Only this machine can reach a loopback server, so its connect command must work
        // here: it names the qdeck beside this program when no qdeck is on the PATH.
        options.workerProgram = Api::workerProgramBeside(QCoreApplication::applicationDirPath());
    }
    auto api = std::make_unique<Api::ApiHost>(m_engine, options);
    QString error = api->start();
    if (!error.isEmpty() && !network.acceptRemoteWorkers &&
        whenTaken == WhenPortTaken::AnyFreePort) {
        options.port = 0; // loopback port taken (another QueueDeck?): any free one
        api = std::make_unique<Api::ApiHost>(m_engine, options);
        error = api->start();
    }
    if (!error.isEmpty())
        return error;
    stop();
    m_api = std::move(api);
    m_network = network;
    m_tls = tls;
    if (network.faktory) {
        // Always with its password (Faktory's own clients cannot pin a certificate, so the
        // password is what keeps strangers out), over TLS whenever the API is.
        Faktory::FaktoryOptions faktory;
        faktory.address = options.address;
        faktory.port = network.faktoryPort;
        faktory.requirePassword = true;
        faktory.certificatePath = options.certificatePath;
        faktory.keyPath = options.keyPath;
        auto server = std::make_unique<Faktory::FaktoryServer>(m_engine, faktory);
        if (const QString refused = server->start(); !refused.isEmpty()) {
            stop();
            return refused;
        }
        m_faktory = std::move(server);
    }
    return {};
}

void EmbeddedHost::stop()
{
    m_faktory.reset(); // stops it
    if (m_api)
        m_api->stop();
    m_api.reset();
}

QString EmbeddedHost::faktoryUrl() const
{
    if (!m_faktory)
        return {};
    const QString host =
        m_network.acceptRemoteWorkers ? QSysInfo::machineHostName() : QStringLiteral("127.0.0.1");
    return QStringLiteral("%1://%2:%3")
        .arg(m_tls ? QStringLiteral("tcp+tls") : QStringLiteral("tcp"), host)
        .arg(m_faktory->port());
}

Result<QString> EmbeddedHost::faktoryPassword()
{
    return m_engine.faktoryPassword(false).result();
}

Result<QString> EmbeddedHost::rotateFaktoryPassword()
{
    return m_engine.faktoryPassword(true).result();
}

QUrl EmbeddedHost::url() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2")
                    .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(m_api ? m_api->port() : 0));
}

QString EmbeddedHost::applyNetwork(const Ui::NetworkSettings &network)
{
    const Ui::NetworkSettings before = m_network;
    // The port it listens on now, which is not the one set when the first start took any free
    // one: going back means going back there.
    const quint16 portBefore = m_api ? m_api->port() : before.port;
    stop(); // the port may be the same: free it first
    if (QString error = listen(network, network.port, WhenPortTaken::Refuse); !error.isEmpty()) {
        if (const QString again = listen(before, portBefore, WhenPortTaken::Refuse);
            !again.isEmpty())
            return QObject::tr("The server could not listen that way (%1), nor as before "
                               "(%2): it does not listen now; restart QueueDeck.")
                .arg(error, again);
        return QObject::tr("The server could not listen that way (%1); it listens as "
                           "before.")
            .arg(error);
    }
    return {};
}

QString EmbeddedHost::securityWarning() const
{
    if (!m_network.acceptRemoteWorkers || m_tls)
        return {};
    return QObject::tr("Accepting workers from other machines without TLS: tokens and tasks "
                       "cross the network in plain text. Add a certificate under Network….");
}

} // namespace QueueDeck
