// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "embeddedserver.h"

#include <QString>
#include <QUrl>

#include <memory>

namespace QueueDeck {

class Engine;

namespace Api {
class ApiHost;
} // namespace Api
namespace Faktory {
class FaktoryServer;
} // namespace Faktory

// The server of the desktop app's own process: its API (and, when asked, the Faktory listener)
// on the engine's thread, listening as the network settings say; the window reaches it over
// loopback like any client. Lives on the thread that made it (the GUI thread); the engine
// outlives it.
class EmbeddedHost final : public Ui::EmbeddedServer
{
public:
    // What start() does when the loopback port asked for is taken: refuse, or serve on any free
    // port (the app's very first start, when another QueueDeck may hold the port).
    enum class WhenPortTaken { Refuse, AnyFreePort };

    EmbeddedHost(Engine &engine, QString adminToken, QString dataDirectory);
    ~EmbeddedHost() override;
    Q_DISABLE_COPY_MOVE(EmbeddedHost)

    // Listens as told; an error says why it could not (it then does not listen).
    QString start(const Ui::NetworkSettings &network,
                  WhenPortTaken whenTaken = WhenPortTaken::Refuse);
    void stop();

    QUrl url() const override;
    QString adminToken() const override { return m_token; }
    Ui::NetworkSettings network() const override { return m_network; }
    // Listens as told, on the port told (never another); when it cannot, it listens as before,
    // on the port it had, and the error says both.
    QString applyNetwork(const Ui::NetworkSettings &network) override;
    QString securityWarning() const override;
    QString faktoryUrl() const override;
    Result<QString> faktoryPassword() override;
    Result<QString> rotateFaktoryPassword() override;

private:
    QString listen(const Ui::NetworkSettings &network, quint16 port, WhenPortTaken whenTaken);

    Engine &m_engine;
    QString m_token;
    QString m_dataDirectory;
    std::unique_ptr<Api::ApiHost> m_api;
    std::unique_ptr<Faktory::FaktoryServer> m_faktory;
    Ui::NetworkSettings m_network;
    bool m_tls = false;
};

} // namespace QueueDeck
