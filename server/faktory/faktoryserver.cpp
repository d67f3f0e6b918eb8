// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktoryserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>

namespace QueueDeck::Faktory {

FaktoryServer::FaktoryServer(Engine &engine, FaktoryOptions options)
    : m_engine(engine), m_options(std::move(options))
{}

FaktoryServer::~FaktoryServer()
{
    stop();
}

QString FaktoryServer::start()
{
    if (m_service)
        return QStringLiteral("the Faktory listener is running already");
    QThread *thread = m_engine.thread();
    if (!thread)
        return QStringLiteral("the engine is not started");
    auto environments = m_engine.listEnvironments().result();
    if (!environments)
        return environments.error().message;
    const bool known = std::any_of(environments->cbegin(), environments->cend(),
                                   [this](const EnvironmentInfo &environment) {
                                       return environment.name == m_options.environment;
                                   });
    if (!known) {
        EnvironmentInfo environment;
        environment.name = m_options.environment;
        environment.description = QStringLiteral("Faktory queues");
        auto made = m_engine.createEnvironment(environment).result();
        if (!made && made.error().code != ErrorCode::AlreadyExists)
            return made.error().message;
    }
    m_service = new FaktoryService(m_engine, m_options);
    m_service->moveToThread(thread);
    QString error;
    QMetaObject::invokeMethod(
        m_service,
        [this, &error] {
            error = m_service->listen();
            m_port = m_service->port();
        },
        Qt::BlockingQueuedConnection);
    if (!error.isEmpty())
        stop();
    return error;
}

Result<QString> FaktoryServer::writePasswordFile(const QString &dataDirectory,
                                                 const QString &password)
{
    const QString path = QDir(dataDirectory).filePath(QStringLiteral("faktory-password"));
    QFile::remove(path);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(password.toUtf8() + '\n') < 0)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("cannot write the Faktory password to %1: %2")
                             .arg(path, file.errorString()));
    return path;
}

void FaktoryServer::stop()
{
    if (!m_service)
        return;
    QMetaObject::invokeMethod(
        m_service, [this] { m_service->shutdown(); }, Qt::BlockingQueuedConnection);
    QElapsedTimer waited;
    waited.start();
    qint64 pending = 1;
    while (pending > 0 && waited.elapsed() < 2000) {
        QMetaObject::invokeMethod(
            m_service, [this, &pending] { pending = m_service->bytesToWrite(); },
            Qt::BlockingQueuedConnection);
        if (pending > 0)
            QThread::msleep(5);
    }
    QMetaObject::invokeMethod(
        m_service, [this] { delete m_service; }, Qt::BlockingQueuedConnection);
    m_service = nullptr;
}

} // namespace QueueDeck::Faktory
