// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "dashboardcontroller.h"

#include "dashboardview.h"
#include "eventstream.h"
#include "protocol/codec.h"

#include <QJsonDocument>

namespace QueueDeck::Ui {

DashboardController::DashboardController(Client::ClientOptions options, DashboardView *view,
                                         QObject *parent)
    : QObject(parent), m_view(view), m_client(std::make_unique<Client::QueueDeckClient>(options)),
      m_events(new Client::EventStream(options, this))
{
    connect(m_events, &Client::EventStream::event, this,
            [this](const QByteArray &name, const QByteArray &data) {
                if (name != "stats")
                    return;
                if (auto snapshot =
                        Codec::dashboardFromJson(QJsonDocument::fromJson(data).object()))
                    show(*snapshot);
            });
    connect(
        m_events, &Client::EventStream::connectionChanged, this,
        [this](bool connected, const QString &reason) { m_view->setConnected(connected, reason); });
}

DashboardController::~DashboardController() = default;

void DashboardController::start()
{
    m_client->dashboard().then(this, [this](const Result<DashboardSnapshot> &snapshot) {
        if (snapshot)
            show(*snapshot);
        else
            m_view->setConnected(false, snapshot.error().message);
    });
    m_events->open();
}

void DashboardController::show(const DashboardSnapshot &snapshot)
{
    m_view->setSnapshot(snapshot);
    for (const QueueCard &card : snapshot.cards) {
        const QString id = card.queue.id;
        if (m_commandsAsked.contains(id))
            continue;
        m_commandsAsked.insert(id);
        m_client->workerCommand(id).then(this, [this, id](const Result<QJsonObject> &command) {
            if (command)
                m_view->setConnectCommand(id, command->value(QStringLiteral("command")).toString());
            else
                m_commandsAsked.remove(id); // asked again with the next snapshot
        });
    }
}

} // namespace QueueDeck::Ui
