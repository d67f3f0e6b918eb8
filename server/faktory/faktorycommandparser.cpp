// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktorycommandparser.h"

namespace QueueDeck::Faktory {

FaktoryCommandParser::FaktoryCommandParser(qint64 maxLineBytes) : m_maxLineBytes(maxLineBytes) {}

void FaktoryCommandParser::append(QByteArrayView bytes)
{
    while (!bytes.isEmpty()) {
        const qsizetype end = bytes.indexOf('\n');
        if (m_discarding) {
            if (end < 0) {
                m_discarded += bytes.size();
                return;
            }
            m_discarded += end;
            FaktoryLine line;
            line.kind = FaktoryLine::Kind::TooLong;
            line.length = m_discarded;
            m_lines.push_back(std::move(line));
            m_discarding = false;
            m_discarded = 0;
            bytes = bytes.sliced(end + 1);
            continue;
        }
        if (end < 0) {
            m_partial.append(bytes);
            if (m_partial.size() > m_maxLineBytes + 1) { // +1: a CR may still end it
                m_discarding = true;
                m_discarded = m_partial.size();
                m_partial.clear();
                m_partial.squeeze();
            }
            return;
        }
        m_partial.append(bytes.first(end));
        bytes = bytes.sliced(end + 1);
        finishLine(std::exchange(m_partial, {}));
    }
}

void FaktoryCommandParser::finishLine(QByteArray text)
{
    if (text.endsWith('\r'))
        text.chop(1);
    FaktoryLine line;
    line.length = text.size();
    if (text.size() > m_maxLineBytes) {
        line.kind = FaktoryLine::Kind::TooLong;
        m_lines.push_back(std::move(line));
        return;
    }
    const qsizetype space = text.indexOf(' ');
    if (space < 0) {
        line.verb = std::move(text);
    } else {
        line.verb = text.left(space);
        line.argument = text.mid(space + 1);
    }
    m_lines.push_back(std::move(line));
}

std::optional<FaktoryLine> FaktoryCommandParser::next()
{
    if (m_lines.empty())
        return std::nullopt;
    FaktoryLine line = std::move(m_lines.front());
    m_lines.pop_front();
    return line;
}

} // namespace QueueDeck::Faktory
