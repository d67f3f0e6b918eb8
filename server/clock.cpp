// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "clock.h"

#include <QDateTime>

namespace QueueDeck {

qint64 SystemClock::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

void ManualClock::advance(qint64 ms)
{
    m_nowMs += ms;
    Q_EMIT advanced();
}

} // namespace QueueDeck
