// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "httptypes.h"

#include <QObject>

#include <memory>

class QTcpServer;

namespace QueueDeck::Http {

struct TlsFiles
{
    QString certificatePath;
    QString keyPath;
};

// An HTTP/1.1 server with http-parser underneath: plain TCP connections are read and written
// through their descriptors, TLS ones through QSslServer's sockets. Create, listen and use it on
// one thread; the handler runs on that thread.
class HttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)
public:
    HttpServer(HttpLimits limits, HttpHandler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    // Listens on address:port (port 0: any free port); with tls set, serves HTTPS.
    // Returns an error message, or an empty string.
    QString listen(const QHostAddress &address, quint16 port,
                   const std::optional<TlsFiles> &tls = {});
    quint16 port() const;
    QHostAddress address() const;
    int connectionCount() const { return m_connections; }
    // Stops accepting new connections; open ones stay until they finish.
    void stopListening();
    // Bytes answered but not yet handed to the operating system, over all connections.
    qint64 bytesToWrite() const;

private:
    void handleNewConnections();
    void adopt(HttpConnection *connection);

    HttpLimits m_limits;
    HttpHandler m_handler;
    QTcpServer *m_server = nullptr;
    int m_connections = 0;
};

} // namespace QueueDeck::Http
