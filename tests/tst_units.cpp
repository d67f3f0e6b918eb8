// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Units a person reads: durations printed and typed both ways, and the English translation
// loaded whenever no other language matches (plural forms under LANG=C.UTF-8).

#include "durationformat.h"
#include "translationloader.h"

#include <QCoreApplication>
#include <QTest>
#include <QTranslator>

using QueueDeck::Ui::DurationFormat;
using QueueDeck::Ui::TranslationLoader;

class TestUnits final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void formats_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("ms") << qint64(850) << QStringLiteral("850 ms");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0 ms");
        QTest::newRow("seconds, a tenth") << qint64(19'498) << QStringLiteral("19.5 s");
        QTest::newRow("whole seconds") << qint64(5'000) << QStringLiteral("5 s");
        QTest::newRow("minutes") << qint64(300'000) << QStringLiteral("5 min");
        QTest::newRow("minutes and seconds") << qint64(90'000) << QStringLiteral("1 min 30 s");
        QTest::newRow("hours and minutes") << qint64(5'400'000) << QStringLiteral("1 h 30 min");
        QTest::newRow("a week") << qint64(604'800'000) << QStringLiteral("7 days");
        QTest::newRow("one day") << qint64(86'400'000) << QStringLiteral("1 day");
        QTest::newRow("day and hours") << qint64(93'600'000) << QStringLiteral("1 day 2 h");
        QTest::newRow("rounded up") << qint64(3'599'800) << QStringLiteral("1 h");
    }
    void formats()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QTranslator english; // "%n day(s)" needs the English plural forms
        QVERIFY(!TranslationLoader::load(english, QLocale::c()).isEmpty());
        QCoreApplication::installTranslator(&english);
        QCOMPARE(DurationFormat::format(ms), text);
        QCoreApplication::removeTranslator(&english);
    }

    void parses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms"); // -1: refused
        QTest::newRow("90s") << QStringLiteral("90s") << qint64(90'000);
        QTest::newRow("1h 30m") << QStringLiteral("1h 30m") << qint64(5'400'000);
        QTest::newRow("5 min") << QStringLiteral("5 min") << qint64(300'000);
        QTest::newRow("7 days") << QStringLiteral("7 days") << qint64(604'800'000);
        QTest::newRow("19.5 s") << QStringLiteral("19.5 s") << qint64(19'500);
        QTest::newRow("250 ms") << QStringLiteral("250 ms") << qint64(250);
        QTest::newRow("1.5h") << QStringLiteral("1.5h") << qint64(5'400'000);
        QTest::newRow("German") << QStringLiteral("2 Tage 3 Stunden") << qint64(183'600'000);
        QTest::newRow("bare number: the field's unit") << QStringLiteral("42") << qint64(42'000);
        QTest::newRow("printed text reads back")
            << QStringLiteral("1 day 2 h") << qint64(93'600'000);
        QTest::newRow("unknown unit") << QStringLiteral("5 fortnights") << qint64(-1);
        QTest::newRow("two bare numbers") << QStringLiteral("1 30") << qint64(-1);
        QTest::newRow("empty") << QString() << qint64(-1);
        QTest::newRow("words only") << QStringLiteral("soon") << qint64(-1);
    }
    void parses()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const auto parsed = DurationFormat::parse(text);
        if (ms < 0) {
            QVERIFY(!parsed);
            QVERIFY2(parsed.error().message.contains(u"90s"), qPrintable(parsed.error().message));
            return;
        }
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(*parsed, ms);
    }

    void englishLoadsWhenNoLanguageMatches()
    {
        // LANG=C.UTF-8 gives the C locale: no "queuedeck_c"; English, not the source texts.
        QTranslator translator;
        QCOMPARE(TranslationLoader::load(translator, QLocale::c()), QStringLiteral("queuedeck_en"));
        QCoreApplication::installTranslator(&translator);
        QCOMPARE(QCoreApplication::translate("QueueDeck::Ui::WorkersView", "%n worker(s) shown",
                                             nullptr, 2),
                 QStringLiteral("2 workers shown"));
        QCoreApplication::removeTranslator(&translator);
        QTranslator unknown;
        QCOMPARE(TranslationLoader::load(unknown, QLocale(QLocale::Swahili)),
                 QStringLiteral("queuedeck_en"));
        QTranslator german;
        QCOMPARE(TranslationLoader::load(german, QLocale(QLocale::German, QLocale::Germany)),
                 QStringLiteral("queuedeck_de"));
    }
};

QTEST_GUILESS_MAIN(TestUnits)
#include "tst_units.moc"
