// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "backupcommand.h"

#include "queuedeckclient.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QThread>

#include <cstdio>
#include <unistd.h>

namespace QueueDeck::Cli {

namespace {

constexpr qint64 ChunkBytes = 8 * 1024 * 1024; // the most the server sends per call

template <typename T> Result<T> wait(QFuture<Result<T>> reply)
{
    return reply.result();
}

} // namespace

BackupCommand::BackupCommand(Client::QueueDeckClient &client, QString file, bool keepOnServer)
    : m_client(client), m_file(std::move(file)), m_keepOnServer(keepOnServer),
      m_terminal(::isatty(STDERR_FILENO) == 1)
{}

void BackupCommand::progress(const QString &line, bool final)
{
    // On a terminal one line is rewritten in place; elsewhere only the final state is written.
    if (m_terminal)
        std::fprintf(stderr, "\r\033[K%s%s", qPrintable(line), final ? "\n" : "");
    else if (final)
        std::fprintf(stderr, "%s\n", qPrintable(line));
    std::fflush(stderr);
}

Result<QString> BackupCommand::run()
{
    auto started = wait(m_client.call("POST", QStringLiteral("/api/v1/admin/backups")));
    if (!started)
        return std::unexpected(started.error());
    const QString id = started->value(QStringLiteral("id")).toString();
    QJsonObject status = *started;
    while (status.value(QStringLiteral("state")).toString() == u"running") {
        const qint64 done = status.value(QStringLiteral("pages_done")).toInteger();
        const qint64 total = status.value(QStringLiteral("pages_total")).toInteger();
        progress(QStringLiteral("backup %1 on the server: %2% (%3 of %4 pages)")
                     .arg(id)
                     .arg(total > 0 ? 100 * done / total : 0)
                     .arg(done)
                     .arg(total),
                 false);
        QThread::msleep(200);
        auto next = wait(m_client.call("GET", QStringLiteral("/api/v1/admin/backups/") + id));
        if (!next)
            return std::unexpected(next.error());
        status = *next;
    }
    if (status.value(QStringLiteral("state")).toString() != u"done")
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the server's backup %1 failed: %2")
                             .arg(id, status.value(QStringLiteral("error")).toString()));
    const qint64 size = status.value(QStringLiteral("size_bytes")).toInteger();
    progress(QStringLiteral("backup %1 on the server: done, %2 bytes").arg(id).arg(size), true);

    const QString part = m_file + QStringLiteral(".part");
    QFile out(part);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("cannot write %1: %2").arg(part, out.errorString()));
    qint64 offset = 0;
    while (offset < size) {
        auto chunk = wait(m_client.callText(
            "GET", QStringLiteral("/api/v1/admin/backups/%1/content?offset=%2&length=%3")
                       .arg(id)
                       .arg(offset)
                       .arg(ChunkBytes)));
        if (!chunk || chunk->isEmpty()) {
            out.close();
            QFile::remove(part);
            if (!chunk)
                return std::unexpected(chunk.error());
            return makeError(
                ErrorCode::Unavailable,
                QStringLiteral("the server sent %1 of %2 bytes; try again").arg(offset).arg(size));
        }
        if (out.write(*chunk) != chunk->size()) {
            out.close();
            QFile::remove(part);
            return makeError(ErrorCode::InvalidArgument,
                             QStringLiteral("cannot write %1: %2").arg(part, out.errorString()));
        }
        offset += chunk->size();
        progress(QStringLiteral("downloading into %1: %2% (%3 of %4 bytes)")
                     .arg(m_file)
                     .arg(100 * offset / qMax<qint64>(size, 1))
                     .arg(offset)
                     .arg(size),
                 offset >= size);
    }
    if (!out.flush() || ::fsync(out.handle()) != 0) {
        out.close();
        QFile::remove(part);
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("cannot write %1: %2").arg(part, out.errorString()));
    }
    out.close();
    QFile::remove(m_file);
    if (!QFile::rename(part, m_file))
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("cannot rename %1 to %2").arg(part, m_file));
    if (!m_keepOnServer) {
        if (auto removed =
                wait(m_client.call("DELETE", QStringLiteral("/api/v1/admin/backups/") + id));
            !removed)
            std::fprintf(stderr, "qdeck admin backup: the server's copy %s stays: %s\n",
                         qPrintable(id), qPrintable(removed.error().message));
    }
    return QStringLiteral("backup %1 written to %2 (%3 bytes). Start a server from it with: "
                          "qdeck serve --restore %2 --data-dir DIR")
        .arg(id, QFileInfo(m_file).absoluteFilePath())
        .arg(size);
}

} // namespace QueueDeck::Cli
