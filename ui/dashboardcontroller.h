// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "queuedeckclient.h"

#include <QObject>
#include <QSet>

#include <memory>

namespace QueueDeck::Client {
class EventStream;
}

namespace QueueDeck::Ui {

class DashboardView;

// Feeds a DashboardView from a server, through the client library only: the dashboard at once,
// then the `stats` event each second; each queue's connect command once. The GUI thread never
// waits: answers arrive as continuations, the event stream reads without blocking and
// reconnects by itself (the view shows a banner meanwhile).
class DashboardController final : public QObject
{
    Q_OBJECT
public:
    DashboardController(Client::ClientOptions options, DashboardView *view,
                        QObject *parent = nullptr);
    ~DashboardController() override;

    void start();

private:
    void show(const DashboardSnapshot &snapshot);

    DashboardView *m_view;
    std::unique_ptr<Client::QueueDeckClient> m_client;
    Client::EventStream *m_events;
    QSet<QString> m_commandsAsked;
};

} // namespace QueueDeck::Ui
