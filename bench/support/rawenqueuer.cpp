// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "rawenqueuer.h"

#include <cerrno>
#include <cstring>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace QueueDeck::Bench {

qsizetype completeAnswerLength(const QByteArray &in, QString *error)
{
    const qsizetype end = in.indexOf("\r\n\r\n");
    if (end < 0)
        return 0;
    const QByteArray head = in.left(end).toLower();
    if (!head.startsWith("http/1.1 2")) {
        *error = QStringLiteral("refused: %1").arg(QString::fromUtf8(in.left(600)));
        return -1;
    }
    const qsizetype at = head.indexOf("\r\ncontent-length:");
    if (at < 0) {
        *error = QStringLiteral("an answer without Content-Length: %1")
                     .arg(QString::fromUtf8(head.left(600)));
        return -1;
    }
    const qsizetype valueAt = at + qsizetype(std::strlen("\r\ncontent-length:"));
    const qsizetype lineEnd = head.indexOf("\r\n", valueAt);
    bool ok = false;
    const qsizetype length =
        head.mid(valueAt, lineEnd < 0 ? -1 : lineEnd - valueAt).trimmed().toLongLong(&ok);
    if (!ok || length < 0) {
        *error = QStringLiteral("an unreadable Content-Length: %1")
                     .arg(QString::fromUtf8(head.left(600)));
        return -1;
    }
    return in.size() >= end + 4 + length ? end + 4 + length : 0;
}

RawEnqueuer::RawEnqueuer(quint16 port, const QByteArray &path, const QByteArray &token,
                         int connections)
    : m_head("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
             "\r\nContent-Type: application/json\r\nContent-Length: ")
{
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int c = 0; c < connections; ++c) {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            m_error =
                QStringLiteral("socket: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        m_sockets.push_back(fd);
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            m_error = QStringLiteral("connection %1 to port %2: %3")
                          .arg(c)
                          .arg(port)
                          .arg(QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
    }
}

RawEnqueuer::~RawEnqueuer()
{
    for (const int fd : m_sockets)
        ::close(fd);
}

qint64 RawEnqueuer::run(int n, const std::function<QByteArray(int)> &body)
{
    if (!m_error.isEmpty())
        return 0;
    const int connections = int(m_sockets.size());
    std::vector<int> next(m_sockets.size()); // the index of each connection's next task
    std::vector<QByteArray> received(m_sockets.size());
    std::vector<pollfd> polled(m_sockets.size());
    const auto send = [&](size_t c) {
        const QByteArray content = body(next[c]);
        next[c] += connections;
        QByteArray request = m_head;
        request += QByteArray::number(content.size());
        request += "\r\n\r\n";
        request += content;
        if (::send(m_sockets[c], request.constData(), size_t(request.size()), MSG_NOSIGNAL) !=
            request.size()) {
            m_error = QStringLiteral("a request could not be sent whole");
            return false;
        }
        return true;
    };
    qint64 done = 0;
    int open = 0;
    for (size_t c = 0; c < m_sockets.size(); ++c) {
        next[c] = int(c);
        polled[c] = pollfd{m_sockets[c], POLLIN, 0};
        if (int(c) >= n) {
            polled[c].fd = -1; // more connections than tasks: this one stays idle
            continue;
        }
        if (!send(c))
            return done;
        ++open;
    }
    char buffer[65536];
    while (open > 0) {
        const int ready = ::poll(polled.data(), polled.size(), 30'000);
        if (ready <= 0) {
            m_error =
                ready == 0
                    ? QStringLiteral("no answer within 30 s")
                    : QStringLiteral("poll: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
            return done;
        }
        for (size_t c = 0; c < polled.size(); ++c) {
            if (polled[c].fd < 0 || polled[c].revents == 0)
                continue;
            const ssize_t got = ::recv(m_sockets[c], buffer, sizeof buffer, 0);
            if (got <= 0) {
                m_error = QStringLiteral("the server closed a connection");
                return done;
            }
            received[c].append(buffer, got);
            for (;;) {
                const qsizetype length = completeAnswerLength(received[c], &m_error);
                if (length < 0)
                    return done;
                if (length == 0)
                    break;
                received[c].remove(0, length);
                ++done;
                if (next[c] < n) {
                    if (!send(c))
                        return done;
                } else {
                    polled[c].fd = -1;
                    --open;
                }
            }
        }
    }
    return done;
}

} // namespace QueueDeck::Bench
