// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Test support: a real server in this process (engine on a temporary directory, HTTP API on a
// free loopback port) for the widgets to talk to through the client library.

#include "apihost.h"
#include "enginefixture.h"
#include "servercertificate.h"

#include <QUrl>

namespace QueueDeck::Testing {

class ApiFixture
{
public:
    // clock: nullptr = the system clock.
    bool start(Clock *clock = nullptr, const QString &directory = {})
    {
        EngineOptions options;
        options.dataDirectory = directory.isEmpty() ? m_dir.path() : directory;
        m_engine = std::make_unique<Engine>(options, clock);
        if (!m_engine->start())
            return false;
        auto token = await(m_engine->initAdminToken(true)); // a fresh one each start
        if (!token)
            return false;
        m_token = *token;
        return listen(0);
    }
    // Serves HTTPS with this certificate from the next listen on.
    void useTls(const Api::ServerCertificate &certificate) { m_tls = certificate; }
    bool listen(quint16 port)
    {
        Api::ApiOptions options;
        options.port = port;
        options.workerProgram = m_workerProgram;
        options.certificatePath = m_tls.certificatePath;
        options.keyPath = m_tls.keyPath;
        m_api = std::make_unique<Api::ApiHost>(*m_engine, options);
        if (!m_api->start().isEmpty())
            return false;
        m_port = m_api->port();
        return true;
    }
    void stopListening()
    {
        if (m_api)
            m_api->stop();
        m_api.reset();
    }
    void stop()
    {
        stopListening();
        m_engine.reset();
    }
    ~ApiFixture() { stop(); }

    // What connect commands call instead of `qdeck` (Api::ApiOptions::workerProgram); set before
    // start().
    void setWorkerProgram(const QString &program) { m_workerProgram = program; }

    Engine &engine() { return *m_engine; }
    QUrl url() const
    {
        return QUrl(QStringLiteral("%1://127.0.0.1:%2")
                        .arg(m_tls.certificatePath.isEmpty() ? QStringLiteral("http")
                                                             : QStringLiteral("https"))
                        .arg(m_port));
    }
    const QString &token() const { return m_token; }
    quint16 port() const { return m_port; }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Api::ApiHost> m_api;
    QString m_token;
    QString m_workerProgram;
    quint16 m_port = 0;
    Api::ServerCertificate m_tls;
};

} // namespace QueueDeck::Testing
