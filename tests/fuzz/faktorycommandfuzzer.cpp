// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Fuzz target: bytes from a Faktory client, split into TCP-sized pieces, through the Faktory
// listener's command parser; each line then read as its command reads it — PUSH and PUSHB jobs
// mapped to tasks, MUTATE parsed and its filter run against the line itself, FETCH and QUEUE
// arguments split, the HELLO hash parsed.
//
// Input: byte 0 picks the line limit (64 bytes × (1 + byte)), byte 1 the piece size (1 + byte);
// the rest is the stream.

#include "faktorycommandparser.h"
#include "faktoryjob.h"
#include "faktorymutation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>

using namespace QueueDeck;
using namespace QueueDeck::Faktory;

namespace {

constexpr qint64 NowMs = 1'780'000'000'000;

void readLine(const FaktoryLine &line)
{
    if (line.kind == FaktoryLine::Kind::TooLong) {
        Q_ASSERT(line.verb.isEmpty());
        return;
    }
    const QByteArray &verb = line.verb;
    const QByteArray &argument = line.argument;
    if (verb == "PUSH") {
        if (auto push = FaktoryJob::fromText(argument, NowMs)) {
            Q_UNUSED(FaktoryJob::retryOf(push->request.payload));
            Q_UNUSED(FaktoryJob::forFetch(push->request.payload, 2, QStringLiteral("E: m")));
        }
    } else if (verb == "PUSHB") {
        const QJsonArray jobs = QJsonDocument::fromJson(argument).array();
        for (const QJsonValue &job : jobs)
            Q_UNUSED(FaktoryJob::fromJson(job.toObject(), NowMs));
    } else if (verb == "MUTATE") {
        if (auto mutation = FaktoryMutation::parse(argument)) {
            TaskInfo task;
            task.payload = argument;
            task.type = QStringLiteral("A");
            task.idempotencyKey = QString::fromUtf8(argument.left(16));
            for (TaskState state : mutation->states()) {
                task.state = state;
                Q_UNUSED(mutation->inTarget(task));
                Q_UNUSED(mutation->matches(task));
            }
        }
        // The filter's pattern run against other text too, and the line as a pattern.
        Q_UNUSED(
            FaktoryMutation::globMatch(argument.left(256), QByteArray(verb + argument.left(512))));
    } else if (verb == "FETCH" || verb == "QUEUE") {
        Q_UNUSED(QString::fromUtf8(argument).split(u' ', Qt::SkipEmptyParts));
    } else if (verb == "HELLO" || verb == "ACK" || verb == "FAIL" || verb == "BEAT") {
        const QJsonObject hash = QJsonDocument::fromJson(argument).object();
        Q_UNUSED(hash.value(u"pwdhash").toString().toLatin1());
        Q_UNUSED(hash.value(u"v").toInt(0));
        QStringList backtrace;
        for (const QJsonValue &frame : hash.value(u"backtrace").toArray())
            backtrace.append(frame.toString());
        Q_UNUSED(FaktoryJob::failureText(hash.value(u"errtype").toString(),
                                         hash.value(u"message").toString(), backtrace));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const qint64 limit = 64 * (1 + qint64(data[0]));
    const qsizetype piece = 1 + qsizetype(data[1]);
    const QByteArrayView stream(reinterpret_cast<const char *>(data) + 2, qsizetype(size) - 2);
    FaktoryCommandParser parser(limit);
    qsizetype lines = 0;
    for (qsizetype at = 0; at < stream.size(); at += piece) {
        parser.append(stream.sliced(at, std::min(piece, stream.size() - at)));
        // Never more than the limit (and its line end) held for an unfinished line.
        if (parser.partialBytes() > limit + 1)
            __builtin_trap();
        while (auto line = parser.next()) {
            if (line->kind == FaktoryLine::Kind::Command && line->length > limit)
                __builtin_trap();
            readLine(*line);
            ++lines;
        }
    }
    // Every line end made exactly one line.
    if (lines != stream.count('\n'))
        __builtin_trap();
    return 0;
}
