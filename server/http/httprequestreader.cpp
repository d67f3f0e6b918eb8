// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "httprequestreader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <string_view>

namespace QueueDeck::Http {

namespace {

// tchar (RFC 9110 §5.6.2): what a method and a header's name are made of.
constexpr std::array<bool, 256> s_tokenChars = [] {
    std::array<bool, 256> table{};
    for (int c = '0'; c <= '9'; ++c)
        table[size_t(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        table[size_t(c)] = true;
    for (int c = 'A'; c <= 'Z'; ++c)
        table[size_t(c)] = true;
    for (const char c : std::string_view("!#$%&'*+-.^_`|~"))
        table[size_t(uchar(c))] = true;
    return table;
}();

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!s_tokenChars[uchar(c)])
            return false;
    }
    return true;
}

// A request target: visible ASCII, no white space (RFC 9112 §3.2; percent-encoding carries
// the rest).
bool isTarget(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (uchar(c) <= 0x20 || uchar(c) >= 0x7F)
            return false;
    }
    return true;
}

// A field value (RFC 9110 §5.5): anything but the control characters other than HTAB. Bytes
// from 0x80 up (obs-text) are kept as they are.
bool isFieldValueByte(uchar u)
{
    return (u >= 0x20 || u == '\t') && u != 0x7F;
}

// Eight bytes at a time: a word with no byte below 0x20 and none equal to 0x7F is all value
// (the usual case); only a word that has one (a tab, say) is looked at byte by byte.
bool isFieldValue(QByteArrayView text)
{
    constexpr quint64 ones = 0x0101010101010101ull;
    constexpr quint64 highBits = 0x8080808080808080ull;
    const char *at = text.data();
    const char *const end = at + text.size();
    for (; end - at >= 8; at += 8) {
        quint64 word;
        std::memcpy(&word, at, sizeof word);
        const quint64 below20 = (word - ones * 0x20) & ~word & highBits;
        const quint64 xorDel = word ^ (ones * 0x7F);
        const quint64 del = (xorDel - ones) & ~xorDel & highBits;
        if ((below20 | del) != 0 &&
            !std::all_of(at, at + 8, [](char c) { return isFieldValueByte(uchar(c)); }))
            return false;
    }
    return std::all_of(at, end, [](char c) { return isFieldValueByte(uchar(c)); });
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

QByteArrayView withoutBlanks(QByteArrayView text)
{
    while (!text.isEmpty() && isBlank(text.front()))
        text = text.sliced(1);
    while (!text.isEmpty() && isBlank(text.back()))
        text.chop(1);
    return text;
}

// ASCII letters compared without case; `lower` is in lower case.
bool sameName(QByteArrayView text, QByteArrayView lower)
{
    if (text.size() != lower.size())
        return false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z')
            c = char(c + ('a' - 'A'));
        if (c != lower[i])
            return false;
    }
    return true;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// A chunk's size line may carry extensions (ignored) but not without bound.
constexpr qsizetype MaxChunkLine = 4096;
// A chunk's size is read up to this much (however many leading zeros it has); no body is near.
constexpr qint64 MaxChunkSize = qint64(1) << 60;

} // namespace

HttpRequestReader::Step HttpRequestReader::fail(int status, const char *code, QByteArray message)
{
    m_failure = Failure{status, QByteArray(code), std::move(message)};
    m_state = State::Start;
    return Step::Failed;
}

HttpRequestReader::Step HttpRequestReader::read(QByteArrayView data, qsizetype *used)
{
    *used = 0;
    for (;;) {
        const QByteArrayView rest = data.sliced(*used);
        switch (m_state) {
        case State::Start: {
            // Empty lines before a request are passed over (RFC 9112 §2.2).
            qsizetype at = 0;
            while (rest.size() - at >= 2 && rest[at] == '\r' && rest[at + 1] == '\n')
                at += 2;
            *used += at;
            if (at == rest.size() || (rest.size() - at == 1 && rest[at] == '\r'))
                return Step::NeedMore;
            m_state = State::Head;
            m_scanned = 0;
            continue;
        }
        case State::Head: {
            qsizetype headUsed = 0;
            const Step step = readHead(rest, &headUsed);
            *used += headUsed;
            return step;
        }
        case State::Length:
        case State::ChunkData: {
            if (rest.isEmpty())
                return Step::NeedMore;
            const qsizetype part = qsizetype(qMin<qint64>(m_remaining, rest.size()));
            m_body = rest.first(part);
            m_remaining -= part;
            *used += part;
            if (m_remaining == 0)
                m_state = m_state == State::Length ? State::EndDue : State::ChunkDataEnd;
            return Step::Body;
        }
        case State::ChunkDataEnd:
            if (rest.size() < 2)
                return Step::NeedMore;
            if (rest[0] != '\r' || rest[1] != '\n')
                return fail(400, "INVALID_ARGUMENT",
                            "a chunk of the body is longer than its size line says, or is not "
                            "followed by CR LF");
            *used += 2;
            m_state = State::ChunkSize;
            continue;
        case State::ChunkSize: {
            // chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1)
            const qsizetype lf = rest.first(qMin(rest.size(), MaxChunkLine)).indexOf('\n');
            if (lf < 0) {
                if (rest.size() >= MaxChunkLine)
                    return fail(400, "INVALID_ARGUMENT",
                                "a chunk's size line is longer than " +
                                    QByteArray::number(MaxChunkLine) + " bytes");
                return Step::NeedMore;
            }
            if (lf == 0 || rest[lf - 1] != '\r')
                return fail(400, "INVALID_ARGUMENT",
                            "a chunk's size line ends in a bare LF; end it with CR LF");
            const QByteArrayView line = rest.first(lf - 1);
            qint64 size = 0;
            qsizetype digits = 0;
            for (; digits < line.size() && hexValue(line[digits]) >= 0; ++digits) {
                if (size > MaxChunkSize / 16)
                    return fail(413, "PAYLOAD_TOO_LARGE",
                                "a chunk of the body is larger than the limit of " +
                                    QByteArray::number(m_limits.maxBodyBytes) + " bytes");
                size = size * 16 + hexValue(line[digits]);
            }
            const QByteArrayView extensions = withoutBlanks(line.sliced(digits));
            if (digits == 0 || (!extensions.isEmpty() && !extensions.startsWith(';')) ||
                !isFieldValue(extensions))
                return fail(400, "INVALID_ARGUMENT",
                            "a chunk's size line must be the size in hexadecimal, optionally "
                            "followed by ;extensions");
            *used += lf + 1;
            if (size == 0) {
                m_state = State::Trailers;
                m_trailerBytes = 0;
                continue;
            }
            if (size > m_limits.maxBodyBytes - m_bodyBytes)
                return fail(413, "PAYLOAD_TOO_LARGE",
                            "the request body exceeds " +
                                QByteArray::number(m_limits.maxBodyBytes) + " bytes");
            m_bodyBytes += size;
            m_remaining = size;
            m_state = State::ChunkData;
            continue;
        }
        case State::Trailers: {
            // Fields after the last chunk are read past (nothing here asks for any), up to the
            // empty line that ends the request; they count against the head's limit.
            const qsizetype lf = rest.indexOf('\n');
            if (lf < 0 || m_trailerBytes + lf + 1 > m_limits.maxHeadBytes) {
                if (m_trailerBytes + rest.size() > m_limits.maxHeadBytes)
                    return fail(431, "HEADERS_TOO_LARGE",
                                "the fields after the last chunk exceed " +
                                    QByteArray::number(m_limits.maxHeadBytes) + " bytes");
                return Step::NeedMore;
            }
            if (lf == 0 || rest[lf - 1] != '\r')
                return fail(400, "INVALID_ARGUMENT",
                            "a line after the last chunk ends in a bare LF; end it with CR LF");
            const QByteArrayView line = rest.first(lf - 1);
            const qsizetype colon = line.indexOf(':');
            if (!line.isEmpty() &&
                (colon < 0 || !isToken(line.first(colon)) || !isFieldValue(line.sliced(colon + 1))))
                return fail(400, "INVALID_ARGUMENT",
                            "a line after the last chunk is not a field (name: value)");
            *used += lf + 1;
            m_trailerBytes += lf + 1;
            if (line.isEmpty())
                m_state = State::EndDue;
            continue;
        }
        case State::EndDue:
            m_state = State::Start;
            return Step::End;
        }
    }
}

// The head is whole once a line is empty. Every line must end in CR LF: the LFs are found with
// memchr, and each is checked to follow a CR. `m_scanned` keeps how far the earlier reads got,
// so a head that arrives in pieces is looked through once.
HttpRequestReader::Step HttpRequestReader::readHead(QByteArrayView data, qsizetype *used)
{
    const auto tooLarge = [this] {
        return fail(431, "HEADERS_TOO_LARGE",
                    "the request line and headers exceed " +
                        QByteArray::number(m_limits.maxHeadBytes) + " bytes");
    };
    qsizetype at = m_scanned;
    for (;;) {
        const void *found = at < data.size()
                                ? std::memchr(data.data() + at, '\n', size_t(data.size() - at))
                                : nullptr;
        if (!found) {
            m_scanned = data.size();
            if (data.size() > m_limits.maxHeadBytes)
                return tooLarge();
            return Step::NeedMore;
        }
        const qsizetype lf = static_cast<const char *>(found) - data.data();
        if (lf + 1 > m_limits.maxHeadBytes)
            return tooLarge();
        if (lf == 0 || data[lf - 1] != '\r')
            return fail(400, "INVALID_ARGUMENT",
                        "a line of the request ends in a bare LF; end each line with CR LF");
        at = lf + 1;
        m_scanned = at;
        if (lf >= 3 && data[lf - 2] == '\n') { // CR LF CR LF: the empty line
            const Step step = parseHead(data.first(at));
            if (step == Step::Head)
                *used = at;
            return step;
        }
    }
}

HttpRequestReader::Step HttpRequestReader::parseHead(QByteArrayView head)
{
    const auto invalid = [this](QByteArray message) {
        return fail(400, "INVALID_ARGUMENT", std::move(message));
    };
    m_head.fields.clear();
    m_head.fieldBytes = 0;

    // request-line = method SP request-target SP HTTP-version
    const char *p = head.data();
    const char *lf = static_cast<const char *>(std::memchr(p, '\n', size_t(head.size())));
    const QByteArrayView line(p, lf - 1 - p);
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : line.indexOf(' ', firstSpace + 1);
    if (secondSpace < 0)
        return invalid("the request line must be METHOD TARGET HTTP/1.1, one space apart");
    m_head.method = line.first(firstSpace);
    m_head.target = line.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(secondSpace + 1);
    if (!isToken(m_head.method))
        return invalid("the request's method must be a word such as GET or POST");
    if (!isTarget(m_head.target))
        return invalid("the request's target must be a path of visible ASCII characters, "
                       "percent-encoded where needed");
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.' ||
        version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9')
        return invalid("the request line must end in the HTTP version, HTTP/1.1");
    if (version[5] != '1')
        return invalid("this server speaks HTTP/1.1 (and 1.0); the request asked for " +
                       version.toByteArray());
    const bool http10 = version[7] == '0';

    bool closeAsked = false;
    bool keepAliveAsked = false;
    bool hasLength = false;
    bool chunked = false;
    qint64 length = 0;
    // Each header line, up to the empty one that ends the head; every line ends in CR LF
    // (readHead saw to that).
    const char *const emptyLine = head.data() + head.size() - 2;
    for (p = lf + 1; p != emptyLine; p = lf + 1) {
        lf = static_cast<const char *>(std::memchr(p, '\n', size_t(emptyLine + 2 - p)));
        const char *const cr = lf - 1;
        if (isBlank(*p))
            return invalid("a header is folded over more than one line; send each header on one "
                           "line");
        const char *c = p;
        while (c != cr && s_tokenChars[uchar(*c)])
            ++c;
        if (c == p || *c != ':')
            return invalid("each header line must be name: value, with no space before the colon "
                           "and a name of letters, digits and !#$%&'*+-.^_`|~");
        const QByteArrayView name(p, c - p);
        ++c;
        while (c != cr && isBlank(*c))
            ++c;
        const char *valueEnd = cr;
        while (valueEnd != c && isBlank(valueEnd[-1]))
            --valueEnd;
        const QByteArrayView value(c, valueEnd - c);
        if (!isFieldValue(value))
            return invalid("the header " + name.toByteArray() + " holds a control character");
        m_head.fields.append(Field{name, value});
        m_head.fieldBytes += name.size() + value.size();
        if (name.size() != 10 && name.size() != 14 && name.size() != 17)
            continue; // none of the three below
        if (sameName(name, "content-length")) {
            if (hasLength)
                return invalid("Content-Length is given more than once; send it once");
            hasLength = true;
            if (value.isEmpty())
                return invalid("Content-Length must be the body's size in bytes");
            for (const char digit : value) {
                if (digit < '0' || digit > '9')
                    return invalid("Content-Length must be the body's size in bytes");
                length = length > (std::numeric_limits<qint64>::max() - 9) / 10
                             ? std::numeric_limits<qint64>::max()
                             : length * 10 + (digit - '0');
            }
        } else if (sameName(name, "transfer-encoding")) {
            if (http10)
                return invalid("HTTP/1.0 has no Transfer-Encoding; send Content-Length");
            if (chunked)
                return invalid("Transfer-Encoding is given more than once; send it once");
            if (!sameName(value, "chunked"))
                return invalid("the only transfer coding taken is chunked; send the body with "
                               "Content-Length or Transfer-Encoding: chunked");
            chunked = true;
        } else if (sameName(name, "connection")) {
            for (QByteArrayView options = value; !options.isEmpty();) {
                const qsizetype comma = options.indexOf(',');
                const QByteArrayView option =
                    withoutBlanks(comma < 0 ? options : options.first(comma));
                options = comma < 0 ? QByteArrayView() : options.sliced(comma + 1);
                closeAsked = closeAsked || sameName(option, "close");
                keepAliveAsked = keepAliveAsked || sameName(option, "keep-alive");
            }
        }
    }
    if (hasLength && chunked)
        return invalid("a request may carry Content-Length or Transfer-Encoding, not both");
    if (length > m_limits.maxBodyBytes)
        return fail(413, "PAYLOAD_TOO_LARGE",
                    "the request body is " + QByteArray::number(length) + " bytes; the limit is " +
                        QByteArray::number(m_limits.maxBodyBytes));
    m_head.keepAlive = !closeAsked && (!http10 || keepAliveAsked);
    m_head.contentLength = chunked ? -1 : length;
    if (chunked) {
        m_bodyBytes = 0;
        m_state = State::ChunkSize;
    } else if (length > 0) {
        m_remaining = length;
        m_state = State::Length;
    } else {
        m_state = State::EndDue;
    }
    return Step::Head;
}

} // namespace QueueDeck::Http
