// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// /api/v1/schedules through the client library against a real server in this process: every
// route, the refusals a form shows inline, and who may call what. Every answer is logged for
// tests/validate_responses.py to check against the OpenAPI document.

#include "answerlog.h"
#include "apifixture.h"
#include "protocol/schedulecodec.h"
#include "queuedeckclient.h"
#include "scheduleclient.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QMutex>
#include <QTest>
#include <QTimeZone>

using namespace QueueDeck;
using namespace QueueDeck::Client;
using namespace QueueDeck::Testing;

class TestScheduleApi final : public QObject
{
    Q_OBJECT

    ApiFixture m_server;
    std::unique_ptr<QueueDeckClient> m_client;
    std::unique_ptr<ScheduleClient> m_schedules;
    QString m_queue;

    std::unique_ptr<QueueDeckClient> clientWith(const QString &token)
    {
        ClientOptions options{m_server.url(), token};
        options.blocking = true;
        options.onAnswer = &recordAnswer;
        return std::make_unique<QueueDeckClient>(options);
    }

    ScheduleDefinition nightly(const QString &name)
    {
        ScheduleDefinition definition;
        definition.name = name;
        definition.spec = QStringLiteral("0 2 * * *");
        definition.timeZone = QStringLiteral("Europe/Berlin");
        definition.queueId = m_queue;
        definition.task.type = QStringLiteral("nightly");
        definition.task.payload = R"({"report": "sales"})";
        definition.jitterS = 30;
        return definition;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QFile::remove(QStringLiteral(RESPONSE_LOG));
        QVERIFY(m_server.start());
        m_client = clientWith(m_server.token());
        m_schedules = std::make_unique<ScheduleClient>(*m_client);
        QD_AWAIT(queue, m_client->createQueue(QStringLiteral("default"), QStringLiteral("batch")));
        m_queue = queue.id;
    }

    void createReadChangeDelete()
    {
        QD_AWAIT(made, m_schedules->create(nightly(QStringLiteral("nightly"))));
        QVERIFY(made.id.startsWith(u"s_"));
        QCOMPARE(made.description, QStringLiteral("At 02:00 every day, Europe/Berlin"));
        QVERIFY(made.nextFireMs);
        QCOMPARE(
            QDateTime::fromMSecsSinceEpoch(*made.nextFireMs, QTimeZone("Europe/Berlin")).time(),
            QTime(2, 0));
        QCOMPARE(made.definition.task.payload, QByteArray(R"({"report":"sales"})"));
        QCOMPARE(made.definition.overlap, OverlapPolicy::Skip);

        QD_AWAIT(list, m_schedules->list());
        QCOMPARE(list.size(), 1);
        QD_AWAIT(one, m_schedules->get(made.id));
        QCOMPARE(one.definition.name, QStringLiteral("nightly"));

        SchedulePatch patch;
        patch.overlap = OverlapPolicy::BufferOne;
        patch.spec = QStringLiteral("*/30 * * * *");
        QD_AWAIT(changed, m_schedules->update(made.id, patch));
        QCOMPARE(changed.definition.overlap, OverlapPolicy::BufferOne);
        QCOMPARE(changed.description, QStringLiteral("Every 30 minutes, Europe/Berlin"));

        QD_AWAIT(paused, m_schedules->pause(made.id));
        QVERIFY(paused.definition.paused);
        QVERIFY(!paused.nextFireMs);
        QD_AWAIT(resumed, m_schedules->resume(made.id));
        QVERIFY(!resumed.definition.paused);

        QD_AWAIT(fired, m_schedules->trigger(made.id));
        QCOMPARE(fired.outcome, QStringLiteral("started"));
        QCOMPARE(fired.kind, QStringLiteral("manual"));
        QD_AWAIT(task, m_client->task(fired.taskId));
        QCOMPARE(task.type, QStringLiteral("nightly"));
        QVERIFY(task.runAtMs >= fired.fireTimeMs && task.runAtMs <= fired.fireTimeMs + 30'000);

        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QD_AWAIT(backfilled, m_schedules->backfill(
                                 made.id, BackfillRequest{now - 3'600'000 * 2, now - 3'600'000}));
        QVERIFY(backfilled.started >= 2);
        QD_AWAIT(fires, m_schedules->fires(made.id));
        QCOMPARE(fires.size(), 1 + backfilled.started);
        QCOMPARE(fires.first().kind, QStringLiteral("manual")); // newest first

        QD_AWAIT_VOID(m_schedules->remove(made.id));
        QD_EXPECT_ERROR(m_schedules->get(made.id), ErrorCode::NotFound);
    }

    void previewWithoutSaving()
    {
        SchedulePreviewRequest request;
        request.spec = QStringLiteral("30 2 * * *");
        request.timeZone = QStringLiteral("Europe/Berlin");
        request.afterMs = QDateTime::fromString(QStringLiteral("2026-10-23T12:00:00Z"), Qt::ISODate)
                              .toMSecsSinceEpoch();
        QD_AWAIT(preview, m_schedules->preview(request));
        QCOMPARE(preview.nextFiresMs.size(), 5);
        QCOMPARE(preview.description, QStringLiteral("At 02:30 every day, Europe/Berlin"));
        QD_AWAIT(list, m_schedules->list());
        QCOMPARE(list.size(), 0);
    }

    // What a form shows beside the field: the message and the field it names.
    void refusalsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("cron field")
            << QByteArray(R"({"spec": "0 25 * * *"})") << QStringLiteral("spec")
            << QStringLiteral("field 2 (hour): 25 is out of range 0-23");
        QTest::newRow("time zone")
            << QByteArray(R"({"time_zone": "Mars/Olympus"})") << QStringLiteral("time_zone")
            << QStringLiteral("not a known IANA time zone");
        QTest::newRow("template run_at")
            << QByteArray(R"({"task": {"type": "x", "run_at": "2026-01-01T00:00:00Z"}})")
            << QString() << QStringLiteral("cannot repeat");
        QTest::newRow("overlap") << QByteArray(R"({"overlap": "queue"})") << QString()
                                 << QStringLiteral("overlap must be skip, buffer_one or allow_all");
        QTest::newRow("unknown field")
            << QByteArray(R"({"cron": "* * * * *"})") << QStringLiteral("cron")
            << QStringLiteral("unknown field cron");
    }
    void refusalsNameTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        QFETCH(QString, message);
        QJsonObject object = ScheduleCodec::toJson(nightly(QStringLiteral("bad")));
        object.remove(QStringLiteral("start_at"));
        object.remove(QStringLiteral("end_at"));
        const QJsonObject changes = QJsonDocument::fromJson(body).object();
        for (auto it = changes.begin(); it != changes.end(); ++it)
            object.insert(it.key(), it.value());
        auto answer = await(m_client->call("POST", QStringLiteral("/api/v1/schedules"), object));
        QVERIFY(!answer);
        QCOMPARE(answer.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(answer.error().message.contains(message), qPrintable(answer.error().message));
        if (!field.isEmpty())
            QCOMPARE(answer.error().details.value(QStringLiteral("field")).toString(), field);
    }

    // A viewer reads schedules and previews; it changes nothing. A producer has no part in them.
    void viewersReadProducersDoNot()
    {
        QD_AWAIT(made, m_schedules->create(nightly(QStringLiteral("readable"))));
        QD_AWAIT(viewerToken, m_server.engine().createViewerToken(QStringLiteral("eyes")));
        auto viewer = clientWith(viewerToken.token);
        ScheduleClient asViewer(*viewer);
        QD_AWAIT(seen, asViewer.get(made.id));
        QCOMPARE(seen.id, made.id);
        QD_AWAIT(history, asViewer.fires(made.id));
        QCOMPARE(history.size(), 0);
        QD_EXPECT_ERROR(asViewer.trigger(made.id), ErrorCode::PermissionDenied);
        QD_AWAIT(producerToken,
                 m_server.engine().createProducerToken(QStringLiteral("p"), {m_queue}));
        auto producer = clientWith(producerToken.token);
        ScheduleClient asProducer(*producer);
        QD_EXPECT_ERROR(asProducer.list(), ErrorCode::PermissionDenied);
        QD_AWAIT_VOID(m_schedules->remove(made.id));
    }
};

QTEST_GUILESS_MAIN(TestScheduleApi)
#include "tst_scheduleapi.moc"
