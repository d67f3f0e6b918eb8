// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace QueueDeck {

// The child token (qdc_…) a worker agent hands its handler instead of its own credential: it
// lets the handler enqueue children of the one task it runs, and nothing else, while that task's
// lease lives (design §5, docs/runs.md). It is made by the worker from its credential and checked
// by the server against the credential's stored hash, so nothing new is stored and no round trip
// is needed:
//   qdc_<base64url(worker id)>.<task id>.<lease id>.<base64url(HMAC-SHA256(key, message))>
// with key = SHA-256(credential) and message = "child\n<worker id>\n<task id>\n<lease id>".
class ChildToken final
{
public:
    struct Parts
    {
        QString workerId;
        QString taskId;
        QString leaseId;
        QByteArray mac;
    };

    // credentialHash: SHA-256 of the worker's credential.
    static QString make(const QString &workerId, const QByteArray &credentialHash,
                        const QString &taskId, const QString &leaseId);
    static QString makeFromCredential(const QString &workerId, const QString &credential,
                                      const QString &taskId, const QString &leaseId);
    // The parts of a well-formed token, or nothing; the MAC is not checked here.
    static std::optional<Parts> parse(QByteArrayView token);
    // True when the token's MAC was made with this credential hash (constant-time comparison).
    static bool verify(const Parts &parts, const QByteArray &credentialHash);
};

} // namespace QueueDeck
