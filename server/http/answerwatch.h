// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QtGlobal>

namespace QueueDeck::Http {

// A client that sends its next request within microseconds of each answer (one awaited call
// after another) is served faster when the server polls that connection briefly before its
// thread sleeps: waking a sleeping thread costs tens of µs on virtual machines, more than such
// a round trip takes. The watch remembers the connection answered last and whether its client
// came back that fast last time; the server's thread polls only then, and never for long.
class AnswerWatch
{
public:
    AnswerWatch() { m_clock.start(); }

    void answered(qintptr descriptor)
    {
        m_descriptor = descriptor;
        m_answeredNs = m_clock.nsecsElapsed();
        m_idle = true;
    }
    void requestRead(qintptr descriptor)
    {
        m_quickClient =
            descriptor == m_descriptor && m_clock.nsecsElapsed() - m_answeredNs < QuickReturnNs;
        m_idle = false; // a request is being served: nothing to wait for
    }
    void forget(qintptr descriptor)
    {
        if (descriptor == m_descriptor)
            m_descriptor = -1;
    }
    // Called before the thread sleeps: polls the last answered connection for a short while.
    void pollBeforeSleeping();

private:
    static constexpr qint64 QuickReturnNs = 200'000;
    static constexpr qint64 PollNs = 60'000;

    QElapsedTimer m_clock;
    qintptr m_descriptor = -1;
    qint64 m_answeredNs = 0;
    bool m_quickClient = false;
    bool m_idle = false; // the last thing done was an answer
};

} // namespace QueueDeck::Http
