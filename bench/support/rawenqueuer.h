// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Enqueues over plain sockets, without the client library: keep-alive connections to a server on
// the loopback, all served by the calling thread with poll(2), each with one request in flight at
// a time. It measures the server's concurrency without one client thread per connection competing
// with the server for the CPU. Not thread-safe; use it from one thread.

#include <QByteArray>
#include <QString>

#include <functional>
#include <vector>

namespace QueueDeck::Bench {

class RawEnqueuer
{
public:
    // Opens `connections` connections to 127.0.0.1:`port`; each request is a POST of `path` with
    // `token` as its bearer credential. error() says why when a connection failed.
    RawEnqueuer(quint16 port, const QByteArray &path, const QByteArray &token, int connections);
    ~RawEnqueuer();
    RawEnqueuer(const RawEnqueuer &) = delete;
    RawEnqueuer &operator=(const RawEnqueuer &) = delete;

    // Sends requests 0…n−1 (the body of request i is body(i)); connection c sends c,
    // c + connections, … Returns the number answered with a 2xx status; it stops at the first
    // refusal, closed connection or 30 s without an answer, and error() says which.
    qint64 run(int n, const std::function<QByteArray(int)> &body);
    QString error() const { return m_error; }

private:
    QByteArray m_head;
    std::vector<int> m_sockets;
    QString m_error;
};

// The length of the complete HTTP/1.1 answer at the front of `in`: 0 while it is incomplete, −1
// when it is not a 2xx answer with a Content-Length (the reason in *error).
qsizetype completeAnswerLength(const QByteArray &in, QString *error);

} // namespace QueueDeck::Bench
