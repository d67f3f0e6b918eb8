// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "httpserver.h"

#include "httpconnection.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>

namespace QueueDeck::Http {

namespace {

// A listening socket that hands each accepted connection's descriptor over as it is, without the
// QTcpSocket (and its buffers) QTcpServer would wrap it in.
class DescriptorServer final : public QTcpServer
{
public:
    DescriptorServer(std::function<void(int)> accepted, QObject *parent)
        : QTcpServer(parent), m_accepted(std::move(accepted))
    {}

protected:
    void incomingConnection(qintptr descriptor) override { m_accepted(int(descriptor)); }

private:
    std::function<void(int)> m_accepted;
};

} // namespace

HttpServer::HttpServer(HttpLimits limits, HttpHandler handler, QObject *parent)
    : QObject(parent), m_limits(limits), m_handler(std::move(handler))
{}

HttpServer::~HttpServer() = default;

QString HttpServer::listen(const QHostAddress &address, quint16 port,
                           const std::optional<TlsFiles> &tls)
{
    if (tls) {
        QFile certificateFile(tls->certificatePath);
        QFile keyFile(tls->keyPath);
        if (!certificateFile.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read the TLS certificate %1: %2")
                .arg(tls->certificatePath, certificateFile.errorString());
        if (!keyFile.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read the TLS key %1: %2")
                .arg(tls->keyPath, keyFile.errorString());
        const auto certificates = QSslCertificate::fromData(certificateFile.readAll(), QSsl::Pem);
        const QByteArray keyPem = keyFile.readAll();
        const QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
        const QSslKey ecKey = key.isNull() ? QSslKey(keyPem, QSsl::Ec, QSsl::Pem) : key;
        if (certificates.isEmpty())
            return QStringLiteral("%1 holds no PEM certificate").arg(tls->certificatePath);
        if (key.isNull() && ecKey.isNull())
            return QStringLiteral("%1 holds no PEM private key (RSA or EC)").arg(tls->keyPath);
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificateChain(certificates);
        configuration.setPrivateKey(key.isNull() ? ecKey : key);
        auto *server = new QSslServer(this);
        server->setSslConfiguration(configuration);
        m_server = server;
        server->setMaxPendingConnections(1024);
        connect(server, &QTcpServer::pendingConnectionAvailable, this,
                &HttpServer::handleNewConnections);
    } else {
        m_server = new DescriptorServer(
            [this](int descriptor) {
                adopt(new HttpConnection(descriptor, m_limits, m_handler, this));
            },
            this);
    }
    if (!m_server->listen(address, port)) {
        const QString error = m_server->errorString();
        delete m_server;
        m_server = nullptr;
        return QStringLiteral("cannot listen on %1:%2: %3")
            .arg(address.toString())
            .arg(port)
            .arg(error);
    }
    return {};
}

quint16 HttpServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QHostAddress HttpServer::address() const
{
    return m_server ? m_server->serverAddress() : QHostAddress();
}

void HttpServer::stopListening()
{
    if (m_server)
        m_server->close();
}

qint64 HttpServer::bytesToWrite() const
{
    qint64 total = 0;
    for (const HttpConnection *connection :
         findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly))
        total += connection->bytesToWrite();
    return total;
}

void HttpServer::handleNewConnections()
{
    while (m_server && m_server->hasPendingConnections()) {
        QTcpSocket *socket = m_server->nextPendingConnection();
        if (!socket)
            break;
        adopt(new HttpConnection(socket, m_limits, m_handler, this));
    }
}

void HttpServer::adopt(HttpConnection *connection)
{
    ++m_connections;
    connect(connection, &HttpConnection::closed, this, [this] { --m_connections; });
    if (m_connections > m_limits.maxConnections)
        connection->refuse(503, "UNAVAILABLE", "too many connections; try again shortly");
}

} // namespace QueueDeck::Http
