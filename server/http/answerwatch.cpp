// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "answerwatch.h"

#ifdef Q_OS_UNIX
#include <poll.h>
#endif

namespace QueueDeck::Http {

void AnswerWatch::pollBeforeSleeping()
{
#ifdef Q_OS_UNIX
    if (!m_quickClient || !m_idle || m_descriptor < 0)
        return;
    // Only right after an answer: a connection that stays quiet is not polled again.
    if (m_clock.nsecsElapsed() - m_answeredNs > PollNs)
        return;
    const qint64 until = m_answeredNs + PollNs;
    pollfd entry{int(m_descriptor), POLLIN, 0};
    while (m_clock.nsecsElapsed() < until) {
        if (::poll(&entry, 1, 0) != 0)
            return; // readable (or closed): the event loop's own poll returns at once
    }
    m_quickClient = false; // it did not come back in time; wait for it to prove quick again
#endif
}

} // namespace QueueDeck::Http
