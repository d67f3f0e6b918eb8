// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "dashboardfeed.h"

#include "clientlog.h"
#include "eventstream.h"

#include "protocol/codec.h"
#include "protocol/dashboarddelta.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QUrl>

#include <ctime>

Q_LOGGING_CATEGORY(lcClientDashboard, "queuedeck.client.dashboard", QtInfoMsg)

namespace QueueDeck::Client {

namespace {

// CPU time of the calling thread where the system tells it, else wall time.
qint64 threadTimeNs()
{
#if defined(Q_OS_UNIX)
    timespec t{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0)
        return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
#endif
    static QElapsedTimer wall;
    if (!wall.isValid())
        wall.start();
    return wall.nsecsElapsed();
}

} // namespace

DashboardFeed::DashboardFeed(ClientOptions options, QObject *parent)
    : QObject(parent), m_stream(new EventStream(std::move(options), this))
{
    setEnvironment({});
    connect(m_stream, &EventStream::event, this, &DashboardFeed::handleEvent);
    connect(m_stream, &EventStream::connectionChanged, this,
            [this](bool connected, const QString &reason) {
                Q_EMIT connectionChanged(connected, reason);
            });
}

DashboardFeed::~DashboardFeed() = default;

void DashboardFeed::setEnvironment(const QString &environment)
{
    QByteArray query("topics=stats,worker&cards=changed");
    if (!environment.isEmpty())
        query += "&environment=" + QUrl::toPercentEncoding(environment);
    m_stream->setQuery(query);
}

void DashboardFeed::open()
{
    // A new stream's first stats event brings every card of the choice: what it does not list
    // is reported removed.
    m_stream->open();
}

bool DashboardFeed::isConnected() const
{
    return m_stream->isConnected();
}

void DashboardFeed::handleEvent(const QByteArray &name, const QByteArray &data)
{
    const qint64 startNs = threadTimeNs();
    const QJsonObject object = QJsonDocument::fromJson(data).object();
    if (name == "stats") {
        mergeStats(object, startNs);
        return;
    }
    const bool removed = object.value(QLatin1StringView("removed")).toBool();
    const QString id = object.value(QLatin1StringView("id")).toString();
    if (name == "queue") {
        if (removed)
            m_pending.removedQueues.append(id);
        else if (auto queue = Codec::queueFromJson(object))
            m_pending.queues.append(*queue);
    } else if (name == "worker") {
        if (removed)
            m_pending.removedWorkers.append(id);
        else if (auto worker = Codec::workerFromJson(object))
            m_pending.workers.append(*worker);
    } else if (name == "task") {
        m_pending.tasks.append(TaskChange{id,
                                          object.value(QLatin1StringView("queue_id")).toString(),
                                          object.value(QLatin1StringView("state")).toString()});
    } else if (name == "overflow") {
        Q_EMIT overflowed();
        return;
    } else {
        return;
    }
    // A look's changes arrive together: hand them on as one set once they are read.
    if (!m_flushQueued) {
        m_flushQueued = true;
        QTimer::singleShot(0, this, &DashboardFeed::flushChanges);
    }
}

void DashboardFeed::mergeStats(const QJsonObject &event, qint64 startNs)
{
    auto delta = DashboardDelta::decode(event);
    if (!delta) {
        qCWarning(lcClientDashboard) << "stats event not understood:" << delta.error().message;
        return;
    }
    DashboardUpdate update;
    // The cards the event carries, completed from the ones known.
    QHash<QString, QueueCard> arrived;
    arrived.reserve(delta->cards.size());
    for (const QJsonObject &part : std::as_const(delta->cards)) {
        const QString id = part.value(QLatin1StringView("id")).toString();
        const auto known = m_indexOf.constFind(id);
        const QueueCard *before = known == m_indexOf.cend() ? nullptr : &m_snapshot.cards[*known];
        auto card = DashboardDelta::card(part, before);
        if (!card) {
            qCWarning(lcClientDashboard)
                << "card" << id << "not understood:" << card.error().message;
            continue;
        }
        if (!before)
            update.added.append(*card);
        else if (!DashboardDelta::sameCard(*card, *before))
            update.changed.append(*card);
        arrived.insert(id, std::move(*card));
    }

    DashboardSnapshot next = std::move(delta->kpis);
    next.cards.reserve(delta->queueIds.size());
    QHash<QString, qsizetype> indexOf;
    indexOf.reserve(delta->queueIds.size());
    for (const QString &id : std::as_const(delta->queueIds)) {
        if (const auto it = arrived.find(id); it != arrived.end())
            next.cards.append(std::move(*it));
        else if (const auto old = m_indexOf.constFind(id); old != m_indexOf.cend())
            next.cards.append(std::as_const(m_snapshot.cards)[*old]);
        else
            continue; // not known yet: it comes whole with a later event
        next.cards.last().last = delta->samples.value(id);
        indexOf.insert(id, next.cards.size() - 1);
    }
    for (auto it = m_indexOf.cbegin(); it != m_indexOf.cend(); ++it) {
        if (!indexOf.contains(it.key()))
            update.removed.append(it.key());
    }
    update.orderChanged = !update.added.isEmpty() || !update.removed.isEmpty() || [&] {
        for (auto it = indexOf.cbegin(); it != indexOf.cend(); ++it) {
            if (m_indexOf.value(it.key(), -1) != it.value())
                return true;
        }
        return false;
    }();
    m_snapshot = std::move(next);
    m_indexOf = std::move(indexOf);
    m_lastMergeNs = threadTimeNs() - startNs;
    Q_EMIT dashboardUpdated(update);
}

void DashboardFeed::flushChanges()
{
    m_flushQueued = false;
    ChangeSet changes;
    std::swap(changes, m_pending);
    Q_EMIT changesArrived(changes);
}

} // namespace QueueDeck::Client
