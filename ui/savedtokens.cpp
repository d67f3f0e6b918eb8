// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "savedtokens.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>

#ifdef QUEUEDECK_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace QueueDeck::Ui {

namespace {

const QString Service = QStringLiteral("QueueDeck");

} // namespace

SavedTokens::SavedTokens(QString fileDirectory) : m_directory(std::move(fileDirectory))
{
    if (m_directory.isEmpty())
        m_directory =
            QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + u"/tokens";
}

QString SavedTokens::filePath(const QString &server) const
{
    const QByteArray hash =
        QCryptographicHash::hash(server.toUtf8(), QCryptographicHash::Sha256).toHex().left(24);
    return m_directory + u'/' + QString::fromLatin1(hash) + u".token";
}

QString SavedTokens::writeFile(const QString &server, const QString &token) const
{
    if (!QDir().mkpath(m_directory))
        return QObject::tr("cannot create %1").arg(m_directory);
    QFile::setPermissions(m_directory, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QSaveFile file(filePath(server));
    if (!file.open(QIODevice::WriteOnly))
        return file.errorString();
    // Readable by the owner only, before the secret is in it.
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write(token.toUtf8());
    if (!file.commit())
        return file.errorString();
    return {};
}

void SavedTokens::write(const QString &server, const QString &token, QObject *context,
                        std::function<void(const QString &, const QString &)> done) const
{
#ifdef QUEUEDECK_HAVE_KEYCHAIN
    auto *job = new QKeychain::WritePasswordJob(Service);
    job->setAutoDelete(true);
    job->setKey(server);
    job->setTextData(token);
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [self = *this, server, token, done](QKeychain::Job *finished) {
                         if (finished->error() == QKeychain::NoError) {
                             QFile::remove(self.filePath(server));
                             return done(QStringLiteral("keychain"), QString());
                         }
                         const QString error = self.writeFile(server, token);
                         done(error.isEmpty() ? self.filePath(server) : QString(), error);
                     });
    job->start();
#else
    const QString error = writeFile(server, token);
    QTimer::singleShot(0, context, [path = filePath(server), error, done] {
        done(error.isEmpty() ? path : QString(), error);
    });
#endif
}

void SavedTokens::read(const QString &server, QObject *context,
                       std::function<void(const QString &)> done) const
{
    auto fromFile = [path = filePath(server)] {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).trimmed()
                                              : QString();
    };
#ifdef QUEUEDECK_HAVE_KEYCHAIN
    auto *job = new QKeychain::ReadPasswordJob(Service);
    job->setAutoDelete(true);
    job->setKey(server);
    QObject::connect(job, &QKeychain::Job::finished, context,
                     [fromFile, done](QKeychain::Job *finished) {
                         auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
                         done(read->error() == QKeychain::NoError ? read->textData() : fromFile());
                     });
    job->start();
#else
    QTimer::singleShot(0, context, [fromFile, done] { done(fromFile()); });
#endif
}

void SavedTokens::remove(const QString &server) const
{
    QFile::remove(filePath(server));
#ifdef QUEUEDECK_HAVE_KEYCHAIN
    auto *job = new QKeychain::DeletePasswordJob(Service);
    job->setAutoDelete(true);
    job->setKey(server);
    job->start();
#endif
}

} // namespace QueueDeck::Ui
