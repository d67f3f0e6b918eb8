// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "faktoryservice.h"

namespace QueueDeck::Faktory {

// Runs the Faktory listener on the engine's thread, beside the HTTP API (design §12). The engine
// must be started before and outlive it.
class FaktoryServer final
{
    Q_DISABLE_COPY_MOVE(FaktoryServer)
public:
    FaktoryServer(Engine &engine, FaktoryOptions options);
    ~FaktoryServer(); // stops

    // Makes the listener's environment when it is missing (queues in it are made on demand),
    // then listens. An error message, or empty.
    QString start();
    void stop(); // stops listening; answers already written get up to 2 s to leave
    quint16 port() const { return m_port; }

    // Writes the listener's password to <dataDirectory>/faktory-password, readable by its owner
    // only, for the operator to read; returns the file's path.
    static Result<QString> writePasswordFile(const QString &dataDirectory, const QString &password);

private:
    Engine &m_engine;
    FaktoryOptions m_options;
    FaktoryService *m_service = nullptr; // lives on the engine's thread
    quint16 m_port = 0;
};

} // namespace QueueDeck::Faktory
