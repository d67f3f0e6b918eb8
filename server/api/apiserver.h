// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "apiservice.h"

#include <QString>

#include <memory>

class QThread;

namespace QueueDeck::Api {

// Runs the HTTP API on a thread of its own. The engine must outlive it. Thread-safe to start and
// stop from the thread that created it.
class ApiServer final
{
    Q_DISABLE_COPY_MOVE(ApiServer)
public:
    ApiServer(Engine &engine, ApiOptions options);
    ~ApiServer(); // stops the thread

    // Listens; returns an error message, or an empty string.
    QString start();
    // Stops accepting connections and ends the thread; parked answers are dropped with it.
    void stop();
    quint16 port() const { return m_port; }
    QString publicUrl() const { return m_publicUrl; }
    QStringList routes() const;

private:
    Engine &m_engine;
    ApiOptions m_options;
    std::unique_ptr<QThread> m_thread;
    ApiService *m_service = nullptr; // lives on m_thread
    quint16 m_port = 0;
    QString m_publicUrl;
};

} // namespace QueueDeck::Api
