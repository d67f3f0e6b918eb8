// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// A dashboard update, from the engine to the card, one way:
//
//  1. Engine::dashboardChanges() gives the typed cards and KPIs each second, and names the cards
//     that changed since the previous second with how they were (the engine's CardChangeFeed,
//     server/cardchangefeed.h, compares the typed cards; server/batchedengine_changes.cpp).
//  2. Api::EventHub (server/api/eventhub.cpp) only encodes: the named cards (and of those only
//     the changed fields) into one `stats` event with protocol's DashboardDelta
//     (protocol/dashboarddelta.h); every reader of GET /events?cards=changed gets those bytes.
//  3. EventStream (client/) reads the server-sent events; DashboardFeed (here) decodes the
//     event with DashboardDelta, completes each changed card from the typed card it knew, and
//     emits one DashboardUpdate: the KPIs, the cards added and changed (decoded), the ids
//     removed, the order.
//  4. Ui::DashboardController hands the update to Ui::DashboardView, which sets only the added
//     and changed cards on their QueueCardWidget; charts append the newest second.

#include "queuedeckclient.h"

#include "protocol/metrictypes.h"

#include <QHash>
#include <QObject>
#include <QStringList>

namespace QueueDeck::Client {

class EventStream;

// What one `stats` event changed on the dashboard, typed.
struct DashboardUpdate
{
    QList<QueueCard> added;   // new queues, whole
    QList<QueueCard> changed; // queues whose card shows something new (their samples aside)
    QStringList removed;      // queue ids no longer shown
    bool orderChanged = false;
};

// The live dashboard of one server: owns its event stream (GET /api/v1/events, stats and worker
// changes, changed cards only), which reconnects by itself; merges each `stats` event into the
// typed dashboard it keeps and says what changed. A reconnect brings every card again: only those
// that differ from what was known are reported. `queue`, `worker`, `task` events are handed on
// as one ChangeSet per burst. Lives on the thread that creates it (the GUI thread) and never
// blocks it.
class DashboardFeed final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardFeed)
public:
    explicit DashboardFeed(ClientOptions options, QObject *parent = nullptr);
    ~DashboardFeed() override;

    // The environment shown (empty: all); a change while open reads a new stream.
    void setEnvironment(const QString &environment);
    void open();
    bool isConnected() const;

    // The dashboard as merged so far: KPIs and every card in order with its newest sample.
    const DashboardSnapshot &snapshot() const { return m_snapshot; }
    // What reading and merging the last stats event cost this thread, in ns (its CPU time where
    // the system tells it), up to the emission of dashboardUpdated.
    qint64 lastMergeNs() const { return m_lastMergeNs; }

    // One event of the stream, by name and data: what the stream hands over (public so that a
    // scripted sequence can be fed in tests).
    void handleEvent(const QByteArray &name, const QByteArray &data);

Q_SIGNALS:
    // After a stats event: the snapshot() is updated; `update` says what of it changed.
    void dashboardUpdated(const QueueDeck::Client::DashboardUpdate &update);
    void changesArrived(const QueueDeck::ChangeSet &changes);
    // Task changes were too many to send: task lists should load again.
    void overflowed();
    void connectionChanged(bool connected, const QString &reason);

private:
    void mergeStats(const QJsonObject &event, qint64 startNs);
    void flushChanges();

    EventStream *m_stream;
    DashboardSnapshot m_snapshot;
    QHash<QString, qsizetype> m_indexOf; // queue id → its card in m_snapshot.cards
    ChangeSet m_pending;
    bool m_flushQueued = false;
    qint64 m_lastMergeNs = 0;
};

} // namespace QueueDeck::Client
