// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "fingerprint.h"

#include <QCryptographicHash>

namespace QueueDeck::Fingerprint {

QString ofCertificate(const QByteArray &der)
{
    return format(QCryptographicHash::hash(der, QCryptographicHash::Sha256));
}

QString format(const QByteArray &digest)
{
    return QStringLiteral("sha256:") + QString::fromLatin1(digest.toHex(':').toUpper());
}

Result<QByteArray> parse(const QString &text)
{
    QString hex = text.trimmed();
    if (hex.startsWith(u"sha256:", Qt::CaseInsensitive))
        hex = hex.mid(7);
    else if (hex.startsWith(u"sha256/", Qt::CaseInsensitive))
        hex = hex.mid(7);
    hex.remove(u':');
    const QByteArray digest = QByteArray::fromHex(hex.toLatin1());
    bool plain = hex.size() == 64;
    for (const QChar c : hex)
        plain = plain && c.isLetterOrNumber() && c.unicode() < 128 &&
                QStringLiteral("0123456789abcdefABCDEF").contains(c);
    if (!plain || digest.size() != 32)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("a server fingerprint is sha256: followed by 32 hex pairs "
                                        "(as qdeck serve prints it), e.g. sha256:AB:CD:…; got %1")
                             .arg(text));
    return digest;
}

} // namespace QueueDeck::Fingerprint
