// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <functional>

namespace QueueDeck::Client {

struct ClientOptions
{
    QUrl server;            // e.g. http://127.0.0.1:7070
    QString token;          // sent as Authorization: Bearer
    int timeoutMs = 30'000; // per request, on top of any server-side wait
    int retries = 3;        // for idempotent calls, on network errors and 503
    bool verifyTls = true;
    // Pins the server's certificate by its SHA-256 fingerprint (sha256:AB:CD:…, as `qdeck serve`
    // and the connect command show it), or trusts a private CA's PEM file besides the system's.
    QString serverFingerprint;
    QString caFile;
    // Calls run on the calling thread, one at a time, and return finished futures: for command
    // line tools and loops that await every answer. While an answer is due the thread sleeps in
    // the kernel (it never polls). Such a client is used only from the thread that created it.
    bool blocking = false;
    // Called with every HTTP answer received (method, path with query, status, body, content
    // type), on the thread that received it: for tracing and for checking answers against the
    // API document.
    std::function<void(const QByteArray &, const QString &, int, const QByteArray &,
                       const QByteArray &)>
        onAnswer;
};

struct CallOptions
{
    bool idempotent = false; // retried with backoff; GET is always idempotent
    QString parkedLane;      // non-empty: a long-poll on a connection set of its own
    qint64 extraTimeoutMs = 0;
    QByteArray extraHeaders; // whole header lines, each ending in "\r\n"
};

} // namespace QueueDeck::Client
