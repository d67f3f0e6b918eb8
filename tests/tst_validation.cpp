// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "validation.h"

#include <QJsonDocument>
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

    // Payloads and results are checked by a quick scan first and by QJsonDocument when the scan
    // is not sure: the verdict must be Qt's in every case, also where the scan hands over.
    void jsonVerdictIsQts_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("expected"); // 1 valid, 0 invalid, -1 as Qt judges it
        const auto row = [](const char *name, const QByteArray &text, int expected) {
            QTest::newRow(name) << text << expected;
        };
        row("harness payload", R"({"i":1,"t":1700000000000000})", 1);
        row("spaced", R"( { "a" : [ 1 , 2.5 , -0 , true , false , null , "x" , { } , [ ] ] } )", 1);
        row("empty object", "{}", 1);
        row("empty array", "[]", 1);
        row("string", R"("s")", 1);
        row("zero", "0", 1);
        row("negative fraction", "-12.25", 1);
        row("short escapes", "\"a\\tb\\\"c\\\\d\\/e\\nf\"", 1);
        row("unicode escape", "\"\\u00e9\"", 1);
        row("utf-8", "\"\xc3\xa9\"", 1);
        row("exponent", "1e5", 1);
        row("big integer", "123456789012345678901234567890", 1);
        row("trailing comma in object", R"({"a":1,})", 0);
        row("trailing comma in array", "[1,]", 0);
        row("missing colon", R"({"a" 1})", 0);
        row("leading zero", "01", 0);
        row("lone minus", "-", 0);
        row("dot without fraction (Qt takes it)", "1.", 1);
        row("fraction without integer (Qt takes it)", ".5", 1);
        row("short literal", "tru", 0);
        row("unterminated string", "\"open", 0);
        row("extra brace", R"({"a":1}})", 0);
        row("two values", "[1 2]", 0);
        row("unknown escape (Qt takes it)", "\"a\\qb\"", 1);
        row("blank", "   ", 0);
        row("bare word", "abc", 0);
        row("unquoted key", "{a:1}", 0);
        row("control character", "\"a\x01b\"", -1);
        row("huge exponent", "1e400", -1);
        row("nested 600", QByteArray(600, '[') + QByteArray(600, ']'), -1);
        row("nested 2000", QByteArray(2000, '[') + QByteArray(2000, ']'), -1);
        row("digits 400", QByteArray(400, '7'), -1);
    }
    void jsonVerdictIsQts()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, expected);
        // Qt's verdict, as the check made it before the scan: a document, or a value in an array.
        QJsonParseError error;
        QJsonDocument::fromJson(text, &error);
        QJsonParseError wrappedError;
        QJsonDocument::fromJson('[' + text + ']', &wrappedError);
        const bool qtTakesIt =
            error.error == QJsonParseError::NoError ||
            (wrappedError.error == QJsonParseError::NoError && !text.trimmed().isEmpty());
        if (expected >= 0)
            QCOMPARE(qtTakesIt, expected == 1);
        const auto verdict = Validation::json(text, "payload", 1 << 20);
        QCOMPARE(verdict.has_value(), qtTakesIt);
        if (!verdict)
            QCOMPARE(verdict.error().details.value(QStringLiteral("field")).toString(),
                     QStringLiteral("payload"));
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
