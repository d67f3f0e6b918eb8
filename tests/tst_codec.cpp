// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The JSON codec of the API, directly: what strict readers refuse and say, and that what the
// writers write reads back the same.

#include "protocol/codec.h"
#include "protocol/jsonscan.h"
#include "protocol/jsontext.h"
#include "protocol/nodecodec.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace QueueDeck;
using namespace Qt::StringLiterals;

namespace {

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

TaskInfo sampleTask(int variant)
{
    TaskInfo t;
    t.id = QStringLiteral("t_01");
    t.queueId = QStringLiteral("q_01");
    t.type = QStringLiteral("resize \"big\" ü");
    t.payload = variant == 0 ? QByteArray("{}") : QByteArray(R"({"a":[1,2,{"b":null}]})");
    t.priority = variant;
    t.enqueuedAtMs = 1'800'000'000'123;
    t.runAtMs = 1'800'000'000'123 + variant;
    t.attempts = variant;
    t.maxAttempts = 3;
    t.timeoutS = 60;
    if (variant > 0) {
        t.state = TaskState::Running;
        t.deadlineMs = 1'800'000'100'000;
        t.idempotencyKey = QStringLiteral("key\n1");
        t.requiredLabels.insert(QStringLiteral("gpu"), QStringLiteral("true"));
        t.leaseId = QStringLiteral("l_1");
        t.leasedBy = QStringLiteral("w_1");
        t.leaseExpiresAtMs = 1'800'000'060'000;
        t.startedAtMs = 1'800'000'001'000;
    }
    if (variant > 1) {
        t.state = TaskState::Dead;
        t.finishedAtMs = 1'800'000'002'000;
        t.lastError = QStringLiteral("exit 3\ttab");
        t.result = "42";
        t.deadReason = DeadReason::AttemptsExhausted;
        t.cancelRequested = true;
    }
    return t;
}

} // namespace

class TestCodec final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // GET /api/v1/nodes: what the server writes, the client reads back unchanged; a node with a
    // role nobody knows, or a field misspelt, is refused with the field's name.
    void nodesRoundTrip()
    {
        NodeInfo leader{u"n1"_s, u"https://a:7070"_s, u"1.2.0"_s, 1764547200000, 42, u"leader"_s, 7,
                        12.5,    1764547242000,       true};
        NodeInfo follower = leader;
        follower.nodeId = u"n2"_s;
        follower.role = u"follower"_s;
        follower.alive = false;
        const QJsonObject json = NodeCodec::toJson(QList<NodeInfo>{leader, follower});
        const QJsonObject first = json.value(u"nodes"_s).toArray().first().toObject();
        QCOMPARE(first.value(u"node_id"_s).toString(), u"n1"_s);
        QCOMPARE(first.value(u"started_at"_s).toString(), u"2025-12-01T00:00:00.000Z"_s);
        QCOMPARE(first.value(u"requests_per_second"_s).toDouble(), 12.5);
        auto back = NodeCodec::nodesFromJson(json);
        QVERIFY(back);
        QCOMPARE(*back, (QList<NodeInfo>{leader, follower}));

        QJsonObject badRole = first;
        badRole.insert(u"role"_s, u"boss"_s);
        auto refused = NodeCodec::nodeFromJson(badRole);
        QVERIFY(!refused);
        QVERIFY(refused.error().message.contains(u"node.role"_s));
        QJsonObject typo = first;
        typo.insert(u"uptime"_s, 3);
        QVERIFY(!NodeCodec::nodeFromJson(typo));
        QVERIFY(!NodeCodec::nodesFromJson(QJsonObject{}));
    }

    // An enqueue body the strict reader refuses, and the words of its message.
    void enqueueRefusals_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("no type") << QByteArray(R"({"payload":{}})")
                                 << QStringLiteral("type is required");
        QTest::newRow("type a number")
            << QByteArray(R"({"type":3})") << QStringLiteral("type must be a string");
        QTest::newRow("fractional priority") << QByteArray(R"({"type":"t","priority":1.5})")
                                             << QStringLiteral("priority must be a whole number");
        QTest::newRow("priority too big") << QByteArray(R"({"type":"t","priority":1e12})")
                                          << QStringLiteral("priority is out of range");
        QTest::newRow("unknown field")
            << QByteArray(R"({"type":"t","prority":1})") << QStringLiteral("unknown field prority");
        QTest::newRow("local time")
            << QByteArray(R"({"type":"t","run_at":"2026-11-22T12:00:00"})")
            << QStringLiteral("run_at must be an RFC 3339 time with a zone");
        QTest::newRow("labels not strings")
            << QByteArray(R"({"type":"t","required_labels":{"gpu":true}})")
            << QStringLiteral("required_labels must be an object of string values");
    }
    void enqueueRefusals()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        const auto request = Codec::enqueueFromJson(object(body.constData()));
        QVERIFY(!request);
        QCOMPARE(request.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(request.error().message.contains(message), qPrintable(request.error().message));
    }

    // Bodies that are not JSON objects: where they break.
    void parseObject_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("valid");
        QTest::newRow("empty") << QByteArray() << true;
        QTest::newRow("blank") << QByteArray("  \n") << true;
        QTest::newRow("object") << QByteArray(R"({"a":1})") << true;
        QTest::newRow("array") << QByteArray("[1]") << false;
        QTest::newRow("broken") << QByteArray(R"({"a":)") << false;
    }
    void parseObject()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, valid);
        const auto parsed = Codec::parseObject(body);
        QCOMPARE(parsed.has_value(), valid);
        if (!valid)
            QCOMPARE(parsed.error().code, ErrorCode::InvalidArgument);
    }

    // What a client writes, the server reads back the same.
    void enqueueRoundTrip_data()
    {
        QTest::addColumn<int>("variant");
        QTest::newRow("plain") << 0;
        QTest::newRow("every field") << 1;
    }
    void enqueueRoundTrip()
    {
        QFETCH(int, variant);
        EnqueueRequest sent;
        sent.type = QStringLiteral("email");
        if (variant == 1) {
            sent.payload =
                R"({"n":[1,2],"to":"a@example.com"})"; // keys in order: objects sort them
            sent.priority = -4;
            sent.runAtMs = 1'800'000'000'000;
            sent.idempotencyKey = QStringLiteral("k");
            sent.concurrencyKey = QStringLiteral("c");
            sent.requiredLabels.insert(QStringLiteral("zone"), QStringLiteral("eu"));
            sent.workerId = QStringLiteral("w_9");
            sent.timeoutS = 30;
            sent.maxAttempts = 7;
            sent.maxQueuedTimeS = 600;
            sent.deadlineMs = 1'800'000'900'000;
        }
        const auto read = Codec::enqueueFromJson(Codec::toJson(sent));
        QVERIFY2(read, read ? "" : qPrintable(read.error().message));
        QCOMPARE(read->type, sent.type);
        QCOMPARE(read->payload, sent.payload);
        QCOMPARE(read->priority, sent.priority);
        QCOMPARE(read->runAtMs, sent.runAtMs);
        QCOMPARE(read->idempotencyKey, sent.idempotencyKey);
        QCOMPARE(read->concurrencyKey, sent.concurrencyKey);
        QCOMPARE(read->requiredLabels, sent.requiredLabels);
        QCOMPARE(read->workerId, sent.workerId);
        QCOMPARE(read->timeoutS, sent.timeoutS);
        QCOMPARE(read->maxAttempts, sent.maxAttempts);
        QCOMPARE(read->maxQueuedTimeS, sent.maxQueuedTimeS);
        QCOMPARE(read->deadlineMs, sent.deadlineMs);
    }

    // The bodies a client writes as text are, byte for byte, QJsonDocument's compact text of the
    // objects they are (keys in order), and carry a payload or result as Qt would write it.
    void requestTexts_data()
    {
        QTest::addColumn<QByteArray>("given");
        QTest::addColumn<QByteArray>("written");
        QTest::newRow("compact") << QByteArray(R"({"a":[1,2],"b":"x"})")
                                 << QByteArray(R"({"a":[1,2],"b":"x"})");
        QTest::newRow("spaces, keys out of order, a fraction")
            << QByteArray(R"({ "b": 1, "a": [1, 2.5] })") << QByteArray(R"({"a":[1,2.5],"b":1})");
        QTest::newRow("a scalar") << QByteArray("42") << QByteArray("42");
        QTest::newRow("an escape") << QByteArray(R"(["aA"])") << QByteArray(R"(["aA"])");
        QTest::newRow("past ASCII")
            << QByteArray("[\"caf\xc3\xa9\"]") << QByteArray("[\"caf\xc3\xa9\"]");
        QTest::newRow("no JSON") << QByteArray("{nope") << QByteArray("null");
        QTest::newRow("nothing") << QByteArray() << QByteArray("null");
    }
    void requestTexts()
    {
        QFETCH(QByteArray, given);
        QFETCH(QByteArray, written);
        const auto canonical = [](const QByteArray &text) {
            return QJsonDocument(QJsonDocument::fromJson(text).object())
                .toJson(QJsonDocument::Compact);
        };
        EnqueueRequest enqueue;
        enqueue.type = QStringLiteral("caf\u00e9 \"x\"\n");
        enqueue.payload = given;
        enqueue.priority = 3;
        enqueue.delayMs = 1500;
        enqueue.idempotencyKey = QStringLiteral("k");
        enqueue.concurrencyKey = QStringLiteral("c");
        enqueue.requiredLabels.insert(QStringLiteral("zone"), QStringLiteral("eu"));
        enqueue.requiredLabels.insert(QStringLiteral("gpu"), QStringLiteral("\u00e9"));
        enqueue.workerId = QStringLiteral("w_9");
        enqueue.timeoutS = 0;
        enqueue.maxAttempts = 7;
        enqueue.maxQueuedTimeS = 600;
        enqueue.deadlineMs = 1'800'000'900'000;
        enqueue.runAtMs = -1;
        const QByteArray enqueueText = Codec::enqueueText(enqueue);
        QCOMPARE(enqueueText, canonical(enqueueText));
        const QJsonObject enqueueObject = QJsonDocument::fromJson(enqueueText).object();
        QCOMPARE(enqueueObject.size(), 13);
        QCOMPARE(QJsonDocument(QJsonArray{enqueueObject.value(u"payload")})
                     .toJson(QJsonDocument::Compact),
                 '[' + written + ']');
        QCOMPARE(Codec::enqueueText(EnqueueRequest{}), QByteArray(R"({"payload":{},"type":""})"));

        CompleteRequest complete;
        complete.acks = {{QStringLiteral("t_1"), QStringLiteral("l_1"), given},
                         {QStringLiteral("t_2"), QStringLiteral("l_2"), QByteArray()}};
        complete.fails = {{QStringLiteral("t_3"), QStringLiteral("l_3"),
                           QStringLiteral("exit \"3\"\t\u00e9"), false}};
        complete.thenLease = LeaseRequest{QString(), 8, 1000, {}};
        const QByteArray completeText = Codec::completeText(complete);
        QCOMPARE(completeText, canonical(completeText));
        const auto read = Codec::completeFromJson(QJsonDocument::fromJson(completeText).object());
        QVERIFY2(read, read ? "" : qPrintable(read.error().message));
        QCOMPARE(read->acks.size(), 2);
        QCOMPARE(read->acks.at(0).taskId, QStringLiteral("t_1"));
        QCOMPARE(read->acks.at(0).leaseId, QStringLiteral("l_1"));
        QCOMPARE(read->acks.at(1).result, QByteArray());
        QCOMPARE(read->fails.size(), 1);
        QCOMPARE(read->fails.at(0).error, complete.fails.at(0).error);
        QCOMPARE(read->fails.at(0).retryable, false);
        QVERIFY(read->thenLease);
        QCOMPARE(read->thenLease->max, 8);
        QCOMPARE(read->thenLease->waitMs, qint64(1000));
        const QJsonObject firstAck = QJsonDocument::fromJson(completeText)
                                         .object()
                                         .value(u"acks")
                                         .toArray()
                                         .first()
                                         .toObject();
        QCOMPARE(
            QJsonDocument(QJsonArray{firstAck.value(u"result")}).toJson(QJsonDocument::Compact),
            '[' + written + ']');
        QCOMPARE(Codec::completeText(CompleteRequest{}), QByteArray(R"({"acks":[],"fails":[]})"));
    }

    // The task written as text (the fast path) is the same JSON as the object writer's, and a
    // client reads it back.
    // An enqueue read from its body keeps a payload sent in compact form as it was sent, and a
    // body of just a type and a payload is read without a document; the request must be the one
    // the parse-and-write path makes, whichever path was taken.
    void enqueueFromBody_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("payloadAsSent");
        QTest::addColumn<bool>("direct");
        const auto row = [](const char *name, const char *payload, bool asSent) {
            QTest::newRow(name) << (QByteArray("{\"type\":\"t\",\"payload\":") + payload + "}")
                                << asSent << asSent;
        };
        row("harness", "{\"i\":1,\"t\":1700000000000000}", true);
        row("nested", "{\"a\":[1,-2,true,false,null,\"x y\"],\"b\":{\"c\":{}}}", true);
        row("string", "\"plain text\"", true);
        row("number", "42", true);
        row("null", "null", true);
        row("empty array", "[]", true);
        row("18 digits", "123456789012345678", true);
        row("unsorted keys", "{\"t\":1,\"i\":2}", false);
        // A key that begins another sorts first, however the next byte compares with a quote.
        row("prefix key first", "{\"a\":1,\"a!\":2}", true);
        row("prefix key last", "{\"a!\":1,\"a\":2}", false);
        row("prefix key and space", "{\"a \":1,\"a\":2}", false);
        row("duplicate keys", "{\"a\":1,\"a\":2}", false);
        row("white space", "{ \"a\": 1 }", false);
        row("fraction", "{\"a\":2.50}", false);
        row("minus zero", "-0", false);
        row("19 digits", "1234567890123456789", false);
        row("exponent", "1e3", false);
        row("escape", "\"a\\nb\"", false);
        row("slash escape", "\"a\\/b\"", false);
        row("utf-8", "\"\xc3\xa9\"", false);
        const auto body = [](const char *name, const char *text, bool asSent, bool direct) {
            QTest::newRow(name) << QByteArray(text) << asSent << direct;
        };
        body("payload first, spaces around", " { \"payload\" : {\"a\":1} , \"type\" : \"bench\" } ",
             true, true);
        body("more fields", "{\"type\":\"t\",\"payload\":{\"a\":1},\"priority\":3,\"delay_ms\":5}",
             true, false);
        body("type with an escape", "{\"type\":\"a\\tb\",\"payload\":1}", true, false);
        // Bytes past ASCII anywhere leave the whole body to the parser.
        body("type past ASCII", "{\"type\":\"\xc3\xa9\",\"payload\":1}", false, false);
        body("empty type", "{\"type\":\"\",\"payload\":1}", true, true);
        body("payload twice", "{\"type\":\"t\",\"payload\":1,\"payload\":2}", false, false);
        body("type twice", "{\"type\":\"a\",\"type\":\"b\"}", false, false);
        body("escaped key", "{\"type\":\"t\",\"pay\\u006coad\":1}", false, false);
        body("no payload", "{\"type\":\"t\"}", false, false);
    }
    void enqueueFromBody()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, payloadAsSent);
        QFETCH(bool, direct);
        const auto reference = Codec::enqueueFromJson(QJsonDocument::fromJson(body).object());
        QVERIFY(reference);
        const auto fromBody = Codec::enqueueFromBody(body);
        QVERIFY(fromBody);
        QCOMPARE(fromBody->payload, reference->payload);
        QCOMPARE(fromBody->type, reference->type);
        QCOMPARE(Codec::toJson(*fromBody), Codec::toJson(*reference)); // every other field
        QCOMPARE(Codec::compactMemberText(body, "payload").has_value(), payloadAsSent);
        QCOMPARE(Codec::compactMembers(body, {"type", "payload"}).has_value(), direct);
    }
    void enqueueFromBodyErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("malformed") << QByteArray("{\"type\":");
        QTest::newRow("not an object") << QByteArray("[1]");
        QTest::newRow("no type") << QByteArray("{\"payload\":{\"a\":1}}");
        QTest::newRow("type not a string") << QByteArray("{\"type\":5,\"payload\":1}");
        QTest::newRow("type null") << QByteArray("{\"type\":null,\"payload\":1}");
        QTest::newRow("unknown field") << QByteArray("{\"type\":\"t\",\"payload\":1,\"x\":1}");
    }
    void enqueueFromBodyErrors()
    {
        // The errors are parseObject's, then the fields' as enqueueFromJson says them.
        QFETCH(QByteArray, body);
        const auto fromBody = Codec::enqueueFromBody(body);
        QVERIFY(!fromBody);
        const auto object = Codec::parseObject(body);
        const QString expected =
            object ? Codec::enqueueFromJson(*object).error().message : object.error().message;
        QCOMPARE(fromBody.error().message, expected);
    }

    void taskText_data()
    {
        QTest::addColumn<int>("variant");
        QTest::newRow("queued, few fields") << 0;
        QTest::newRow("running, leased") << 1;
        QTest::newRow("dead, with result and error") << 2;
    }
    void taskText()
    {
        QFETCH(int, variant);
        const TaskInfo task = sampleTask(variant);
        const QJsonObject fromText = QJsonDocument::fromJson(Codec::taskText(task)).object();
        QVERIFY(!fromText.isEmpty());
        QCOMPARE(fromText, Codec::toJson(task));
        const auto read = Codec::taskFromJson(fromText);
        QVERIFY(read);
        QCOMPARE(read->id, task.id);
        QCOMPARE(read->state, task.state);
        QCOMPARE(read->type, task.type);
        QCOMPARE(read->payload, task.payload);
        QCOMPARE(read->attempts, task.attempts);
        QCOMPARE(read->startedAtMs, task.startedAtMs);
        QCOMPARE(read->finishedAtMs, task.finishedAtMs);
        QCOMPARE(read->lastError, task.lastError);
        QCOMPARE(read->result, task.result);
    }

    // The id of an enqueue's answer: the minimal {"id": …} read directly, any other spelling or
    // the whole task through a QJsonObject; an answer without an id is an error that says so.
    void taskIdFromText_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("id"); // empty: an error
        QTest::newRow("minimal") << QByteArray(R"({"id":"t_1"})") << u"t_1"_s;
        QTest::newRow("with white space") << QByteArray(R"( { "id" : "t_2" } )") << u"t_2"_s;
        QTest::newRow("an escape") << QByteArray(R"({"id":"t_\u0033"})") << u"t_3"_s;
        QTest::newRow("the whole task") << Codec::taskText([] {
            TaskInfo task;
            task.id = u"t_4"_s;
            task.queueId = u"q_1"_s;
            task.type = u"x"_s;
            task.payload = "{}";
            return task;
        }()) << u"t_4"_s;
        QTest::newRow("no id") << QByteArray(R"({"ids":["t_5"]})") << QString();
        QTest::newRow("an empty id") << QByteArray(R"({"id":""})") << QString();
        QTest::newRow("a number") << QByteArray(R"({"id":5})") << QString();
        QTest::newRow("not JSON") << QByteArray("ok") << QString();
    }
    void taskIdFromText()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, id);
        const auto read = Codec::taskIdFromText(body);
        QCOMPARE(read.has_value(), !id.isEmpty());
        if (read)
            QCOMPARE(*read, id);
        else
            QCOMPARE(read.error().code, ErrorCode::Internal);
        QCOMPARE(Codec::taskIdFromText(Codec::taskIdText(u"t_9"_s)).value_or(QString()), u"t_9"_s);
    }

    // An id is written as it is; one that needs escaping (no task id does) is still valid JSON.
    void taskIdTextIsJson()
    {
        QCOMPARE(Codec::taskIdText(u"t_01abz"_s), QByteArray(R"({"id":"t_01abz"})"));
        for (const QString &id : {u"a\"b\\c"_s, u"caf\u00e9"_s, u"tab\there"_s, u"del\x7f"_s}) {
            QJsonParseError error{};
            const auto document = QJsonDocument::fromJson(Codec::taskIdText(id), &error);
            QCOMPARE(error.error, QJsonParseError::NoError);
            QCOMPARE(document.object().value(u"id"_s).toString(), id);
        }
    }

    // An answer's body read directly (taskFromText) reads as the QJsonObject it parses into reads
    // (taskFromJson): the compact text servers write, which takes the direct path, and anything
    // else, which takes Qt's parser.
    void taskFromText_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("direct");
        TaskInfo plain = sampleTask(2);
        plain.type = QStringLiteral("resize");
        plain.lastError = QStringLiteral("exit 3");
        plain.idempotencyKey = QStringLiteral("key-1");
        plain.concurrencyKey = QStringLiteral("tenant-9");
        plain.parentId = QStringLiteral("t_00");
        plain.runId = QStringLiteral("t_00");
        const QByteArray written = Codec::taskText(plain);
        QTest::newRow("as a server writes it") << written << true;
        QTest::newRow("queued, as a server writes it") << Codec::taskText(sampleTask(0)) << false;
        QTest::newRow("escapes and text past ASCII") << Codec::taskText(sampleTask(2)) << false;
        QTest::newRow("white space between members")
            << QByteArray(R"({ "id" : "t_1", "payload" : {"a":1} , "priority" : 4 })") << true;
        QTest::newRow("keys out of order")
            << QByteArray(R"({"priority":4,"id":"t_1","payload":{"a":1}})") << false;
        QTest::newRow("a key twice") << QByteArray(R"({"id":"t_1","id":"t_2"})") << false;
        QTest::newRow("payload with a fraction")
            << QByteArray(R"({"id":"t_1","payload":{"x":1.5}})") << false;
        QTest::newRow("payload with spaces")
            << QByteArray(R"({"id":"t_1","payload":{"x": 1}})") << false;
        QTest::newRow("payload absent") << QByteArray(R"({"id":"t_1"})") << true;
        QTest::newRow("payload null, result a string")
            << QByteArray(R"({"id":"t_1","payload":null,"result":"done"})") << true;
        QTest::newRow("wrong types")
            << QByteArray(R"({"attempts":"3","cancel_requested":1,"enqueued_at":12,"id":"t_1",)"
                          R"("priority":true,"state":7,"type":5})")
            << true;
        QTest::newRow("times another way")
            << QByteArray(
                   R"({"enqueued_at":"2026-12-01T21:19:15.153+01:00","id":"t_1",)"
                   R"("run_at":"2026-12-01T20:19:15Z","started_at":"2026-02-30T00:00:00.000Z"})")
            << true;
        QTest::newRow("times out of range")
            << QByteArray(R"({"deadline":"2026-12-01T24:00:00.000Z","id":"t_1",)"
                          R"("run_at":"0000-01-01T00:00:00.000Z"})")
            << true;
        QTest::newRow("large whole numbers")
            << QByteArray(R"({"id":"t_1","priority":-7,"timeout_s":999999999999999999})") << true;
        QTest::newRow("without an id") << QByteArray(R"({"type":"x"})") << true;
        QTest::newRow("empty object") << QByteArray("{}") << true;
    }
    // Every member of a compact object is found by its key, and no other key is, in objects
    // small enough for the hash of keys and bigger ones searched by key order; keys that share
    // their length and first and last bytes (the hash) are told apart.
    void compactObjectMembers_data()
    {
        QTest::addColumn<int>("count");
        for (const int count : {0, 1, 2, 30, 48, 49, 100})
            QTest::addRow("%d members", count) << count;
    }
    void compactObjectMembers()
    {
        QFETCH(int, count);
        QMap<QByteArray, int> members; // sorted, as a compact object's keys are
        for (int i = 0; i < count; ++i)
            members.insert("k" + QByteArray::number(i % 10) + QByteArray(i / 10, 'm') + "z", i);
        QJsonObject object;
        for (auto it = members.cbegin(); it != members.cend(); ++it)
            object.insert(QString::fromLatin1(it.key()), it.value());
        const QByteArray text = QJsonDocument(object).toJson(QJsonDocument::Compact);
        const auto read = Codec::CompactObject::of(text);
        QVERIFY(read);
        for (auto it = members.cbegin(); it != members.cend(); ++it)
            QCOMPARE(read->member(it.key()), QByteArrayView(QByteArray::number(it.value())));
        for (const QByteArray &absent : {QByteArray(), QByteArray("k"), QByteArray("k0mz"),
                                         QByteArray("kz"), QByteArray("k00z")}) {
            if (!members.contains(absent))
                QVERIFY2(!read->member(absent), absent.constData());
        }
    }

    void taskFromText()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, direct);
        QCOMPARE(Codec::CompactObject::of(body).has_value(), direct);
        const QJsonDocument document = QJsonDocument::fromJson(body);
        QVERIFY(document.isObject());
        const auto fromText = Codec::taskFromText(body);
        const auto fromJson = Codec::taskFromJson(document.object());
        QCOMPARE(fromText.has_value(), fromJson.has_value());
        if (!fromJson) {
            QCOMPARE(fromText.error().message, fromJson.error().message);
            return;
        }
        const TaskInfo &a = *fromText;
        const TaskInfo &b = *fromJson;
        QCOMPARE(a.id, b.id);
        QCOMPARE(a.queueId, b.queueId);
        QCOMPARE(a.state, b.state);
        QCOMPARE(a.type, b.type);
        QCOMPARE(a.payload, b.payload);
        QCOMPARE(a.priority, b.priority);
        QCOMPARE(a.enqueuedAtMs, b.enqueuedAtMs);
        QCOMPARE(a.runAtMs, b.runAtMs);
        QCOMPARE(a.attempts, b.attempts);
        QCOMPARE(a.maxAttempts, b.maxAttempts);
        QCOMPARE(a.timeoutS, b.timeoutS);
        QCOMPARE(a.deadlineMs, b.deadlineMs);
        QCOMPARE(a.leasedBy, b.leasedBy);
        QCOMPARE(a.startedAtMs, b.startedAtMs);
        QCOMPARE(a.finishedAtMs, b.finishedAtMs);
        QCOMPARE(a.lastError, b.lastError);
        QCOMPARE(a.result, b.result);
        QCOMPARE(a.cancelRequested, b.cancelRequested);
        QCOMPARE(a.deadReason, b.deadReason);
        QCOMPARE(a.idempotencyKey, b.idempotencyKey);
        QCOMPARE(a.concurrencyKey, b.concurrencyKey);
        QCOMPARE(a.parentId, b.parentId);
        QCOMPARE(a.runId, b.runId);
    }
    void taskFromTextOfNoObject()
    {
        for (const QByteArray &body :
             {QByteArray("[1]"), QByteArray("{\"id\":"), QByteArray("nul")}) {
            const auto read = Codec::taskFromText(body);
            QVERIFY(!read);
            QCOMPARE(read.error().code, ErrorCode::Internal);
        }
        QCOMPARE(Codec::taskFromText(QByteArray()).error().message,
                 Codec::taskFromJson(QJsonObject()).error().message);
        // A task without a payload reads as one whose payload is null, on either path.
        QCOMPARE(Codec::taskFromText(R"({"id":"t_1"})")->payload, QByteArray("null"));
        QCOMPARE(Codec::taskFromText(R"({"id":"t_1","type":"\u0041"})")->payload,
                 QByteArray("null"));
    }

    // The answer of a lease or of a complete that leased reads the same from its text as from the
    // QJsonObject it parses into: as a server writes it (the direct path), and otherwise.
    void completeAndLeaseFromText_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("direct");
        LeasedTask leased;
        leased.id = QStringLiteral("t_1");
        leased.leaseId = QStringLiteral("l_1");
        leased.queueId = QStringLiteral("q_1");
        leased.type = QStringLiteral("resize");
        leased.payload = R"({"a":[1,2,{"b":null}],"i":7})";
        leased.attempt = 2;
        leased.timeoutS = 600;
        leased.deadlineMs = 1'800'000'000'123;
        LeasedTask second = leased;
        second.id = QStringLiteral("t_2");
        second.payload = "42";
        second.deadlineMs.reset();
        const QByteArray tasks = Codec::leasedTasksText({leased, second});
        const QList<ItemOutcome> taken{{QStringLiteral("t_0"), std::nullopt, TaskState::Succeeded},
                                       {QStringLiteral("t_9"), std::nullopt, TaskState::Dead}};
        QList<ItemOutcome> refused = taken;
        refused.append({QStringLiteral("t_8"),
                        Error{ErrorCode::FailedPrecondition, QStringLiteral("lease expired"), {}},
                        TaskState::Running});
        QTest::newRow("a lease") << "{\"tasks\":" + tasks + '}' << true;
        QTest::newRow("a lease of nothing") << QByteArray(R"({"tasks":[]})") << true;
        QTest::newRow("acknowledged, then leased")
            << "{\"results\":" + Codec::outcomesText(taken) + ",\"tasks\":" + tasks + '}' << true;
        QTest::newRow("one acknowledgement refused")
            << "{\"results\":" + Codec::outcomesText(refused) + ",\"tasks\":[]}" << true;
        QTest::newRow("a leased task without its lease")
            << QByteArray(R"({"tasks":[{"id":"t_1","payload":1}]})") << true;
        QTest::newRow("a payload with a fraction")
            << QByteArray(R"({"tasks":[{"id":"t_1","lease_id":"l","payload":1.5}]})") << false;
        QTest::newRow("white space in the list")
            << QByteArray(R"({"tasks":[ {"id":"t_1","lease_id":"l"}]})") << false;
        QTest::newRow("an item that is no object")
            << QByteArray(R"({"results":[3],"tasks":[]})") << true;
        QTest::newRow("escapes") << QByteArray(R"({"tasks":[{"id":"t\n1","lease_id":"l"}]})")
                                 << false;
    }
    void completeAndLeaseFromText()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, direct);
        QCOMPARE(Codec::CompactObject::of(body).has_value(), direct);
        const QJsonDocument document = QJsonDocument::fromJson(body);
        QVERIFY(document.isObject());
        const auto fromText = Codec::completeAndLeaseFromText(body);
        const auto fromJson = Codec::completeAndLeaseFromJson(document.object());
        QCOMPARE(fromText.has_value(), fromJson.has_value());
        if (!fromJson) {
            QCOMPARE(fromText.error().message, fromJson.error().message);
            return;
        }
        QCOMPARE(fromText->outcomes.size(), fromJson->outcomes.size());
        for (qsizetype i = 0; i < fromJson->outcomes.size(); ++i) {
            const ItemOutcome &a = fromText->outcomes.at(i);
            const ItemOutcome &b = fromJson->outcomes.at(i);
            QCOMPARE(a.taskId, b.taskId);
            QCOMPARE(a.state, b.state);
            QCOMPARE(a.error.has_value(), b.error.has_value());
            if (b.error) {
                QCOMPARE(a.error->code, b.error->code);
                QCOMPARE(a.error->message, b.error->message);
            }
        }
        QCOMPARE(fromText->tasks.size(), fromJson->tasks.size());
        for (qsizetype i = 0; i < fromJson->tasks.size(); ++i) {
            const LeasedTask &a = fromText->tasks.at(i);
            const LeasedTask &b = fromJson->tasks.at(i);
            QCOMPARE(a.id, b.id);
            QCOMPARE(a.leaseId, b.leaseId);
            QCOMPARE(a.queueId, b.queueId);
            QCOMPARE(a.type, b.type);
            QCOMPARE(a.payload, b.payload);
            QCOMPARE(a.attempt, b.attempt);
            QCOMPARE(a.timeoutS, b.timeoutS);
        }
    }
    // What a server writes reads back as what it wrote.
    void completeAndLeaseRoundTrip()
    {
        LeasedTask leased{QStringLiteral("t_1"),
                          QStringLiteral("l_1"),
                          QStringLiteral("q_1"),
                          QStringLiteral("resize"),
                          R"({"i":7})",
                          3,
                          60,
                          std::nullopt};
        const QList<ItemOutcome> refused{
            {QStringLiteral("t_8"),
             Error{ErrorCode::FailedPrecondition, QStringLiteral("lease expired"), {}},
             TaskState::Running}};
        const QByteArray body = "{\"results\":" + Codec::outcomesText(refused) +
                                ",\"tasks\":" + Codec::leasedTasksText({leased}) + '}';
        const auto read = Codec::completeAndLeaseFromText(body);
        QVERIFY(read);
        QCOMPARE(read->outcomes.size(), 1);
        QCOMPARE(read->outcomes.first().taskId, QStringLiteral("t_8"));
        QVERIFY(read->outcomes.first().error);
        QCOMPARE(read->outcomes.first().error->code, ErrorCode::FailedPrecondition);
        QCOMPARE(read->outcomes.first().error->message, QStringLiteral("lease expired"));
        QCOMPARE(read->tasks.size(), 1);
        QCOMPARE(read->tasks.first().id, leased.id);
        QCOMPARE(read->tasks.first().leaseId, leased.leaseId);
        QCOMPARE(read->tasks.first().payload, leased.payload);
        QCOMPARE(read->tasks.first().attempt, 3);
        QCOMPARE(read->tasks.first().timeoutS, qint64(60));
    }

    // Strings written by the text writer are byte for byte what QJsonDocument writes: escapes,
    // control characters, text past ASCII (before and after an escape), and lists of them.
    void jsonTextStrings_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("empty") << QString();
        QTest::newRow("plain") << QStringLiteral("send-email");
        QTest::newRow("quote and backslash") << QStringLiteral("a\"b\\c");
        QTest::newRow("named controls") << QStringLiteral("\b\f\n\r\t");
        QTest::newRow("other controls") << QString::fromUtf8("\x01\x1f\x7f end");
        QTest::newRow("latin") << QStringLiteral("caf\u00e9 \"au lait\"");
        QTest::newRow("wide") << QStringLiteral("\u65e5\u672c\n\u8a9e\\");
        QTest::newRow("surrogate pair") << QStringLiteral("x\U0001F600\ty");
        // Longer than the writer's first room, escapes and all: the text grows as it is written.
        QTest::newRow("long") << QStringLiteral("ab\"\u00e9\n").repeated(400);
    }
    void jsonTextStrings()
    {
        QFETCH(QString, value);
        const QByteArray text = Codec::JsonText()
                                    .string("k", value)
                                    .stringArray("l", {value, QStringLiteral("b"), value})
                                    .take();
        const QJsonObject object{
            {QStringLiteral("k"), value},
            {QStringLiteral("l"), QJsonArray{value, QStringLiteral("b"), value}}};
        QCOMPARE(text, QJsonDocument(object).toJson(QJsonDocument::Compact));
    }

    // A writer with nothing written gives an empty object, and after take() it starts a new one.
    void jsonTextReuse()
    {
        Codec::JsonText writer;
        QCOMPARE(writer.take(), QByteArray("{}"));
        QCOMPARE(writer.number("a", -12).null("b").take(), QByteArray(R"({"a":-12,"b":null})"));
        QCOMPARE(writer.boolean("c", true).raw("d", R"([1,"x"])").take(),
                 QByteArray(R"({"c":true,"d":[1,"x"]})"));
        QCOMPARE(writer.take(), QByteArray("{}"));
    }

    // The heartbeat answer written as text is the object writer's compact text, byte for byte.
    void heartbeatText_data()
    {
        QTest::addColumn<int>("command");
        QTest::addColumn<QStringList>("cancel");
        QTest::newRow("run, nothing to cancel") << int(WorkerCommand::Run) << QStringList();
        QTest::newRow("drain, two to cancel")
            << int(WorkerCommand::Drain)
            << QStringList{QStringLiteral("t_1"), QStringLiteral("t_2")};
    }
    void heartbeatText()
    {
        QFETCH(int, command);
        QFETCH(QStringList, cancel);
        const HeartbeatReply reply{WorkerCommand(command), cancel};
        QCOMPARE(Codec::heartbeatText(reply),
                 QJsonDocument(Codec::toJson(reply)).toJson(QJsonDocument::Compact));
    }

    // Acknowledgement outcomes written as text are the object writer's compact text, byte for
    // byte: taken, failed, and refused with an error.
    void outcomesText()
    {
        const QList<ItemOutcome> outcomes{
            {QStringLiteral("t_1"), std::nullopt, TaskState::Succeeded},
            {QStringLiteral("t_2"), std::nullopt, TaskState::Dead},
            {QStringLiteral("t_3"),
             Error{ErrorCode::FailedPrecondition, QStringLiteral("lease \"expired\""), {}},
             TaskState::Running}};
        QJsonArray array;
        for (const ItemOutcome &o : outcomes)
            array.append(Codec::toJson(o));
        QCOMPARE(Codec::outcomesText(outcomes),
                 QJsonDocument(array).toJson(QJsonDocument::Compact));
        QCOMPARE(Codec::outcomesText({}), QByteArray("[]"));
    }

    // An error answer reads back as the error it was.
    // The times of every answer are written without QDateTime, and exactly as it writes them.
    void isoTime_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::newRow("epoch") << qint64(0);
        QTest::newRow("before the epoch") << qint64(-1);
        QTest::newRow("1969-12-31 noon") << qint64(-43'200'000);
        QTest::newRow("leap day 2024") << qint64(1'709'208'000'123);
        QTest::newRow("2000-02-29") << qint64(951'782'400'999);
        QTest::newRow("1900-03-01") << qint64(-2'203'891'200'000);
        QTest::newRow("year 1") << qint64(-62'135'596'800'000);
        QTest::newRow("year 0, its last ms") << qint64(-62'135'596'800'001);
        QTest::newRow("9999-12-31 last ms") << qint64(253'402'300'799'999);
        QTest::newRow("year 10000") << qint64(253'402'300'800'000);
        QTest::newRow("year -1") << qint64(-62'198'755'200'000);
    }
    void isoTime()
    {
        QFETCH(qint64, ms);
        QByteArray text;
        Codec::appendIsoTime(text, ms);
        QCOMPARE(
            text,
            QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1());
        // The same text as a member of an answer, after another so that it does not open it.
        QCOMPARE(Codec::JsonText().number("a", 1).time("t", ms).take(),
                 "{\"a\":1,\"t\":\"" + text + "\"}");
        // Read back directly for years 1–9999; other years are QDateTime's to read.
        const bool direct = ms >= -62'135'596'800'000 && ms < 253'402'300'800'000;
        QCOMPARE(Codec::isoTimeMs(QByteArrayView(text)),
                 direct ? std::optional<qint64>(ms) : std::nullopt);
    }
    // Text not exactly in that form, or naming no real time, is not read directly.
    void isoTimeRefusals_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("offset") << QByteArray("2026-12-01T21:19:15.153+01:00");
        QTest::newRow("no milliseconds") << QByteArray("2026-12-01T20:19:15Z");
        QTest::newRow("30 February") << QByteArray("2026-02-30T00:00:00.000Z");
        QTest::newRow("29 February, not a leap year") << QByteArray("2100-02-29T00:00:00.000Z");
        QTest::newRow("hour 24") << QByteArray("2026-12-01T24:00:00.000Z");
        QTest::newRow("second 60") << QByteArray("2026-12-01T23:59:60.000Z");
        QTest::newRow("month 13") << QByteArray("2026-13-01T00:00:00.000Z");
        QTest::newRow("year 0") << QByteArray("0000-01-01T00:00:00.000Z");
        QTest::newRow("a letter") << QByteArray("2026-12-0xT00:00:00.000Z");
        QTest::newRow("lower-case t") << QByteArray("2026-12-01t00:00:00.000Z");
    }
    void isoTimeRefusals()
    {
        QFETCH(QByteArray, text);
        QCOMPARE(Codec::isoTimeMs(QByteArrayView(text)), std::nullopt);
    }
    // Every day of 1,600 years (four 400-year eras around the epoch), at a moving time of day.
    void isoTimeEveryDay()
    {
        const qint64 day = 86'400'000;
        for (qint64 d = -146097 * 2; d < 146097 * 2; ++d) {
            const qint64 ms = d * day + (d * 7'919'123) % day;
            QByteArray text;
            Codec::appendIsoTime(text, ms);
            const QByteArray expected =
                QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
            // ... and read back without QDateTime, to the millisecond it was.
            if (Codec::isoTimeMs(QByteArrayView(text)) != ms ||
                Codec::isoTimeMs(QString::fromLatin1(text)) != ms)
                QFAIL(qPrintable(QStringLiteral("%1 ms did not read back").arg(ms)));
            if (text != expected)
                QFAIL(
                    qPrintable(QStringLiteral("%1 ms: %2, expected %3")
                                   .arg(ms)
                                   .arg(QString::fromLatin1(text), QString::fromLatin1(expected))));
        }
    }

    void errorBody_data()
    {
        QTest::addColumn<int>("code");
        QTest::newRow("not found") << int(ErrorCode::NotFound);
        QTest::newRow("invalid") << int(ErrorCode::InvalidArgument);
        QTest::newRow("unavailable") << int(ErrorCode::Unavailable);
    }
    void errorBody()
    {
        QFETCH(int, code);
        const Error error{ErrorCode(code), QStringLiteral("what to change"), {}};
        const QByteArray body =
            QJsonDocument(Codec::errorBody(error)).toJson(QJsonDocument::Compact);
        const Error read = Codec::errorFromBody(httpStatus(error.code), body);
        QCOMPARE(int(read.code), code);
        QCOMPARE(read.message, error.message);
    }
};

QTEST_GUILESS_MAIN(TestCodec)
#include "tst_codec.moc"
