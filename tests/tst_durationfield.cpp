// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The duration field: typed either way ("90s", "1h 30m", a bare number in the field's unit),
// printed as a person reads it once editing is done, bounded, with a word for zero; and the
// Configure dialog built from such fields, with max_active_runs and child_queues, checked before
// anything is sent.

#include "durationfield.h"
#include "queuedialog.h"
#include "translationloader.h"

#include <QCoreApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPromise>
#include <QSpinBox>
#include <QTest>
#include <QTranslator>

using QueueDeck::Ui::DurationField;

class TestDurationField final : public QObject
{
    Q_OBJECT

    QTranslator m_english;

private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(!QueueDeck::Ui::TranslationLoader::load(m_english, QLocale::c()).isEmpty());
        QCoreApplication::installTranslator(&m_english);
    }

    void typedAndPrinted_data()
    {
        QTest::addColumn<qint64>("bareUnitMs");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<qint64>("ms");       // -1: refused
        QTest::addColumn<QString>("printed"); // what the field shows after editing
        QTest::newRow("90s") << qint64(1000) << QStringLiteral("90s") << qint64(90'000)
                             << QStringLiteral("1 min 30 s");
        QTest::newRow("1h 30m") << qint64(1000) << QStringLiteral("1h 30m") << qint64(5'400'000)
                                << QStringLiteral("1 h 30 min");
        QTest::newRow("bare seconds")
            << qint64(1000) << QStringLiteral("600") << qint64(600'000) << QStringLiteral("10 min");
        QTest::newRow("bare milliseconds")
            << qint64(1) << QStringLiteral("250") << qint64(250) << QStringLiteral("250 ms");
        QTest::newRow("7 days") << qint64(1000) << QStringLiteral("7 days") << qint64(604'800'000)
                                << QStringLiteral("7 days");
        QTest::newRow("one day") << qint64(1000) << QStringLiteral("24h") << qint64(86'400'000)
                                 << QStringLiteral("1 day");
        QTest::newRow("decimal") << qint64(1000) << QStringLiteral("19.5 s") << qint64(19'500)
                                 << QStringLiteral("19.5 s");
        QTest::newRow("German words") << qint64(1000) << QStringLiteral("2 Stunden")
                                      << qint64(7'200'000) << QStringLiteral("2 h");
        QTest::newRow("zero word")
            << qint64(1000) << QStringLiteral("never") << qint64(0) << QStringLiteral("never");
        QTest::newRow("not a duration")
            << qint64(1000) << QStringLiteral("soon") << qint64(-1) << QStringLiteral("soon");
        QTest::newRow("too long") << qint64(1000) << QStringLiteral("400 days") << qint64(-1)
                                  << QStringLiteral("400 days");
    }
    void typedAndPrinted()
    {
        QFETCH(qint64, bareUnitMs);
        QFETCH(QString, typed);
        QFETCH(qint64, ms);
        QFETCH(QString, printed);
        DurationField field(bareUnitMs);
        field.setRange(0, 366LL * 24 * 3600 * 1000);
        field.setZeroText(QStringLiteral("never"));
        field.setValue(5000);
        QCOMPARE(field.text(), QStringLiteral("5 s"));
        field.show();
        field.setFocus();
        field.selectAll();
        QTest::keyClicks(&field, typed);
        QTest::keyClick(&field, Qt::Key_Return); // editing finished
        QCOMPARE(field.text(), printed);
        if (ms < 0) {
            QVERIFY(!field.isValid());
            QVERIFY(!field.errorText().isEmpty());
            QCOMPARE(field.value(), qint64(5000)); // the last good value stays
        } else {
            QVERIFY2(field.isValid(), qPrintable(field.errorText()));
            QCOMPARE(field.value(), ms);
        }
    }

    void printedFormIsValidWithoutATranslation()
    {
        QCoreApplication::removeTranslator(&m_english); // "%n day(s)" stays as it is
        DurationField field;
        field.setRange(0, 366LL * 24 * 3600 * 1000);
        field.setValue(7LL * 24 * 3600 * 1000);
        const bool valid = field.isValid();
        const qint64 value = field.value();
        const QString said = field.text() + u' ' + field.errorText();
        QCoreApplication::installTranslator(&m_english);
        QVERIFY2(valid, qPrintable(said));
        QCOMPARE(value, 7LL * 24 * 3600 * 1000);
    }

    void bounded()
    {
        DurationField field;
        field.setRange(5000, 3600 * 1000);
        field.setText(QStringLiteral("2s"));
        QCOMPARE(field.errorText(), QStringLiteral("At least 5 s."));
        field.setText(QStringLiteral("2h"));
        QCOMPARE(field.errorText(), QStringLiteral("At most 1 h."));
        field.setValue(1);
        QCOMPARE(field.value(), qint64(5000));
    }

    void configureDialogUsesDurationsAndRunSettings()
    {
        using namespace QueueDeck;
        QueueInfo queue;
        queue.id = QStringLiteral("q_aaaaaaaaaa");
        queue.name = QStringLiteral("batch");
        queue.environment = QStringLiteral("default");
        queue.settings.retentionS = 7 * 24 * 3600;
        queue.settings.taskTimeoutS = 300;
        int sent = 0;
        Ui::QueueDialog dialog(
            [&sent](const Ui::QueueDraft &) {
                ++sent;
                QPromise<Result<QueueInfo>> promise;
                promise.start();
                promise.addResult(QueueInfo{});
                promise.finish();
                return promise.future();
            },
            queue);
        dialog.show();
        auto *retention = dialog.findChild<DurationField *>(QStringLiteral("retention_s"));
        auto *timeout = dialog.findChild<DurationField *>(QStringLiteral("task_timeout_s"));
        QVERIFY(retention && timeout);
        QCOMPARE(retention->text(), QStringLiteral("7 days"));
        QCOMPARE(timeout->text(), QStringLiteral("5 min"));

        timeout->setText(QStringLiteral("1h 30m"));
        auto *runs = dialog.findChild<QSpinBox *>(QStringLiteral("max_active_runs"));
        auto *children = dialog.findChild<QLineEdit *>(QStringLiteral("child_queues"));
        QVERIFY(runs && children);
        runs->setValue(2);
        children->setText(QStringLiteral("q_bbbbbbbbbb, publish"));
        dialog.accept();
        QCOMPARE(sent, 0);
        QVERIFY2(dialog.errorText(QStringLiteral("child_queues")).contains(u"\"publish\""),
                 qPrintable(dialog.errorText(QStringLiteral("child_queues"))));
        children->setText(QStringLiteral("q_bbbbbbbbbb q_cccccccccc"));
        retention->setText(QStringLiteral("a week"));
        dialog.accept();
        QCOMPARE(sent, 0);
        QVERIFY(dialog.errorText(QStringLiteral("retention_s")).contains(u"not a duration"));
        retention->setText(QStringLiteral("14 days"));

        const Ui::QueueDraft draft = dialog.draft();
        QCOMPARE(draft.settings.taskTimeoutS, qint64(5400));
        QCOMPARE(draft.settings.retentionS, qint64(14 * 24 * 3600));
        QCOMPARE(draft.settings.maxActiveRuns, 2);
        QCOMPARE(draft.settings.childQueues,
                 QStringList({QStringLiteral("q_bbbbbbbbbb"), QStringLiteral("q_cccccccccc")}));
        const QueuePatch patch = Ui::QueueDialog::patchBetween(queue, draft);
        QVERIFY(patch.maxActiveRuns == 2);
        QVERIFY(patch.childQueues.has_value());
        dialog.accept();
        QCOMPARE(sent, 1);
    }
};

QTEST_MAIN(TestDurationField)
#include "tst_durationfield.moc"
