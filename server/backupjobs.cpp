// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "backupjobs.h"

#include "clock.h"
#include "store.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcBackup, "queuedeck.backup", QtInfoMsg) // debug: on request

namespace QueueDeck {

namespace {

QString partPath(const QString &path)
{
    return path + QStringLiteral(".part");
}

} // namespace

BackupJobs::BackupJobs(Store &store, QString directory, QObject *context, const Clock &clock)
    : m_store(store), m_directory(std::move(directory)), m_context(context), m_clock(clock)
{}

BackupJobs::~BackupJobs()
{
    *m_alive = false;
    if (m_running) {
        m_running.reset();
        QFile::remove(partPath(m_known.value(m_runningId).path));
        qCWarning(lcBackup) << "backup" << m_runningId << "abandoned: the server stopped";
    }
}

Result<QString> BackupJobs::checkedPath(const QString &id) const
{
    static const QRegularExpression shape(QStringLiteral("^b_[0-9]{8}T[0-9]{6}Z(-[0-9]+)?$"));
    if (!shape.match(id).hasMatch())
        return makeError(
            ErrorCode::NotFound,
            QStringLiteral("no backup %1; backup ids look like b_20261130T170512Z").arg(id));
    return QDir(m_directory).filePath(id + QStringLiteral(".db"));
}

Result<BackupStatus> BackupJobs::start()
{
    if (m_running)
        return makeError(
            ErrorCode::FailedPrecondition,
            QStringLiteral("backup %1 is still running; wait for it").arg(m_runningId));
    if (!QDir().mkpath(m_directory))
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot create %1; check the data directory's permissions")
                             .arg(m_directory));
    const qint64 now = m_clock.nowMs();
    QString id = QStringLiteral("b_") + QDateTime::fromMSecsSinceEpoch(now, Qt::UTC)
                                            .toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    for (int n = 2; m_known.contains(id) || QFile::exists(*checkedPath(id)); ++n)
        id = id.section(u'-', 0, 0) + u'-' + QString::number(n);
    const QString path = *checkedPath(id);
    QFile::remove(partPath(path));
    auto backup = m_store.startBackup(partPath(path));
    if (!backup)
        return std::unexpected(backup.error());
    m_running = std::move(*backup);
    m_runningId = id;
    BackupStatus status;
    status.id = id;
    status.state = QStringLiteral("running");
    status.path = path;
    status.startedAtMs = now;
    m_known.insert(id, status);
    qCInfo(lcBackup) << "backup" << id << "started into" << path;
    QMetaObject::invokeMethod(
        m_context,
        [this, alive = m_alive] {
            if (*alive)
                step();
        },
        Qt::QueuedConnection);
    return status;
}

void BackupJobs::step()
{
    if (!m_running)
        return;
    BackupStatus &status = m_known[m_runningId];
    const auto done = m_running->step(StepPages);
    status.pagesDone = m_running->pagesDone();
    status.pagesTotal = m_running->pagesTotal();
    if (done && !*done) {
        QMetaObject::invokeMethod(
            m_context,
            [this, alive = m_alive] {
                if (*alive)
                    step();
            },
            Qt::QueuedConnection);
        return;
    }
    m_running.reset(); // closes the copy
    status.finishedAtMs = m_clock.nowMs();
    if (done && !QFile::rename(partPath(status.path), status.path)) {
        status.state = QStringLiteral("failed");
        status.error =
            QStringLiteral("cannot rename %1 to %2").arg(partPath(status.path), status.path);
    } else if (!done) {
        status.state = QStringLiteral("failed");
        status.error = done.error().message;
    } else {
        status.state = QStringLiteral("done");
        status.sizeBytes = QFileInfo(status.path).size();
    }
    if (status.state == u"failed") {
        QFile::remove(partPath(status.path));
        qCWarning(lcBackup) << "backup" << status.id << "failed:" << status.error;
    } else {
        qCInfo(lcBackup) << "backup" << status.id << "done:" << status.pagesTotal << "pages,"
                         << status.sizeBytes << "bytes";
    }
    m_runningId.clear();
}

Result<BackupStatus> BackupJobs::status(const QString &id) const
{
    auto path = checkedPath(id);
    if (!path)
        return std::unexpected(path.error());
    if (auto known = m_known.constFind(id); known != m_known.cend()) {
        if (known->state != u"done" || QFile::exists(known->path))
            return *known;
    } else if (QFile::exists(*path)) { // made before the server restarted
        BackupStatus status;
        status.id = id;
        status.state = QStringLiteral("done");
        status.path = *path;
        status.sizeBytes = QFileInfo(*path).size();
        return status;
    }
    return makeError(ErrorCode::NotFound, QStringLiteral("no backup %1").arg(id));
}

Result<void> BackupJobs::remove(const QString &id)
{
    auto current = status(id);
    if (!current)
        return std::unexpected(current.error());
    if (current->state == u"running")
        return makeError(ErrorCode::FailedPrecondition,
                         QStringLiteral("backup %1 is still running; wait for it").arg(id));
    QFile::remove(current->path);
    m_known.remove(id);
    return {};
}

} // namespace QueueDeck
