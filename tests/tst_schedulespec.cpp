// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The schedule spec: every cron field form, macros, intervals, next fires in time zones across
// both daylight-saving changes, descriptions, and errors that point at the field and the part.

#include "schedulespec.h"

#include <QDateTime>
#include <QTest>

using namespace QueueDeck;

namespace {

qint64 at(const QString &iso)
{
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODate);
    Q_ASSERT(time.isValid());
    return time.toMSecsSinceEpoch();
}

QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

QStringList texts(std::initializer_list<const char *> values)
{
    QStringList out;
    for (const char *value : values)
        out.append(QString::fromLatin1(value));
    return out;
}

QStringList nextFires(const ScheduleSpec &spec, const QString &from, const QTimeZone &zone,
                      int count)
{
    QStringList out;
    qint64 t = at(from);
    for (int i = 0; i < count; ++i) {
        const auto next = spec.nextFire(t, zone);
        if (!next)
            break;
        out.append(iso(*next));
        t = *next;
    }
    return out;
}

} // namespace

class TestScheduleSpec final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nextInUtc_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QStringList>("expected");
        const auto row = [](const char *name, const char *spec, const char *from,
                            std::initializer_list<const char *> expected) {
            QTest::newRow(name) << QString::fromLatin1(spec) << QString::fromLatin1(from)
                                << texts(expected);
        };
        row("step from star", "*/15 * * * *", "2026-01-01T00:07:00Z",
            {"2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z"});
        row("step from value", "5/20 * * * *", "2026-01-01T00:00:00Z",
            {"2026-01-01T00:05:00Z", "2026-01-01T00:25:00Z", "2026-01-01T00:45:00Z"});
        row("range with step and weekday names", "0 9-17/4 * * MON-FRI", "2026-01-02T10:00:00Z",
            {"2026-01-02T13:00:00Z", "2026-01-02T17:00:00Z", "2026-01-05T09:00:00Z"});
        row("list", "0 8,12 * * *", "2026-01-01T09:00:00Z",
            {"2026-01-01T12:00:00Z", "2026-01-02T08:00:00Z", "2026-01-02T12:00:00Z"});
        row("both day fields: either matches", "30 4 1,15 * 5", "2026-01-01T00:00:00Z",
            {"2026-01-01T04:30:00Z", "2026-01-02T04:30:00Z", "2026-01-09T04:30:00Z"});
        row("month names and a weekday", "0 0 * JAN,jul SUN", "2026-01-01T00:00:00Z",
            {"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-18T00:00:00Z"});
        row("day-of-week 7 is Sunday", "0 0 * * 7", "2026-01-01T00:00:00Z",
            {"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-18T00:00:00Z"});
        row("question mark", "0 6 ? * MON", "2026-01-01T00:00:00Z",
            {"2026-01-05T06:00:00Z", "2026-01-12T06:00:00Z", "2026-01-19T06:00:00Z"});
        row("star-step day with a weekday: both", "0 0 */2 * MON", "2026-01-01T00:00:00Z",
            {"2026-01-05T00:00:00Z", "2026-01-19T00:00:00Z", "2026-02-09T00:00:00Z"});
        row("six fields: seconds", "*/20 * * * * *", "2026-01-01T00:00:05Z",
            {"2026-01-01T00:00:20Z", "2026-01-01T00:00:40Z", "2026-01-01T00:01:00Z"});
        row("six fields: fixed", "15 30 2 * * *", "2026-01-01T00:00:00Z",
            {"2026-01-01T02:30:15Z", "2026-01-02T02:30:15Z", "2026-01-03T02:30:15Z"});
        row("strictly after", "0 0 * * *", "2026-01-01T00:00:00Z",
            {"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"});
        row("29 February", "0 0 29 2 *", "2026-01-01T00:00:00Z",
            {"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"});
        row("31st skips short months", "0 0 31 * *", "2026-01-31T00:00:00Z",
            {"2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"});
        row("@hourly", "@hourly", "2026-01-01T00:30:00Z",
            {"2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z", "2026-01-01T03:00:00Z"});
        row("@daily", "@daily", "2026-01-01T00:30:00Z",
            {"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"});
        row("@midnight", "@midnight", "2026-01-01T00:30:00Z", {"2026-01-02T00:00:00Z"});
        row("@weekly", "@weekly", "2026-01-01T00:00:00Z",
            {"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"});
        row("@monthly", "@monthly", "2026-01-15T00:00:00Z",
            {"2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"});
        row("@yearly", "@yearly", "2026-01-15T00:00:00Z",
            {"2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"});
        row("@annually", "@ANNUALLY", "2026-01-15T00:00:00Z", {"2027-01-01T00:00:00Z"});
        row("every 15m", "every 15m", "2026-01-01T00:07:00Z",
            {"2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z"});
        row("every 1h30m from the epoch", "every 1h30m", "2026-01-01T00:00:00Z",
            {"2026-01-01T01:30:00Z", "2026-01-01T03:00:00Z", "2026-01-01T04:30:00Z"});
        row("every with a phase", "every 1h phase 15m", "2026-01-01T00:20:00Z",
            {"2026-01-01T01:15:00Z", "2026-01-01T02:15:00Z"});
        row("every second", "every 1s", "2026-01-01T00:00:00.500Z",
            {"2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z"});
    }
    void nextInUtc()
    {
        QFETCH(QString, spec);
        QFETCH(QString, from);
        QFETCH(QStringList, expected);
        auto parsed = ScheduleSpec::parse(spec);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(nextFires(*parsed, from, QTimeZone::utc(), int(expected.size())), expected);
    }

    // Europe/Berlin in 2026: spring-forward on 29 March at 01:00 UTC (02:00 CET → 03:00 CEST),
    // fall-back on 25 October at 01:00 UTC (03:00 CEST → 02:00 CET).
    void daylightSaving_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QStringList>("expected");
        const auto row = [](const char *name, const char *spec, const char *zone, const char *from,
                            std::initializer_list<const char *> expected) {
            QTest::newRow(name) << QString::fromLatin1(spec) << QString::fromLatin1(zone)
                                << QString::fromLatin1(from) << texts(expected);
        };
        // 02:30 does not exist on 29 March: it fires once at the end of the gap (03:00 CEST).
        row("fixed time, spring-forward", "30 2 * * *", "Europe/Berlin", "2026-03-28T00:00:00Z",
            {"2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"});
        // 02:30 happens twice on 25 October: it fires at the first (CEST) only.
        row("fixed time, fall-back", "30 2 * * *", "Europe/Berlin", "2026-10-24T00:00:00Z",
            {"2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"});
        row("fixed time, from inside the repeated hour", "30 2 * * *", "Europe/Berlin",
            "2026-10-25T01:10:00Z", {"2026-10-26T01:30:00Z"});
        row("six fields, fixed, spring-forward", "0 0 2 * * *", "Europe/Berlin",
            "2026-03-28T12:00:00Z", {"2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z"});
        // Wildcard jobs follow real time: the skipped hour does not fire, the repeated one does.
        row("hourly, spring-forward", "0 * * * *", "Europe/Berlin", "2026-03-28T23:30:00Z",
            {"2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"});
        row("hourly, fall-back", "0 * * * *", "Europe/Berlin", "2026-10-24T23:30:00Z",
            {"2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"});
        row("minute wildcard in hour 2, spring-forward", "*/30 2 * * *", "Europe/Berlin",
            "2026-03-28T23:00:00Z", {"2026-03-30T00:00:00Z", "2026-03-30T00:30:00Z"});
        row("minute wildcard in hour 2, fall-back", "*/30 2 * * *", "Europe/Berlin",
            "2026-10-24T23:00:00Z",
            {"2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z",
             "2026-10-25T01:30:00Z", "2026-10-26T01:00:00Z"});
        row("local midnight", "@daily", "Europe/Berlin", "2026-03-28T12:00:00Z",
            {"2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"});
        // New York: spring-forward on 8 March 2026 at 07:00 UTC, fall-back on 1 November at 06:00.
        row("New York, spring-forward", "30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z",
            {"2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"});
        row("New York, fall-back", "30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z",
            {"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"});
        row("intervals ignore the zone", "every 1h", "Europe/Berlin", "2026-10-25T00:10:00Z",
            {"2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"});
        row("zone without daylight saving", "0 9 * * *", "Asia/Tokyo", "2026-01-01T00:00:00Z",
            {"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"});
    }
    void daylightSaving()
    {
        QFETCH(QString, spec);
        QFETCH(QString, zone);
        QFETCH(QString, from);
        QFETCH(QStringList, expected);
        const QTimeZone timeZone(zone.toUtf8());
        QVERIFY(timeZone.isValid());
        auto parsed = ScheduleSpec::parse(spec);
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(nextFires(*parsed, from, timeZone, int(expected.size())), expected);
    }

    // A 02:30 job in Berlin fires exactly once on each day of the year, both change days included.
    void onceEveryDayOfTheYear()
    {
        auto parsed = ScheduleSpec::parse(QStringLiteral("30 2 * * *"));
        QVERIFY(parsed);
        const QTimeZone berlin("Europe/Berlin");
        QHash<QDate, int> perDay;
        qint64 t = at(QStringLiteral("2025-12-31T12:00:00Z"));
        for (int i = 0; i < 365; ++i) {
            const auto next = parsed->nextFire(t, berlin);
            QVERIFY(next);
            QVERIFY(*next > t);
            ++perDay[QDateTime::fromMSecsSinceEpoch(*next, berlin).date()];
            t = *next;
        }
        QCOMPARE(perDay.size(), 365);
        for (auto it = perDay.cbegin(); it != perDay.cend(); ++it)
            QCOMPARE(it.value(), 1);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");
        const auto row = [](const char *spec, const char *message) {
            QTest::newRow(spec) << QString::fromLatin1(spec) << QString::fromLatin1(message);
        };
        row("0 25 * * *", "field 2 (hour): 25 is out of range 0-23");
        row("60 * * * * *", "field 1 (second): 60 is out of range 0-59");
        row("0 60 * * * *", "field 2 (minute): 60 is out of range 0-59");
        row("0 0 0 * *", "field 3 (day-of-month): 0 is out of range 1-31");
        row("0 0 * 13 *", "field 4 (month): 13 is out of range 1-12");
        row("0 0 * FOO *", "field 4 (month): \"FOO\" is not a month; use 1-12 or JAN-DEC");
        row("0 0 * * 8", "field 5 (day-of-week): 8 is out of range 0-7");
        row("0 0 * * MOX",
            "field 5 (day-of-week): \"MOX\" is not a day-of-week; use 0-7 or SUN-SAT");
        row("x * * * *", "field 1 (minute): \"x\" is not a number from 0 to 59");
        row("*/0 * * * *", "field 1 (minute): step \"0\" in \"*/0\" must be a whole number");
        row("*/x * * * *", "field 1 (minute): step \"x\"");
        row("0 */99 * * *", "field 2 (hour): step 99 in \"*/99\" is larger");
        row("5-3 * * * *", "field 1 (minute): range \"5-3\" goes backwards; write 3-5");
        row("1,,2 * * * *", "field 1 (minute): an empty entry in \"1,,2\"");
        row("0 0 30 2 *", "field 3 (day-of-month): no month chosen in field 4 has day 30");
        row("0 0 0 30 2 *", "field 4 (day-of-month): no month chosen in field 5 has day 30");
        row("* * * *", "has 4");
        row("* * * * * * *", "has 7");
        row("", "the spec is empty");
        row("@fortnightly", "unknown macro \"@fortnightly\"");
        row("every 15x", "every: \"15x\" is not a duration");
        row("every", "every: the interval is missing");
        row("every 500ms", "every: the interval must be at least 1s");
        row("every 1h phase 2h", "every: the phase 2h must be shorter than the interval 1h");
        row("every 1h after 5m", "write an interval as");
    }
    void errors()
    {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        auto parsed = ScheduleSpec::parse(spec);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(parsed.error().message.contains(message), qPrintable(parsed.error().message));
    }

    void errorDetailsPointAtThePart()
    {
        auto parsed = ScheduleSpec::parse(QStringLiteral("0 1,25 * * *"));
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().details.value(QStringLiteral("field")).toInt(), 2);
        QCOMPARE(parsed.error().details.value(QStringLiteral("field_name")).toString(),
                 QStringLiteral("hour"));
        QCOMPARE(parsed.error().details.value(QStringLiteral("part")).toString(),
                 QStringLiteral("25"));
    }

    void describe_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("text");
        const auto row = [](const char *spec, const char *zone, const char *text) {
            QTest::newRow(spec) << QString::fromLatin1(spec) << QString::fromLatin1(zone)
                                << QString::fromLatin1(text);
        };
        row("0 2 * * *", "Europe/Berlin", "At 02:00 every day, Europe/Berlin");
        row("@daily", "UTC", "At 00:00 every day, UTC");
        row("0 9 * * MON-FRI", "UTC", "At 09:00 on weekdays, UTC");
        row("30 4 1 * *", "UTC", "At 04:30 on day 1 of the month, UTC");
        row("*/15 * * * *", "UTC", "Every 15 minutes, UTC");
        row("* * * * *", "UTC", "Every minute, UTC");
        row("@hourly", "UTC", "Every hour at :00, UTC");
        row("*/5 * * * * *", "UTC", "Every 5 seconds, UTC");
        row("0 0 1 JAN *", "UTC", "At 00:00 on day 1 of the month in January, UTC");
        row("every 1h30m", "UTC", "Every 1 h 30 min");
        row("every 15m phase 5m", "UTC", "Every 15 min (phase 5 min)");
    }
    void describe()
    {
        QFETCH(QString, spec);
        QFETCH(QString, zone);
        QFETCH(QString, text);
        auto parsed = ScheduleSpec::parse(spec);
        QVERIFY(parsed);
        QCOMPARE(parsed->describe(QTimeZone(zone.toUtf8())), text);
    }
};

QTEST_GUILESS_MAIN(TestScheduleSpec)
#include "tst_schedulespec.moc"
