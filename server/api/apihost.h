// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "apidispatcher.h"

#include <QString>

#include <memory>

class QThread;

namespace QueueDeck::Api {

// Runs the HTTP API on the engine's thread: a request reaches the engine and its answer comes back
// without a thread switch (measured: switches, not work, bounded single-request throughput), and
// requests read in one pass of the event loop still share one commit. Nothing on that thread
// blocks. The engine must be started before and outlive it.
class ApiHost final
{
    Q_DISABLE_COPY_MOVE(ApiHost)
public:
    ApiHost(Engine &engine, ApiOptions options);
    ~ApiHost(); // stops the thread

    // Listens; returns an error message, or an empty string.
    QString start();
    // Stops accepting connections and ends the thread; parked answers are dropped with it.
    void stop();
    quint16 port() const { return m_port; }
    QString publicUrl() const { return m_publicUrl; }
    // The fingerprint clients pin (self-signed certificate), or empty.
    QString fingerprint() const { return m_fingerprint; }
    QStringList routes() const;
    QList<RouteEntry> routeTable() const;

private:
    Engine &m_engine;
    ApiOptions m_options;
    ApiDispatcher *m_service = nullptr; // lives on the engine's thread
    quint16 m_port = 0;
    QString m_publicUrl;
    QString m_fingerprint;
};

} // namespace QueueDeck::Api
