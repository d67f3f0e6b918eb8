// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "validation.h"

#include <QTest>

using namespace QueueDeck;

Q_DECLARE_METATYPE(QueueDeck::EnqueueRequest)
Q_DECLARE_METATYPE(QueueDeck::QueueSettings)

class TestValidation final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void enqueue_data()
    {
        QTest::addColumn<EnqueueRequest>("request");
        QTest::addColumn<QString>("expected"); // empty: valid; else the error code name
        QTest::addColumn<QString>("field");

        auto base = [] {
            EnqueueRequest r;
            r.type = QStringLiteral("send-email");
            r.payload = R"({"to":"a@example.com"})";
            return r;
        };
        QTest::newRow("valid") << base() << QString() << QString();
        {
            auto r = base();
            r.payload = "42";
            QTest::newRow("scalar payload is JSON") << r << QString() << QString();
        }
        {
            auto r = base();
            r.type.clear();
            QTest::newRow("no type") << r << "INVALID_ARGUMENT"
                                     << "type";
        }
        {
            auto r = base();
            r.type = QString(200, u'x');
            QTest::newRow("long type") << r << "INVALID_ARGUMENT"
                                       << "type";
        }
        {
            auto r = base();
            r.payload = "{not json";
            QTest::newRow("malformed payload") << r << "INVALID_ARGUMENT"
                                               << "payload";
        }
        {
            auto r = base();
            r.payload = "";
            QTest::newRow("empty payload") << r << "INVALID_ARGUMENT"
                                           << "payload";
        }
        {
            auto r = base();
            r.payload = "\"" + QByteArray(2 << 20, 'a') + "\"";
            QTest::newRow("payload too large") << r << "PAYLOAD_TOO_LARGE"
                                               << "payload";
        }
        {
            auto r = base();
            r.priority = 101;
            QTest::newRow("priority high") << r << "INVALID_ARGUMENT"
                                           << "priority";
        }
        {
            auto r = base();
            r.priority = -101;
            QTest::newRow("priority low") << r << "INVALID_ARGUMENT"
                                          << "priority";
        }
        {
            auto r = base();
            r.delayMs = -1;
            QTest::newRow("negative delay") << r << "INVALID_ARGUMENT"
                                            << "delay_ms";
        }
        {
            auto r = base();
            r.delayMs = 10;
            r.runAtMs = 10;
            QTest::newRow("delay and run_at") << r << "INVALID_ARGUMENT"
                                              << "run_at";
        }
        {
            auto r = base();
            r.timeoutS = 0;
            QTest::newRow("zero timeout") << r << "INVALID_ARGUMENT"
                                          << "timeout_s";
        }
        {
            auto r = base();
            r.maxAttempts = 0;
            QTest::newRow("zero attempts") << r << "INVALID_ARGUMENT"
                                           << "max_attempts";
        }
        {
            auto r = base();
            r.workerId = QStringLiteral("has space");
            QTest::newRow("bad worker id") << r << "INVALID_ARGUMENT"
                                           << "worker_id";
        }
        {
            auto r = base();
            r.requiredLabels.insert(QString(), QStringLiteral("x"));
            QTest::newRow("empty label key") << r << "INVALID_ARGUMENT"
                                             << "required_labels";
        }
        {
            auto r = base();
            r.idempotencyKey = QString(300, u'k');
            QTest::newRow("long idempotency key") << r << "INVALID_ARGUMENT"
                                                  << "idempotency_key";
        }
        {
            auto r = base();
            r.maxQueuedTimeS = -5;
            QTest::newRow("negative max queued time") << r << "INVALID_ARGUMENT"
                                                      << "max_queued_time_s";
        }
    }
    void enqueue()
    {
        QFETCH(EnqueueRequest, request);
        QFETCH(QString, expected);
        QFETCH(QString, field);
        const auto result = Validation::enqueue(request, 1 << 20);
        if (expected.isEmpty()) {
            QVERIFY2(result.has_value(), result ? "" : qPrintable(result.error().message));
            return;
        }
        QVERIFY(!result.has_value());
        QCOMPARE(errorCodeName(result.error().code), expected);
        QCOMPARE(result.error().details.value(QStringLiteral("field")).toString(), field);
        QVERIFY2(result.error().message.contains(field), qPrintable(result.error().message));
    }

    void settings_data()
    {
        QTest::addColumn<QueueSettings>("settings");
        QTest::addColumn<QString>("field"); // empty: valid
        QTest::newRow("defaults") << QueueSettings{} << QString();
        auto with = [](auto change) {
            QueueSettings s;
            change(s);
            return s;
        };
        QTest::newRow("negative max_workers")
            << with([](QueueSettings &s) { s.maxWorkers = -1; }) << "max_workers";
        QTest::newRow("negative concurrency")
            << with([](QueueSettings &s) { s.concurrency = -2; }) << "concurrency";
        QTest::newRow("negative depth")
            << with([](QueueSettings &s) { s.maxDepth = -1; }) << "max_depth";
        QTest::newRow("negative rate")
            << with([](QueueSettings &s) { s.rateLimit = -0.5; }) << "rate_limit";
        QTest::newRow("zero task timeout")
            << with([](QueueSettings &s) { s.taskTimeoutS = 0; }) << "task_timeout_s";
        QTest::newRow("tiny worker timeout")
            << with([](QueueSettings &s) { s.workerTimeoutS = 1; }) << "worker_timeout_s";
        QTest::newRow("multiplier below one")
            << with([](QueueSettings &s) { s.retry.multiplier = 0.5; }) << "multiplier";
        QTest::newRow("max backoff below initial") << with([](QueueSettings &s) {
            s.retry.maxBackoffMs = 10;
            s.retry.initialBackoffMs = 100;
        }) << "max_backoff_ms";
        QTest::newRow("priority out of range")
            << with([](QueueSettings &s) { s.priority = 500; }) << "priority";
        QTest::newRow("unlimited is fine") << with([](QueueSettings &s) {
            s.maxWorkers = 0;
            s.maxDepth = 0;
        }) << QString();
    }
    void settings()
    {
        QFETCH(QueueSettings, settings);
        QFETCH(QString, field);
        const auto result = Validation::settings(settings);
        if (field.isEmpty()) {
            QVERIFY2(result.has_value(), result ? "" : qPrintable(result.error().message));
            return;
        }
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(result.error().details.value(QStringLiteral("field")).toString(), field);
    }

    void names_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("simple") << QStringLiteral("emails") << true;
        QTest::newRow("dots dashes") << QStringLiteral("build.arm-64_x") << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("space") << QStringLiteral("my queue") << false;
        QTest::newRow("slash") << QStringLiteral("a/b") << false;
        QTest::newRow("leading dash") << QStringLiteral("-x") << false;
        QTest::newRow("too long") << QString(65, u'a') << false;
        QTest::newRow("non ascii") << QStringLiteral("äpfel") << false;
    }
    void names()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(Validation::name(name, "name").has_value(), valid);
    }
};

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
