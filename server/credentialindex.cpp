// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "credentialindex.h"

#include "protocol/childtoken.h"
#include "protocol/secrets.h"

#include <QCryptographicHash>

namespace QueueDeck {

QByteArray CredentialIndex::hash(QByteArrayView token)
{
    return QCryptographicHash::hash(token, QCryptographicHash::Sha256);
}

std::optional<Principal> CredentialIndex::find(QByteArrayView token) const
{
    if (token.isEmpty())
        return std::nullopt;
    if (isChildToken(token)) {
        // Made by a worker from its credential: checked against that credential's hash. Whether
        // the lease still lives is the engine's to say.
        const auto parts = ChildToken::parse(token);
        if (!parts)
            return std::nullopt;
        QReadLocker lock(&m_lock);
        const auto worker = m_hashByWorker.constFind(parts->workerId);
        if (worker == m_hashByWorker.cend() || !ChildToken::verify(*parts, *worker))
            return std::nullopt;
        return Principal{PrincipalKind::Child, parts->workerId, {}, parts->taskId, parts->leaseId};
    }
    return findHashed(hash(token));
}

std::optional<Principal> CredentialIndex::findHashed(const QByteArray &tokenHash) const
{
    QReadLocker lock(&m_lock);
    const auto it = m_byHash.constFind(tokenHash);
    if (it == m_byHash.cend() || !sameSecret(it.key(), tokenHash))
        return std::nullopt;
    return *it;
}

void CredentialIndex::clear()
{
    QWriteLocker lock(&m_lock);
    m_byHash.clear();
    m_joinHashByQueue.clear();
    m_hashByWorker.clear();
    m_hashByProducer.clear();
    m_hashByViewer.clear();
    m_adminHash.clear();
}

void CredentialIndex::removeHash(const QByteArray &hash)
{
    if (!hash.isEmpty())
        m_byHash.remove(hash);
}

void CredentialIndex::setAdminHash(const QByteArray &hash)
{
    QWriteLocker lock(&m_lock);
    removeHash(m_adminHash);
    m_adminHash = hash;
    m_byHash.insert(hash, Principal{PrincipalKind::Admin, QStringLiteral("admin"), {}});
}

void CredentialIndex::setJoinToken(const QString &queueId, const QString &token)
{
    const QByteArray tokenHash = hash(token.toUtf8());
    QWriteLocker lock(&m_lock);
    removeHash(m_joinHashByQueue.value(queueId));
    m_joinHashByQueue.insert(queueId, tokenHash);
    m_byHash.insert(tokenHash, Principal{PrincipalKind::Join, queueId, {queueId}});
}

void CredentialIndex::removeJoinToken(const QString &queueId)
{
    QWriteLocker lock(&m_lock);
    removeHash(m_joinHashByQueue.take(queueId));
}

void CredentialIndex::setWorker(const QString &workerId, const QByteArray &credentialHash)
{
    QWriteLocker lock(&m_lock);
    removeHash(m_hashByWorker.value(workerId));
    m_hashByWorker.insert(workerId, credentialHash);
    m_byHash.insert(credentialHash, Principal{PrincipalKind::Worker, workerId, {}});
}

void CredentialIndex::removeWorker(const QString &workerId)
{
    QWriteLocker lock(&m_lock);
    removeHash(m_hashByWorker.take(workerId));
}

void CredentialIndex::setProducer(const QString &name, const QByteArray &tokenHash,
                                  const QStringList &queueIds)
{
    QWriteLocker lock(&m_lock);
    removeHash(m_hashByProducer.value(name));
    m_hashByProducer.insert(name, tokenHash);
    m_byHash.insert(tokenHash, Principal{PrincipalKind::Producer, name, queueIds});
}

void CredentialIndex::removeProducer(const QString &name)
{
    QWriteLocker lock(&m_lock);
    removeHash(m_hashByProducer.take(name));
}

void CredentialIndex::setViewer(const QString &name, const QByteArray &tokenHash)
{
    QWriteLocker lock(&m_lock);
    removeHash(m_hashByViewer.value(name));
    m_hashByViewer.insert(name, tokenHash);
    m_byHash.insert(tokenHash, Principal{PrincipalKind::Viewer, name, {}});
}

void CredentialIndex::removeViewer(const QString &name)
{
    QWriteLocker lock(&m_lock);
    removeHash(m_hashByViewer.take(name));
}

} // namespace QueueDeck
