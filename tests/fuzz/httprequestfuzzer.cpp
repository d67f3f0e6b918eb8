// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Fuzz target: the HTTP request reader (server/http HttpConnection) on arbitrary bytes from a
// client, read at once and again in small pieces, over both of its transports: a Qt socket (as
// TLS connections are served) and a socket descriptor read and written directly (plain TCP; here
// one end of a socket pair). Every request it hands over is answered — at once, later from the
// event loop, or as an event stream — as the API does, and the client may leave at any point.
// Small limits, so that the 413/431/pipelining paths are reached.

#include "fuzzsocket.h"
#include "httpconnection.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>

#include <cstdint>
#include <cstdio>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace QueueDeck;

namespace {

void answer(const Http::HttpRequest &request, const Http::HttpResponder &responder)
{
    // Read every part of the request, as handlers do.
    qsizetype seen = request.method.size() + request.path.size() + request.body.size();
    for (const auto &item : request.query.queryItems(QUrl::FullyDecoded))
        seen += item.first.size() + item.second.size();
    request.headers.forEach(
        [&seen](QByteArrayView name, QByteArrayView value) { seen += name.size() + value.size(); });
    Http::HttpResponse response;
    response.status = 200 + int(seen % 4);
    response.body = QByteArray::number(seen);
    switch (seen % 4) {
    case 0:
        responder.send(response);
        break;
    case 1: // later, as an engine answer arrives
        QTimer::singleShot(0, [responder, response] { responder.send(response); });
        break;
    case 2: // a long-poll the client may leave
        responder.onClientGone([] {});
        QTimer::singleShot(0, [responder, response] { responder.send(response, [] {}); });
        break;
    default:
        responder.startEventStream();
        responder.sendEvent("stats", request.body.left(64));
        break;
    }
}

// Runs what the connection posted to its event loop: deferred answers, parsing resumed after
// a full pipeline, deletion after the client left.
void settle(int rounds)
{
    for (int round = 0; round < rounds; ++round) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    QCoreApplication::processEvents(QEventLoop::AllEvents); // the zero-time timers
}

Http::HttpLimits smallLimits()
{
    Http::HttpLimits limits;
    limits.maxHeaderBytes = 1024;
    limits.maxBodyBytes = 2048;
    limits.maxPipelined = 4;
    return limits;
}

void readAs(const QByteArray &input, qsizetype piece)
{
    const Http::HttpLimits limits = smallLimits();
    auto *socket = new Fuzz::FuzzSocket;
    QPointer<Http::HttpConnection> connection = new Http::HttpConnection(socket, limits, &answer);
    for (qsizetype at = 0; at < input.size() && connection; at += piece) {
        socket->feed(input.mid(at, piece));
        settle(2);
    }
    if (connection) {
        if (qEnvironmentVariableIsSet("QUEUEDECK_FUZZ_VERBOSE"))
            std::fprintf(stderr, "--- answered (pieces of %lld):\n%s\n", qint64(piece),
                         socket->written().constData());
        socket->disconnectFromHost(); // the client leaves
    }
    settle(4);
    if (connection)
        delete connection.data();
}

// Reads what the connection wrote to the client's end, so that its writes never wait on a full
// socket buffer (what they would do is the connection's business, not the input's).
QByteArray drain(int client)
{
    QByteArray answered;
    char buffer[4096];
    ssize_t got;
    while ((got = ::read(client, buffer, sizeof buffer)) > 0)
        answered.append(buffer, got);
    return answered;
}

void readThroughDescriptor(const QByteArray &input, qsizetype piece)
{
    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
        std::perror("socketpair");
        std::abort();
    }
    const int client = ends[0];
    ::fcntl(client, F_SETFL, O_NONBLOCK);
    QPointer<Http::HttpConnection> connection =
        new Http::HttpConnection(ends[1], smallLimits(), &answer);
    QByteArray answered;
    for (qsizetype at = 0; at < input.size() && connection; at += piece) {
        const QByteArray bytes = input.mid(at, piece);
        if (::send(client, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL) != bytes.size())
            break; // the connection closed its end
        settle(2);
        answered += drain(client);
    }
    // The requests were read in the last turns of the event loop (not as they were fed, as with
    // the Qt socket): a few more turns for the answers they are given later.
    for (int turn = 0; turn < 3 && connection; ++turn) {
        settle(2);
        answered += drain(client);
    }
    if (connection) {
        if (qEnvironmentVariableIsSet("QUEUEDECK_FUZZ_VERBOSE"))
            std::fprintf(stderr, "--- answered through a descriptor (pieces of %lld):\n%s\n",
                         qint64(piece), answered.constData());
        ::shutdown(client, SHUT_WR); // the client ends its input, then leaves
        settle(2);
        drain(client);
    }
    ::close(client);
    settle(4);
    if (connection)
        delete connection.data();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    readAs(input, qMax<qsizetype>(1, input.size()));
    readAs(input, 7);
    readThroughDescriptor(input, qMax<qsizetype>(1, input.size()));
    readThroughDescriptor(input, 7);
    return 0;
}
