// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "tokenfile.h"

#include <QFile>
#include <QRegularExpression>

namespace QueueDeck::Cli {

Result<TokenFile> TokenFile::read(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(
            ErrorCode::InvalidArgument,
            QStringLiteral("cannot read the token file %1: %2").arg(path, file.errorString()));
    const auto open = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup |
                      QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    if (file.permissions() & open)
        return makeError(ErrorCode::PermissionDenied,
                         QStringLiteral("the token file %1 can be read by other users; make it "
                                        "private first: chmod 600 %1")
                             .arg(path));
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    TokenFile tokens;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].section(u'#', 0, 0).trimmed();
        if (line.isEmpty())
            continue;
        const QStringList fields = line.split(spaces);
        const auto where = QStringLiteral("%1 line %2").arg(path).arg(i + 1);
        if (fields.size() == 1) {
            if (!tokens.defaultToken.isEmpty())
                return makeError(ErrorCode::InvalidArgument,
                                 QStringLiteral("%1: a second token without a queue id; write "
                                                "QUEUE_ID TOKEN per line")
                                     .arg(where));
            tokens.defaultToken = fields[0];
        } else if (fields.size() == 2) {
            if (tokens.byQueue.contains(fields[0]))
                return makeError(
                    ErrorCode::InvalidArgument,
                    QStringLiteral("%1: queue %2 has a token already").arg(where, fields[0]));
            tokens.byQueue.insert(fields[0], fields[1]);
        } else {
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("%1: write QUEUE_ID TOKEN (got %2 fields)")
                                 .arg(where)
                                 .arg(fields.size()));
        }
    }
    if (tokens.defaultToken.isEmpty() && tokens.byQueue.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the token file %1 holds no token; write QUEUE_ID TOKEN "
                                        "per line")
                             .arg(path));
    return tokens;
}

} // namespace QueueDeck::Cli
