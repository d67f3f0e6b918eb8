// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "apiserver.h"

#include <QThread>

namespace QueueDeck::Api {

ApiServer::ApiServer(Engine &engine, ApiOptions options)
    : m_engine(engine), m_options(std::move(options))
{}

ApiServer::~ApiServer()
{
    stop();
}

QString ApiServer::start()
{
    if (m_thread)
        return QStringLiteral("the API server is running already");
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("queuedeck-api"));
    m_service = new ApiService(m_engine, m_options);
    m_service->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, m_service, &QObject::deleteLater);
    m_thread->start();
    QString error;
    QMetaObject::invokeMethod(
        m_service,
        [this, &error] {
            error = m_service->listen();
            m_port = m_service->port();
            m_publicUrl = m_service->publicUrl();
        },
        Qt::BlockingQueuedConnection);
    if (!error.isEmpty())
        stop();
    return error;
}

void ApiServer::stop()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(
        m_service, [this] { m_service->stopListening(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_service = nullptr;
}

QStringList ApiServer::routes() const
{
    QStringList out;
    if (m_service)
        QMetaObject::invokeMethod(
            m_service, [this, &out] { out = m_service->routes(); }, Qt::BlockingQueuedConnection);
    return out;
}

} // namespace QueueDeck::Api
