// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktoryserver.h"

#include <QElapsedTimer>
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
