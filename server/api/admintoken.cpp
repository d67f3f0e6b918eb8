// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "admintoken.h"

#include "engine.h"

#include <QDir>
#include <QFile>

namespace QueueDeck::Api {

Result<AdminToken> prepareAdminToken(Engine &engine, const QString &dataDirectory, bool reset)
{
    auto made = engine.initAdminToken(reset).result();
    if (!made)
        return std::unexpected(made.error());
    AdminToken out;
    out.path = QDir(dataDirectory).filePath(QStringLiteral("admin-token"));
    if (made->isEmpty()) {
        QFile file(out.path);
        if (file.open(QIODevice::ReadOnly))
            out.token = QString::fromUtf8(file.readAll()).trimmed();
        return out; // the file may be gone: the server still checks the token it knows
    }
    QFile file(out.path);
    QFile::remove(out.path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(made->toUtf8() + '\n') < 0)
        return makeError(ErrorCode::Internal, QStringLiteral("cannot write the admin token to "
                                                             "%1: %2")
                                                  .arg(out.path, file.errorString()));
    out.token = *made;
    out.written = true;
    return out;
}

} // namespace QueueDeck::Api
