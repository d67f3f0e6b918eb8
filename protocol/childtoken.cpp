// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "childtoken.h"

#include "secrets.h"

#include <QCryptographicHash>
#include <QList>
#include <QMessageAuthenticationCode>

namespace QueueDeck {

namespace {

constexpr auto s_encoding = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray macOf(const QByteArray &key, const QString &workerId, const QString &taskId,
                 const QString &leaseId)
{
    const QByteArray message =
        "child\n" + workerId.toUtf8() + '\n' + taskId.toUtf8() + '\n' + leaseId.toUtf8();
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

} // namespace

QString ChildToken::make(const QString &workerId, const QByteArray &credentialHash,
                         const QString &taskId, const QString &leaseId)
{
    return QStringLiteral("qdc_") + QString::fromLatin1(workerId.toUtf8().toBase64(s_encoding)) +
           u'.' + taskId + u'.' + leaseId + u'.' +
           QString::fromLatin1(
               macOf(credentialHash, workerId, taskId, leaseId).toBase64(s_encoding));
}

QString ChildToken::makeFromCredential(const QString &workerId, const QString &credential,
                                       const QString &taskId, const QString &leaseId)
{
    return make(workerId, QCryptographicHash::hash(credential.toUtf8(), QCryptographicHash::Sha256),
                taskId, leaseId);
}

std::optional<ChildToken::Parts> ChildToken::parse(QByteArrayView token)
{
    if (!token.startsWith("qdc_") || token.size() > 512)
        return std::nullopt;
    const QList<QByteArray> fields = token.sliced(4).toByteArray().split('.');
    if (fields.size() != 4)
        return std::nullopt;
    const auto worker = QByteArray::fromBase64Encoding(
        fields[0], s_encoding | QByteArray::AbortOnBase64DecodingErrors);
    const auto mac = QByteArray::fromBase64Encoding(
        fields[3], s_encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!worker || !mac || worker.decoded.isEmpty() || mac.decoded.size() != 32 ||
        fields[1].isEmpty() || fields[2].isEmpty())
        return std::nullopt;
    return Parts{QString::fromUtf8(worker.decoded), QString::fromLatin1(fields[1]),
                 QString::fromLatin1(fields[2]), mac.decoded};
}

bool ChildToken::verify(const Parts &parts, const QByteArray &credentialHash)
{
    return sameSecret(macOf(credentialHash, parts.workerId, parts.taskId, parts.leaseId),
                      parts.mac);
}

} // namespace QueueDeck
