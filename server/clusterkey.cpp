// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "clusterkey.h"

#include "tokencipher.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <openssl/rand.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace QueueDeck {

namespace {

Result<QByteArray> decode(const QByteArray &text, const QString &where)
{
    const auto decoded =
        QByteArray::fromBase64Encoding(text.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != TokenCipher::KeyBytes)
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("%1 does not hold a cluster key: it must be %2 bytes in "
                                        "base64 (44 characters), as in the <data-dir>/cluster-key "
                                        "a node writes on its first start")
                             .arg(where)
                             .arg(TokenCipher::KeyBytes));
    return decoded.decoded;
}

Result<QByteArray> readFile(const QString &path, bool mustBePrivate)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("cannot read the cluster key file %1: %2")
                             .arg(path, file.errorString()));
    if (mustBePrivate && (file.permissions() & (QFile::ReadGroup | QFile::ReadOther |
                                                QFile::WriteGroup | QFile::WriteOther)))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("the cluster key file %1 can be read by other users; "
                                        "make it readable by its owner only (chmod 600 %1)")
                             .arg(path));
    return decode(file.readAll(), QStringLiteral("the cluster key file %1").arg(path));
}

Result<QByteArray> generate(const QString &path)
{
    QByteArray key(TokenCipher::KeyBytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(key.data()), int(key.size())) != 1)
        return makeError(ErrorCode::Internal, QStringLiteral("no random bytes for a cluster key"));
    // Created with its final mode, and never over an existing file.
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("cannot create the cluster key %1: %2")
                             .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    const QByteArray text = ClusterKey::encode(key) + '\n';
    const bool written =
        ::write(fd, text.constData(), size_t(text.size())) == text.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
        QFile::remove(path);
        return makeError(ErrorCode::Internal,
                         QStringLiteral("cannot write the cluster key %1").arg(path));
    }
    return key;
}

} // namespace

QByteArray ClusterKey::encode(const QByteArray &key)
{
    return key.toBase64();
}

Result<ClusterKey::Loaded> ClusterKey::load(const Sources &sources)
{
    if (!sources.environmentValue.isEmpty() && !sources.keyFile.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("both %1 and --cluster-key-file give a cluster key; give "
                                        "one of them")
                             .arg(EnvironmentVariable));
    if (!sources.environmentValue.isEmpty()) {
        auto key = decode(sources.environmentValue.toLatin1(), EnvironmentVariable);
        if (!key)
            return std::unexpected(key.error());
        return Loaded{*key, EnvironmentVariable, false};
    }
    if (!sources.keyFile.isEmpty()) {
        auto key = readFile(sources.keyFile, true);
        if (!key)
            return std::unexpected(key.error());
        return Loaded{*key, sources.keyFile, false};
    }
    if (sources.dataDirectory.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("no cluster key: set %1, give --cluster-key-file, or a "
                                        "data directory to keep one in")
                             .arg(EnvironmentVariable));
    const QString path = QDir(sources.dataDirectory).filePath(FileName);
    if (QFileInfo::exists(path)) {
        auto key = readFile(path, true);
        if (!key)
            return std::unexpected(key.error());
        return Loaded{*key, path, false};
    }
    if (!QDir().mkpath(sources.dataDirectory))
        return makeError(
            ErrorCode::Internal,
            QStringLiteral("cannot create the data directory %1").arg(sources.dataDirectory));
    auto key = generate(path);
    if (!key)
        return std::unexpected(key.error());
    return Loaded{*key, path, true};
}

} // namespace QueueDeck
