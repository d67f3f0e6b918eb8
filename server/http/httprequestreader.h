// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QVarLengthArray>

namespace QueueDeck::Http {

// Reads HTTP/1.1 requests (RFC 9112) out of a connection's bytes, one after another. It is
// strict where two readers could disagree about where a request ends: a length given twice or
// beside a chunked body, a header folded over lines, a line ended by a bare LF, white space
// between a header's name and its colon, a control character in a value: each is refused with
// a status and a message, never guessed at.
//
// A request's head (its request line and headers) is read once it has arrived whole, found by
// its blank line, in one pass over it; its body is handed on as it arrives, chunked or not.
// Nothing is copied: what read() reports points into the bytes it was given.
class HttpRequestReader
{
public:
    struct Limits
    {
        qint64 maxHeadBytes = 16 * 1024; // request line and headers, line ends included
        qint64 maxBodyBytes = 16 * 1024 * 1024;
    };
    enum class Step {
        NeedMore, // every byte given is used or kept for later: read again with more
        Head,     // head() describes the request
        Body,     // body() is the next part of the request's body
        End,      // the request is whole
        Failed,   // failure() says why; the connection's stream cannot be trusted after it
    };
    struct Field
    {
        QByteArrayView name;  // as sent: any case
        QByteArrayView value; // without the white space around it
    };
    struct Head
    {
        QByteArrayView method;
        QByteArrayView target;
        QVarLengthArray<Field, 12> fields;
        qsizetype fieldBytes = 0; // of the names and values together
        bool keepAlive = true;
        qint64 contentLength = 0; // of a chunked body: unknown, -1
    };
    struct Failure
    {
        int status = 400;
        QByteArray code; // the API's error code
        QByteArray message;
    };

    explicit HttpRequestReader(Limits limits) : m_limits(limits) {}

    // Reads from `data`: the bytes received and not used yet, from the first one not used.
    // `*used` is how many it used; the caller drops them before the next read. A Head or a Body
    // points into `data`.
    Step read(QByteArrayView data, qsizetype *used);
    const Head &head() const { return m_head; }
    QByteArrayView body() const { return m_body; }
    const Failure &failure() const { return m_failure; }
    // A request has begun to arrive (more than the empty lines allowed before one).
    bool inRequest() const { return m_state != State::Start; }
    // read() has a step to report without another byte (a request without a body is whole).
    bool hasStepDue() const { return m_state == State::EndDue; }

private:
    enum class State { Start, Head, Length, ChunkSize, ChunkData, ChunkDataEnd, Trailers, EndDue };

    Step readHead(QByteArrayView data, qsizetype *used);
    Step parseHead(QByteArrayView head);
    Step fail(int status, const char *code, QByteArray message);

    Limits m_limits;
    State m_state = State::Start;
    qsizetype m_scanned = 0; // of the head so far: bytes known to hold no blank line
    qint64 m_remaining = 0;  // of the body, or of the chunk
    qint64 m_bodyBytes = 0;  // of a chunked body so far
    qsizetype m_trailerBytes = 0;
    Head m_head;
    QByteArrayView m_body;
    Failure m_failure;
};

} // namespace QueueDeck::Http
