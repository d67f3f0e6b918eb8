// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <deque>
#include <optional>

namespace QueueDeck::Faktory {

// One client line of the Faktory work protocol: `VERB` or `VERB argument`, ended by LF (CRLF
// accepted). A line longer than the limit is not kept in memory: its bytes are dropped as they
// arrive and it comes out as TooLong once its end is seen, in its place among the other lines, so
// that every line still gets exactly one answer.
struct FaktoryLine
{
    enum class Kind { Command, TooLong };
    Kind kind = Kind::Command;
    QByteArray verb;     // as sent; empty for an empty line
    QByteArray argument; // everything after the first space (may be empty)
    qint64 length = 0;   // bytes of the line without its end
};

// Splits a byte stream into FaktoryLines. Bytes may arrive in any pieces (a line split across TCP
// packets, several lines in one packet). Plain value class: no I/O, no Qt event loop, so a fuzz
// target can drive it directly.
class FaktoryCommandParser final
{
public:
    explicit FaktoryCommandParser(qint64 maxLineBytes);

    void append(QByteArrayView bytes);
    // The next complete line, in arrival order; nullopt when none is complete yet.
    std::optional<FaktoryLine> next();
    qsizetype pendingLines() const { return qsizetype(m_lines.size()); }
    // Bytes held for the line not yet complete.
    qsizetype partialBytes() const { return m_partial.size(); }

private:
    void finishLine(QByteArray line);

    qint64 m_maxLineBytes;
    QByteArray m_partial;
    bool m_discarding = false; // inside a line that is over the limit
    qint64 m_discarded = 0;
    std::deque<FaktoryLine> m_lines;
};

} // namespace QueueDeck::Faktory
