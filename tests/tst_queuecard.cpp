// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The dashboard's queue card, offscreen: capacity text and bar, status, each warning, Copy.

#include "commandview.h"
#include "queuecardwidget.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace QueueDeck;
using namespace QueueDeck::Ui;

namespace {

QueueCard card(int online, int maxWorkers, qint64 queued, QueueStatus status = QueueStatus::Active)
{
    QueueCard c;
    c.queue.id = QStringLiteral("q_test000001");
    c.queue.name = QStringLiteral("emails");
    c.queue.environment = QStringLiteral("default");
    c.queue.settings.maxWorkers = maxWorkers;
    c.queue.settings.paused = status == QueueStatus::Paused;
    c.queue.status = status;
    c.queue.counts.workersOnline = online;
    c.queue.counts.queued = queued;
    c.addRate = 12.5;
    c.completionRate = 11;
    c.waitP95Ms = 40;
    return c;
}

} // namespace

class TestQueueCard final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void capacityTextAndBar()
    {
        QueueCardWidget widget;
        widget.setCard(card(3, 10, 0));
        QCOMPARE(widget.capacityText(), QStringLiteral("3 / 10 workers"));
        auto *bar = widget.findChild<QProgressBar *>();
        QVERIFY(bar);
        QVERIFY(!bar->isHidden());
        QCOMPARE(bar->maximum(), 10);
        QCOMPARE(bar->value(), 3);
        QCOMPARE(QueueCardWidget::capacityUse(card(3, 10, 0).queue), 0.3);

        widget.setCard(card(4, 0, 0)); // unlimited: a count, no bar
        QCOMPARE(widget.capacityText(), QStringLiteral("4 worker(s)"));
        QVERIFY(bar->isHidden());
    }

    void status()
    {
        QueueCardWidget widget;
        widget.setCard(card(1, 5, 0, QueueStatus::Active));
        QCOMPARE(widget.statusText(), QStringLiteral("Active"));
        widget.setCard(card(0, 5, 0, QueueStatus::Idle));
        QCOMPARE(widget.statusText(), QStringLiteral("Idle"));
        widget.setCard(card(0, 5, 0, QueueStatus::Paused));
        QCOMPARE(widget.statusText(), QStringLiteral("Paused"));
    }

    void warningsSayTheFix()
    {
        QueueCardWidget widget;
        widget.show();
        widget.setCard(card(2, 5, 0));
        QCOMPARE(widget.warningText(), QString());
        widget.setCard(card(0, 5, 7, QueueStatus::Idle));
        QCOMPARE(
            widget.warningText(),
            QStringLiteral("Tasks are waiting but no worker is online — copy the connect command"));
        widget.setCard(card(5, 5, 7));
        QCOMPARE(widget.warningText(), QStringLiteral("No capacity — raise Max Workers"));
        widget.setCard(card(0, 5, 3, QueueStatus::Paused));
        QVERIFY2(widget.warningText().startsWith(u"Paused with"), qPrintable(widget.warningText()));
        QueueCard lost = card(1, 5, 0);
        lost.queue.counts.workersLost = 2;
        widget.setCard(lost);
        QVERIFY2(widget.warningText().contains(u"lost"), qPrintable(widget.warningText()));
    }

    void copyPutsTheCommandOnTheClipboard()
    {
        QueueCardWidget widget;
        widget.setCard(card(0, 5, 0));
        const QString command = QStringLiteral(
            "QUEUEDECK_TOKEN=qdj_abc qdeck worker start --queue-id q_test000001 --server "
            "http://127.0.0.1:7070 -- ./handle-task");
        widget.setConnectCommand(command);
        QGuiApplication::clipboard()->clear();
        auto *copy = widget.findChild<QToolButton *>(QStringLiteral("copy"));
        QVERIFY(copy);
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), command);
        QCOMPARE(copy->text(), QStringLiteral("Copied")); // a brief confirmation
        QTRY_COMPARE_WITH_TIMEOUT(copy->text(), QStringLiteral("Copy"), 3000);
    }

    void platformSwitchAsksForItsCommandAndCopiesAllOfIt()
    {
        QueueCardWidget widget;
        widget.setCard(card(0, 5, 0));
        widget.setConnectCommand(QStringLiteral("QUEUEDECK_TOKEN=qdj_abc qdeck worker start"));
        QSignalSpy wanted(&widget, &QueueCardWidget::commandWanted);
        widget.setPlatform(QStringLiteral("docker"));
        QCOMPARE(wanted.size(), 1);
        QCOMPARE(wanted.at(0).at(1).toString(), QStringLiteral("docker"));
        auto *copy = widget.findChild<QToolButton *>(QStringLiteral("copy"));
        QVERIFY(!copy->isEnabled()); // nothing to copy until the script is there
        const QString script = QStringLiteral("#!/bin/sh\nset -eu\ndocker run --env-file x\n");
        widget.setConnectCommand(script, QStringLiteral("docker"));
        QVERIFY(copy->isEnabled());
        QVERIFY2(widget.findChild<Ui::CommandView *>()->command().contains(u"Docker"),
                 qPrintable(widget.findChild<Ui::CommandView *>()->command()));
        QGuiApplication::clipboard()->clear();
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), script);
        widget.setPlatform(QStringLiteral("local")); // known already: not asked again
        QCOMPARE(wanted.size(), 1);
        QCOMPARE(widget.connectCommand(),
                 QStringLiteral("QUEUEDECK_TOKEN=qdj_abc qdeck worker start"));
    }

    void actionsSayWhichQueueAndWhat()
    {
        QueueCardWidget widget;
        widget.setCard(card(1, 5, 0));
        QSignalSpy actions(&widget, &QueueCardWidget::actionRequested);
        QTest::mouseClick(widget.findChild<QToolButton *>(QStringLiteral("Configure")),
                          Qt::LeftButton);
        auto *pause = widget.findChild<QToolButton *>(QStringLiteral("pauseResume"));
        QTest::mouseClick(pause, Qt::LeftButton);
        widget.setCard(card(1, 5, 0, QueueStatus::Paused));
        QTest::mouseClick(pause, Qt::LeftButton);
        QCOMPARE(actions.size(), 3);
        QCOMPARE(actions.at(0).at(0).toString(), QStringLiteral("q_test000001"));
        QCOMPARE(actions.at(0).at(1).value<QueueCardWidget::Action>(),
                 QueueCardWidget::Action::Configure);
        QCOMPARE(actions.at(1).at(1).value<QueueCardWidget::Action>(),
                 QueueCardWidget::Action::Pause);
        QCOMPARE(actions.at(2).at(1).value<QueueCardWidget::Action>(),
                 QueueCardWidget::Action::Resume);
    }
};

QTEST_MAIN(TestQueueCard)
#include "tst_queuecard.moc"
