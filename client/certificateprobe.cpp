// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "certificateprobe.h"

#include "protocol/fingerprint.h"

#include <QPromise>
#include <QSslSocket>
#include <QTimer>

#include <memory>

namespace QueueDeck::Client {

QFuture<Result<ServerCertificateInfo>> probeServerCertificate(const QUrl &server, int timeoutMs)
{
    auto promise = std::make_shared<QPromise<Result<ServerCertificateInfo>>>();
    promise->start();
    QFuture<Result<ServerCertificateInfo>> future = promise->future();
    if (server.scheme() != u"https") {
        promise->addResult(makeError(ErrorCode::InvalidArgument,
                                     QStringLiteral("%1 is not an https:// URL: there is no "
                                                    "certificate to look at")
                                         .arg(server.toString())));
        promise->finish();
        return future;
    }
    auto *socket = new QSslSocket;
    auto *timer = new QTimer(socket);
    auto finish = [socket, promise](Result<ServerCertificateInfo> result) {
        if (promise->future().isFinished())
            return;
        promise->addResult(std::move(result));
        promise->finish();
        socket->disconnect();
        socket->abort();
        socket->deleteLater();
    };
    auto presented = [socket](bool trusted) {
        return ServerCertificateInfo{Fingerprint::ofCertificate(socket->peerCertificate().toDer()),
                                     trusted};
    };
    // Verification errors: the certificate is known now; nothing was or will be sent.
    QObject::connect(socket, &QSslSocket::sslErrors, socket, [finish, presented, socket] {
        if (socket->peerCertificate().isNull())
            return;
        finish(presented(false));
    });
    QObject::connect(socket, &QSslSocket::encrypted, socket,
                     [finish, presented] { finish(presented(true)); });
    QObject::connect(socket, &QSslSocket::errorOccurred, socket, [finish, socket, server] {
        finish(makeError(
            ErrorCode::Unavailable,
            QStringLiteral("cannot reach %1: %2").arg(server.toString(), socket->errorString())));
    });
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, socket, [finish, server] {
        finish(makeError(
            ErrorCode::Unavailable,
            QStringLiteral("%1 did not finish a TLS handshake in time").arg(server.toString())));
    });
    timer->start(timeoutMs);
    socket->connectToHostEncrypted(server.host(), quint16(server.port(443)));
    return future;
}

} // namespace QueueDeck::Client
