// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "httptypes.h"

#include "cardchangefeed.h"
#include "protocol/metrictypes.h"

#include <QList>
#include <QObject>

class QTimer;

namespace QueueDeck {
class Engine;
} // namespace QueueDeck

namespace QueueDeck::Api {

// The readers of GET /events and what they are sent: every second the dashboard ("stats", whole
// or as the cards that changed since the previous second), four times a second the queues,
// workers and tasks that changed. Each event is encoded once per tick and sent alike to every
// reader that asked for it (protocol/dashboarddelta.h has the changed-cards shape); a new reader
// of changed cards first gets every card whole, then the same deltas as everyone. Which cards
// changed comes from the engine (Engine::dashboardChanges); the hub only encodes them. Lives on
// the API thread; the engine outlives it.
class EventHub final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventHub)
public:
    explicit EventHub(Engine &engine, QObject *parent = nullptr);
    ~EventHub() override;

    // Starts the event stream on `stream`, sends it the dashboard now, and keeps it until it
    // closes. topics: empty for all; changedCardsOnly: stats carry only the cards that changed;
    // environment: non-empty for the stats and queue changes of that environment only.
    void addReader(const Http::HttpResponder &stream, QList<QByteArray> topics,
                   bool changedCardsOnly, const QString &environment = {});
    // No more ticks (the server stops listening).
    void stop();

private:
    void start();
    void broadcastStats();
    // The stats event of one environment's readers (empty: the readers of the whole server);
    // changed: the cards the engine says changed since that environment's previous tick, or
    // nullptr when no reader of changed cards was there to ask for them.
    void sendStats(const DashboardSnapshot &snapshot, const QList<ChangedCard> *changed,
                   const QString &environment);
    void broadcastChanges();

    // A reader: the topics it asked for (empty: all), whether it reads changed cards only, and
    // whether it still waits for its first (whole) set of cards.
    struct Reader
    {
        Http::HttpResponder stream;
        QList<QByteArray> topics;
        bool changedCardsOnly = false;
        QString environment; // non-empty: stats and queue changes of that environment only
        bool wantsAllCards = true;
        bool wants(const QByteArray &topic) const
        {
            return topics.isEmpty() || topics.contains(topic);
        }
    };

    Engine &m_engine;
    bool m_running = false;
    QList<Reader> m_readers;
    QTimer *m_statsTimer = nullptr;
    QTimer *m_changesTimer = nullptr;
};

} // namespace QueueDeck::Api
