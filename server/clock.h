// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

#include <atomic>

namespace QueueDeck {

// Wall-clock milliseconds since the epoch, injectable so that time rules can be tested.
// nowMs() is thread-safe. Clocks that jump (ManualClock) emit advanced() so that timers re-arm.
class Clock : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual qint64 nowMs() const = 0;
    // True when time only moves through advanced(): engines then never arm real timers.
    virtual bool isManual() const { return false; }

Q_SIGNALS:
    void advanced();
};

class SystemClock final : public Clock
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SystemClock)
public:
    explicit SystemClock(QObject *parent = nullptr) : Clock(parent) {}
    qint64 nowMs() const override;
};

// A clock that stands still until told to move: for tests of time rules.
class ManualClock final : public Clock
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ManualClock)
public:
    explicit ManualClock(qint64 startMs = 1'800'000'000'000, QObject *parent = nullptr)
        : Clock(parent), m_nowMs(startMs)
    {}
    qint64 nowMs() const override { return m_nowMs.load(); }
    bool isManual() const override { return true; }
    void advance(qint64 ms);

private:
    std::atomic<qint64> m_nowMs;
};

} // namespace QueueDeck
