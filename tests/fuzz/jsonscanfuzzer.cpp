// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Fuzz target: the quick JSON scans of protocol/jsonscan.h against Qt's parser, which they stand
// in for. Whatever a scan is sure of must hold in QJsonDocument: text isPlainJson takes is one
// JSON value Qt takes, and a member text compactMemberText or compactMembers hands out is exactly
// what QJsonDocument writes for that member (so a payload stored as sent is stored as before).
// An object CompactObject takes is one Qt reads with the same members, and a task read from it
// directly (taskFromText) is the task read from Qt's object (taskFromJson); so is a lease's answer.

#include "protocol/codec.h"
#include "protocol/jsonscan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace QueueDeck;

namespace {

[[noreturn]] void fail(const char *what, const QByteArray &input)
{
    std::fprintf(stderr, "%s: %s\n", what, input.constData());
    std::abort();
}

// QJsonDocument's compact text of one value (it writes only arrays and objects: wrapped, then
// unwrapped).
QByteArray compactText(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.sliced(1, wrapped.size() - 2);
}

void checkMember(const QByteArray &input, const QJsonObject &object, const char *name,
                 QByteArrayView text)
{
    if (!object.contains(QLatin1StringView(name)))
        fail("a member handed out that Qt does not see", input);
    if (compactText(object.value(QLatin1StringView(name))) != text)
        fail("a member's text is not what Qt writes for it", input);
}

// A lease's answer read directly is the one read from Qt's object.
void checkLeaseAnswer(const QByteArray &input, const QJsonObject &object)
{
    const auto direct = Codec::completeAndLeaseFromText(input);
    const auto parsed = Codec::completeAndLeaseFromJson(object);
    if (direct.has_value() != parsed.has_value())
        fail("completeAndLeaseFromText and ...FromJson disagree", input);
    if (!direct)
        return;
    if (direct->outcomes.size() != parsed->outcomes.size() ||
        direct->tasks.size() != parsed->tasks.size())
        fail("completeAndLeaseFromText read other lists than ...FromJson", input);
    for (qsizetype i = 0; i < parsed->outcomes.size(); ++i) {
        const ItemOutcome &a = direct->outcomes.at(i);
        const ItemOutcome &b = parsed->outcomes.at(i);
        if (a.taskId != b.taskId || a.state != b.state ||
            a.error.has_value() != b.error.has_value() ||
            (a.error && (a.error->code != b.error->code || a.error->message != b.error->message)))
            fail("completeAndLeaseFromText read another outcome than ...FromJson", input);
    }
    for (qsizetype i = 0; i < parsed->tasks.size(); ++i) {
        const LeasedTask &a = direct->tasks.at(i);
        const LeasedTask &b = parsed->tasks.at(i);
        if (a.id != b.id || a.leaseId != b.leaseId || a.queueId != b.queueId || a.type != b.type ||
            a.payload != b.payload || a.attempt != b.attempt || a.timeoutS != b.timeoutS)
            fail("completeAndLeaseFromText read another task than ...FromJson", input);
    }
}

void checkCompactObject(const QByteArray &input, const Codec::CompactObject &compact)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(input, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        fail("CompactObject took text Qt does not take as an object", input);
    const QJsonObject object = document.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const auto text = compact.member(it.key().toLatin1());
        if (!text || compactText(it.value()) != *text)
            fail("CompactObject's member is not what Qt writes for it", input);
    }
    checkLeaseAnswer(input, object);
    const auto direct = Codec::taskFromText(input);
    const auto parsed = Codec::taskFromJson(object);
    if (direct.has_value() != parsed.has_value())
        fail("taskFromText and taskFromJson disagree on a task", input);
    if (!direct)
        return;
    const TaskInfo &a = *direct;
    const TaskInfo &b = *parsed;
    if (a.id != b.id || a.queueId != b.queueId || a.state != b.state || a.type != b.type ||
        a.payload != b.payload || a.priority != b.priority || a.enqueuedAtMs != b.enqueuedAtMs ||
        a.runAtMs != b.runAtMs || a.attempts != b.attempts || a.maxAttempts != b.maxAttempts ||
        a.timeoutS != b.timeoutS || a.deadlineMs != b.deadlineMs || a.leasedBy != b.leasedBy ||
        a.startedAtMs != b.startedAtMs || a.finishedAtMs != b.finishedAtMs ||
        a.lastError != b.lastError || a.result != b.result ||
        a.cancelRequested != b.cancelRequested || a.deadReason != b.deadReason ||
        a.idempotencyKey != b.idempotencyKey || a.concurrencyKey != b.concurrencyKey ||
        a.parentId != b.parentId || a.runId != b.runId)
        fail("taskFromText read a task other than taskFromJson", input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (Codec::isPlainJson(input)) {
        QJsonParseError error;
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + input + ']', &error);
        if (error.error != QJsonParseError::NoError || wrapped.array().size() != 1 ||
            input.trimmed().isEmpty())
            fail("isPlainJson took what Qt does not take as one value", input);
    }
    if (const auto compact = Codec::CompactObject::of(input))
        checkCompactObject(input, *compact);
    const auto payload = Codec::compactMemberText(input, "payload");
    const auto both = Codec::compactMembers(input, {"type", "payload"});
    if (!payload && !both)
        return 0;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(input, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        fail("a member handed out of text Qt does not take as an object", input);
    const QJsonObject object = document.object();
    if (payload)
        checkMember(input, object, "payload", *payload);
    if (both) {
        if (object.size() != 2)
            fail("compactMembers took an object with other members", input);
        checkMember(input, object, "type", both->at(0));
        checkMember(input, object, "payload", both->at(1));
    }
    return 0;
}
