// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "protocol/jsonscan.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace QueueDeck::Codec {

namespace {

// One pass over JSON text. value() says whether the text is plain (see isPlainJson); while it
// scans, compact() stays true only as long as the text is also in QJsonDocument's compact form.
class Scanner
{
public:
    explicit Scanner(QByteArrayView text) : m_at(text.data()), m_end(text.data() + text.size()) {}

    const char *at() const { return m_at; }
    bool atEnd() const { return m_at == m_end; }
    bool compact() const { return m_compact; }
    void startCompact() { m_compact = true; }

    void skipSpace()
    {
        const char *from = m_at;
        while (m_at < m_end && (*m_at == ' ' || *m_at == '\n' || *m_at == '\r' || *m_at == '\t'))
            ++m_at;
        if (m_at != from)
            m_compact = false;
    }
    bool take(char c)
    {
        if (m_at < m_end && *m_at == c) {
            ++m_at;
            return true;
        }
        return false;
    }
    // A string; `escaped` tells whether it held an escape.
    bool string(bool *escaped = nullptr)
    {
        if (!take('"'))
            return false;
        bool sawEscape = false;
        while (m_at < m_end) {
            skipPlainRun();
            if (m_at == m_end)
                break;
            const auto c = static_cast<unsigned char>(*m_at++);
            if (c == '"') {
                if (escaped)
                    *escaped = sawEscape;
                if (sawEscape)
                    m_compact = false;
                return true;
            }
            if (c == '\\') {
                if (m_at == m_end)
                    return false;
                sawEscape = true;
                switch (*m_at++) {
                case '"':
                case '\\':
                case '/':
                case 'b':
                case 'f':
                case 'n':
                case 'r':
                case 't':
                    break;
                default:
                    return false; // \u and anything else: Qt's to judge
                }
            } else if (c < 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return false;
    }
    // Steps over the bytes that need no look of their own: printable ASCII other than '"' and
    // '\\', most of every string.
    void skipPlainRun()
    {
        static constexpr auto Plain = [] {
            std::array<bool, 256> plain{};
            for (int c = 0x20; c < 0x7f; ++c)
                plain[std::size_t(c)] = c != '"' && c != '\\';
            return plain;
        }();
        while (m_at < m_end && Plain[static_cast<unsigned char>(*m_at)])
            ++m_at;
    }
    bool value(int depth)
    {
        if (m_at == m_end)
            return false;
        switch (*m_at) {
        case '{':
            return depth < MaxDepth && object(depth + 1);
        case '[':
            return depth < MaxDepth && array(depth + 1);
        case '"':
            return string();
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default:
            return number();
        }
    }

private:
    static constexpr int MaxDepth = 512;
    static constexpr int MaxDigits = 300;
    static constexpr int MaxCompactDigits = 18; // a whole number Qt keeps (and writes) as qint64

    bool literal(QByteArrayView word)
    {
        if (m_end - m_at < word.size() || QByteArrayView(m_at, word.size()) != word)
            return false;
        m_at += word.size();
        return true;
    }
    int digits()
    {
        const char *from = m_at;
        while (m_at < m_end && *m_at >= '0' && *m_at <= '9')
            ++m_at;
        return int(qMin<qsizetype>(m_at - from, MaxDigits + 1));
    }
    bool number()
    {
        const bool negative = take('-');
        int count = 0;
        if (take('0')) {
            count = 1;
            if (negative)
                m_compact = false; // Qt writes -0 as 0
        } else {
            count = digits();
            if (count == 0)
                return false;
        }
        if (take('.')) {
            const int fraction = digits();
            if (fraction == 0)
                return false;
            count += fraction;
            m_compact = false; // Qt writes fractions its own way
        }
        if (count > MaxCompactDigits)
            m_compact = false;
        return count <= MaxDigits && (m_at == m_end || (*m_at != 'e' && *m_at != 'E'));
    }
    bool object(int depth)
    {
        take('{');
        skipSpace();
        if (take('}'))
            return true;
        QByteArrayView previousKey;
        bool first = true;
        do {
            skipSpace();
            const char *keyStart = m_at;
            if (!string())
                return false;
            // Without its quotes: with them "a!" (0x21 before the closing 0x22) would sort
            // before "a", where Qt writes a before a!.
            const QByteArrayView key(keyStart + 1, m_at - keyStart - 2);
            if (!first && !(previousKey < key))
                m_compact = false; // QJsonObject writes its keys sorted, each once
            previousKey = key;
            first = false;
            skipSpace();
            if (!take(':'))
                return false;
            skipSpace();
            if (!value(depth))
                return false;
            skipSpace();
        } while (take(','));
        return take('}');
    }
    bool array(int depth)
    {
        take('[');
        skipSpace();
        if (take(']'))
            return true;
        do {
            skipSpace();
            if (!value(depth))
                return false;
            skipSpace();
        } while (take(','));
        return take(']');
    }

    const char *m_at;
    const char *m_end;
    bool m_compact = true;
};

} // namespace

bool isPlainJson(QByteArrayView text)
{
    Scanner scan(text);
    scan.skipSpace();
    if (!scan.value(0))
        return false;
    scan.skipSpace();
    return scan.atEnd();
}

bool isCompactJson(QByteArrayView text)
{
    Scanner scan(text);
    return scan.value(0) && scan.atEnd() && scan.compact();
}

namespace {

struct Member
{
    QByteArrayView key; // without its quotes
    QByteArrayView value;
    bool compact = false;
};

using Members = QVarLengthArray<Member, 32>;

// The members of a plain JSON object, in the order written, into the caller's array; false when
// the text is not one or a key has an escape (an escaped key might spell any name).
bool readMembers(QByteArrayView objectText, Members &members)
{
    Scanner scan(objectText);
    scan.skipSpace();
    if (!scan.take('{'))
        return false;
    scan.skipSpace();
    if (!scan.take('}')) {
        do {
            scan.skipSpace();
            const char *keyStart = scan.at();
            bool escaped = false;
            if (!scan.string(&escaped) || escaped)
                return false;
            Member member;
            member.key = QByteArrayView(keyStart + 1, scan.at() - keyStart - 2);
            scan.skipSpace();
            if (!scan.take(':'))
                return false;
            scan.skipSpace();
            const char *valueStart = scan.at();
            scan.startCompact();
            if (!scan.value(1))
                return false;
            member.value = QByteArrayView(valueStart, scan.at() - valueStart);
            member.compact = scan.compact();
            members.append(member);
            scan.skipSpace();
        } while (scan.take(','));
        if (!scan.take('}'))
            return false;
    }
    scan.skipSpace();
    if (!scan.atEnd())
        return false;
    return true;
}

// The same, as a value.
std::optional<Members> membersOf(QByteArrayView objectText)
{
    std::optional<Members> members(std::in_place);
    if (!readMembers(objectText, *members))
        return std::nullopt;
    return members;
}

// Byte order, as QByteArrayView's operator< has it, without its call.
bool keyLess(QByteArrayView a, QByteArrayView b)
{
    const int order = std::memcmp(a.data(), b.data(), std::size_t(std::min(a.size(), b.size())));
    return order < 0 || (order == 0 && a.size() < b.size());
}

} // namespace

std::optional<QByteArrayView> compactMemberText(QByteArrayView objectText, QByteArrayView name)
{
    const auto members = membersOf(objectText);
    if (!members)
        return std::nullopt;
    std::optional<QByteArrayView> found;
    for (const Member &member : *members) {
        if (member.key != name)
            continue;
        if (found || !member.compact)
            return std::nullopt; // named twice: which one counts is the parser's to say
        found = member.value;
    }
    return found;
}

std::optional<QVarLengthArray<QByteArrayView, 4>>
compactMembers(QByteArrayView objectText, std::initializer_list<QByteArrayView> names)
{
    const auto members = membersOf(objectText);
    if (!members || members->size() != qsizetype(names.size()))
        return std::nullopt;
    QVarLengthArray<QByteArrayView, 4> values(qsizetype(names.size()));
    QVarLengthArray<bool, 4> seen(qsizetype(names.size()), false);
    for (const Member &member : *members) {
        const auto at = std::find(names.begin(), names.end(), member.key);
        if (at == names.end() || !member.compact)
            return std::nullopt;
        const qsizetype index = at - names.begin();
        if (seen[index])
            return std::nullopt;
        seen[index] = true;
        values[index] = member.value;
    }
    return values;
}

std::optional<QVarLengthArray<QByteArrayView, 8>> compactItems(QByteArrayView arrayText)
{
    Scanner scan(arrayText);
    if (!scan.take('['))
        return std::nullopt;
    QVarLengthArray<QByteArrayView, 8> items;
    if (!scan.take(']')) {
        do {
            const char *itemStart = scan.at();
            scan.startCompact();
            if (!scan.value(1) || !scan.compact())
                return std::nullopt;
            items.append(QByteArrayView(itemStart, scan.at() - itemStart));
        } while (scan.take(','));
        if (!scan.take(']'))
            return std::nullopt;
    }
    if (!scan.atEnd())
        return std::nullopt;
    return items;
}

std::optional<CompactObject> CompactObject::of(QByteArrayView objectText)
{
    Members members;
    if (!readMembers(objectText, members))
        return std::nullopt;
    std::optional<CompactObject> result(std::in_place);
    CompactObject &object = *result;
    for (const Member &member : members) {
        // Compact members only, under keys each greater than the one before: what Qt writes.
        if (!member.compact ||
            (!object.m_members.isEmpty() && !keyLess(object.m_members.back().key, member.key)))
            return std::nullopt;
        object.m_members.append(Entry{member.key, member.value});
    }
    if (object.m_members.size() <= MaxHashed) {
        for (qsizetype i = 0; i < object.m_members.size(); ++i) {
            std::size_t slot = slotOf(object.m_members[i].key);
            while (object.m_slots[slot] != 0)
                slot = (slot + 1) % Slots;
            object.m_slots[slot] = quint8(i + 1);
        }
    }
    return result;
}

// The length and the first and last bytes tell the keys of an answer apart nearly always; a
// collision costs a probe.
std::size_t CompactObject::slotOf(QByteArrayView key)
{
    if (key.isEmpty())
        return 0;
    const auto first = static_cast<unsigned char>(key.front());
    const auto last = static_cast<unsigned char>(key.back());
    return (std::size_t(key.size()) * 31 + first * 7 + last) % Slots;
}

std::optional<QByteArrayView> CompactObject::member(QByteArrayView key) const
{
    if (m_members.size() <= MaxHashed) {
        for (std::size_t slot = slotOf(key); m_slots[slot] != 0; slot = (slot + 1) % Slots) {
            const Entry &entry = m_members[m_slots[slot] - 1];
            if (entry.key == key)
                return entry.value;
        }
        return std::nullopt;
    }
    const auto at = std::lower_bound(
        m_members.cbegin(), m_members.cend(), key,
        [](const Entry &entry, QByteArrayView wanted) { return entry.key < wanted; });
    if (at == m_members.cend() || at->key != key)
        return std::nullopt;
    return at->value;
}

} // namespace QueueDeck::Codec
