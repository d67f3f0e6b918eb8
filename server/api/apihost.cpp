// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "apihost.h"

#include "engine.h"

#include <QElapsedTimer>
#include <QThread>

namespace QueueDeck::Api {

ApiHost::ApiHost(Engine &engine, ApiOptions options)
    : m_engine(engine), m_options(std::move(options))
{}

ApiHost::~ApiHost()
{
    stop();
}

QString ApiHost::start()
{
    if (m_service)
        return QStringLiteral("the API server is running already");
    QThread *thread = m_engine.thread();
    if (!thread)
        return QStringLiteral("the engine is not started");
    m_service = new ApiDispatcher(m_engine, m_options);
    m_service->moveToThread(thread);
    QString error;
    QMetaObject::invokeMethod(
        m_service,
        [this, &error] {
            error = m_service->listen();
            m_port = m_service->port();
            m_publicUrl = m_service->publicUrl();
            m_fingerprint = m_service->fingerprint();
        },
        Qt::BlockingQueuedConnection);
    if (!error.isEmpty())
        stop();
    return error;
}

void ApiHost::stop()
{
    if (!m_service)
        return;
    // No new connections; every parked request answered. Then give the answers up to 2 s to
    // reach the operating system before the connections close with the service.
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

QStringList ApiHost::routes() const
{
    QStringList out;
    if (m_service)
        QMetaObject::invokeMethod(
            m_service, [this, &out] { out = m_service->routes(); }, Qt::BlockingQueuedConnection);
    return out;
}

QList<RouteEntry> ApiHost::routeTable() const
{
    QList<RouteEntry> out;
    if (m_service)
        QMetaObject::invokeMethod(
            m_service, [this, &out] { out = m_service->routeTable(); },
            Qt::BlockingQueuedConnection);
    return out;
}

} // namespace QueueDeck::Api
