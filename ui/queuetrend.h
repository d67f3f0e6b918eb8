// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QtGlobal>

#include <deque>

namespace QueueDeck::Ui {

// The last five minutes of one queue as its card saw them, one sample per second of server time:
// depth for the sparkline, the add-vs-done balance, and whether the backlog has been growing.
class QueueTrend final
{
public:
    static constexpr qint64 WindowMs = 5 * 60 * 1000;
    static constexpr qint64 GrowingAfterMs = 60 * 1000;

    struct Sample
    {
        qint64 atMs = 0;
        qint64 depth = 0;   // queued
        qint64 backlog = 0; // queued + scheduled
        double addRate = 0;
        double doneRate = 0;
    };

    // A sample older than the newest one is ignored; one more than the window old drops out. The
    // whole seconds since the newest one (unchanged, so not sent) repeat its figures.
    void add(const Sample &sample);
    void clear() { m_samples.clear(); }

    QList<double> depthValues() const;
    // Tasks/s added minus tasks/s done, averaged over the last minute.
    double balancePerSecond() const;
    // How long the backlog has kept growing (each 10 s mark above the one before), in ms: 0 unless
    // it is at least GrowingAfterMs.
    qint64 growingForMs() const;
    // By how much it grew over that time.
    qint64 growth() const;

private:
    std::deque<Sample> m_samples;
};

} // namespace QueueDeck::Ui
