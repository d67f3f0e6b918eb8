// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QReadWriteLock>
#include <QStringList>

#include <optional>

namespace QueueDeck {

// Child: a child token (qdc_) a worker agent gives its handler: it may enqueue children of one
// task while its lease lives, nothing else (design §5, docs/runs.md).
enum class PrincipalKind { Admin, Join, Worker, Producer, Viewer, Child };

// Who a bearer token belongs to.
struct Principal
{
    PrincipalKind kind = PrincipalKind::Admin;
    QString name; // worker id, producer or viewer token name, or the queue id of a join token
    QStringList queueIds; // what a join or producer token may reach
    QString taskId;       // Child: the task and lease the token is bound to (name: its worker)
    QString leaseId;
};

// Every token the server accepts, by SHA-256 hash (tokens carry 160 random bits, so a fast hash is
// enough). Thread-safe: the engine keeps it current, the API thread looks tokens up. Tokens are
// never stored in plain text here.
class CredentialIndex final
{
public:
    static QByteArray hash(QByteArrayView token);

    // Finds the principal of a presented token; the hash comparison is constant-time.
    std::optional<Principal> find(QByteArrayView token) const;
    // The same for a token other than a child token (qdc_), by its hash(): a caller that kept the
    // hash of a token it was shown before skips the SHA-256, and still sees a revocation at once.
    std::optional<Principal> findHashed(const QByteArray &tokenHash) const;
    static bool isChildToken(QByteArrayView token) { return token.startsWith("qdc_"); }

    void clear();
    void setAdminHash(const QByteArray &hash);
    void setJoinToken(const QString &queueId, const QString &token);
    void removeJoinToken(const QString &queueId);
    void setWorker(const QString &workerId, const QByteArray &hash);
    void removeWorker(const QString &workerId);
    void setProducer(const QString &name, const QByteArray &hash, const QStringList &queueIds);
    void removeProducer(const QString &name);
    void setViewer(const QString &name, const QByteArray &hash);
    void removeViewer(const QString &name);

private:
    void removeHash(const QByteArray &hash);

    mutable QReadWriteLock m_lock;
    QHash<QByteArray, Principal> m_byHash;
    QHash<QString, QByteArray> m_joinHashByQueue;
    QHash<QString, QByteArray> m_hashByWorker;
    QHash<QString, QByteArray> m_hashByProducer;
    QHash<QString, QByteArray> m_hashByViewer;
    QByteArray m_adminHash;
};

} // namespace QueueDeck
