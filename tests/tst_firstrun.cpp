// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The first run, through the real window against a real server in this process, offscreen: the
// guide on the dashboard (shown on a first run and on an empty server, gone when dismissed, back
// with F1); "Try It on This Computer" starting a real `qdeck worker` that attaches as the demo,
// runs its demo tasks and is gone when the window closes; a clear error without qdeck; the
// connect command on the card readable whole.

#include "apifixture.h"
#include "commandview.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "demoworker.h"
#include "firstrunguide.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "queuecardwidget.h"
#include "queuedeckclient.h"
#include "workersview.h"

#include <QApplication>
#include <QFontInfo>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextCursor>
#include <QTextDocument>
#include <QTranslator>

#include <csignal>

using namespace QueueDeck;
using namespace QueueDeck::Testing;
using Ui::DemoWorker;

namespace {

bool processAlive(qint64 pid)
{
    return pid > 0 && ::kill(pid_t(pid), 0) == 0;
}

} // namespace

class TestFirstRun final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settingsDir.apply());
    }
    void init() { QSettings().remove(QStringLiteral("firstRun")); }

    void guideShownOnFirstRunAndGoneWhenDismissed()
    {
        ApiFixture server;
        QVERIFY(server.start());
        {
            Ui::MainWindow window;
            window.connectTo({server.url(), server.token(), true});
            window.resize(1280, 800);
            window.show();
            Ui::FirstRunGuide *guide = window.guide();
            QVERIFY(guide);
            QVERIFY(guide->isVisible());
            QVERIFY(guide->tryButton()->isEnabled());
            QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().updatedAtMs > 0, 10000);
            QVERIFY(guide->isVisible()); // the default queue is there: still a first run
            QTest::mouseClick(guide->dismissButton(), Qt::LeftButton);
            QVERIFY(!guide->isVisible());
        }
        {
            // Kept: the next window starts without it; F1 brings it back.
            Ui::MainWindow window;
            window.connectTo({server.url(), server.token(), true});
            window.show();
            QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().updatedAtMs > 0, 10000);
            QVERIFY(!window.guide()->isVisible());
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QTest::keyClick(&window, Qt::Key_F1);
            QVERIFY(window.guide()->isVisible());
            QVERIFY(window.guide()->tryButton()->hasFocus());
        }
    }

    void emptyServerShowsTheGuide()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QSettings().setValue(QStringLiteral("firstRun/guideDismissed"), true);
        // The dashboard shows an environment without queues.
        QD_AWAIT_VOID(server.engine().createEnvironment({QStringLiteral("staging"), {}, true, 0}));
        QSettings().setValue(QStringLiteral("dashboard/environment"), QStringLiteral("staging"));
        Ui::MainWindow window;
        window.connectTo({server.url(), server.token(), true});
        window.show();
        // Dismissed before, but there is nothing to see: the guide says where to begin.
        QTRY_VERIFY_WITH_TIMEOUT(window.guide()->isVisible(), 10000);
        QVERIFY(window.guide()->findChild<QLabel *>() != nullptr);
        bool saysNewQueue = false;
        for (const QLabel *label : window.guide()->findChildren<QLabel *>())
            saysNewQueue |= label->isVisible() && label->text().contains(u"New Queue");
        QVERIFY(saysNewQueue);
        QSettings().remove(QStringLiteral("dashboard/environment"));
    }

    void demoWorkerAttachesRunsItsTasksAndStopsWithTheWindow()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient admin({server.url(), server.token()});
        qint64 pid = 0;
        {
            Ui::MainWindow window;
            window.demoWorker()->setProgram(QStringLiteral(QDECK_PATH));
            window.connectTo({server.url(), server.token(), true});
            window.resize(1280, 800);
            window.show();
            Ui::FirstRunGuide *guide = window.guide();
            QTest::mouseClick(guide->tryButton(), Qt::LeftButton);
            // Attached, named and labelled as the demo.
            QTRY_VERIFY_WITH_TIMEOUT(window.demoWorker()->isRunning(), 10000);
            QTRY_VERIFY2_WITH_TIMEOUT(
                [&] {
                    auto workers = admin.listWorkers().result();
                    return workers && workers->size() == 1 &&
                           workers->first().id == DemoWorker::Name &&
                           workers->first().labels.value(QStringLiteral("demo")) == u"true";
                }(),
                qPrintable(guide->demoStatus()), 15000);
            const QString queueId = window.demoWorker()->queueId();
            QVERIFY(!queueId.isEmpty());
            QTRY_VERIFY_WITH_TIMEOUT(window.dashboard()->card(queueId), 10000);
            QTRY_COMPARE_WITH_TIMEOUT(window.dashboard()->card(queueId)->statusText(),
                                      QStringLiteral("Active"), 10000);
            // Its tasks run to the end; the guide says so.
            QTRY_COMPARE_WITH_TIMEOUT(window.demoWorker()->tasksDone(), DemoWorker::TaskCount,
                                      30000);
            QVERIFY2(guide->demoStatus().contains(u"5 of 5"), qPrintable(guide->demoStatus()));
            window.grab().save(QDir::temp().filePath(QStringLiteral("queuedeck-demo.png")));
            QD_AWAIT(page, admin.listTasks(queueId));
            QCOMPARE(page.items.size(), DemoWorker::TaskCount);
            for (const TaskInfo &task : page.items)
                QCOMPARE(task.state, TaskState::Succeeded);
            QTRY_COMPARE_WITH_TIMEOUT(window.workers()->visibleRows(), 1, 10000);

            pid = window.demoWorker()->findChild<QProcess *>()->processId();
            QVERIFY(processAlive(pid));
            // Closing the window stops it: not counted as a worker to keep serving (no question).
            QVERIFY(window.close());
            QVERIFY(!window.demoWorker()->isRunning());
        }
        QVERIFY(!processAlive(pid));
        // It drained and deregistered: gone from the server, not lost.
        QD_AWAIT(left, admin.listWorkers());
        QVERIFY(left.isEmpty());
    }

    void demoWorkerStopsWhenTheWindowIsDestroyed()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient admin({server.url(), server.token()});
        qint64 pid = 0;
        {
            auto window = std::make_unique<Ui::MainWindow>();
            window->demoWorker()->setProgram(QStringLiteral(QDECK_PATH));
            window->connectTo({server.url(), server.token(), true});
            window->show();
            window->tryDemo();
            QTRY_VERIFY_WITH_TIMEOUT(window->demoWorker()->isRunning(), 10000);
            pid = window->demoWorker()->findChild<QProcess *>()->processId();
            QTRY_VERIFY_WITH_TIMEOUT(
                admin.listWorkers().result().value_or(QList<WorkerInfo>()).size() == 1, 15000);
        }
        QVERIFY(!processAlive(pid)); // no orphan
        QD_AWAIT(left, admin.listWorkers());
        QVERIFY(left.isEmpty());
    }

    void guideSpeaksGerman()
    {
        QTranslator german;
        QVERIFY(german.load(QStringLiteral(":/i18n/queuedeck_de.qm")));
        QCoreApplication::installTranslator(&german);
        ApiFixture server;
        QVERIFY(server.start());
        {
            Ui::MainWindow window;
            window.connectTo({server.url(), server.token(), true});
            window.resize(1280, 800);
            window.show();
            QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().updatedAtMs > 0, 10000);
            QCOMPARE(window.guide()->tryButton()->text(),
                     QStringLiteral("Auf diesem Computer &ausprobieren"));
            const QString queueId = window.controller()->lastSnapshot().cards.first().queue.id;
            QTRY_VERIFY_WITH_TIMEOUT(
                window.dashboard()->card(queueId) &&
                    !window.dashboard()->card(queueId)->connectCommand().isEmpty(),
                10000);
            // The command, wrapped at the card's width, above the card's actions.
            Ui::QueueCardWidget *card = window.dashboard()->card(queueId);
            auto *command = card->findChild<QWidget *>(QStringLiteral("connectCommand"));
            auto *configure = card->findChild<QWidget *>(QStringLiteral("Configure"));
            QTRY_VERIFY(command->geometry().bottom() < configure->geometry().top());
            auto *view = static_cast<Ui::CommandView *>(command);
            QTRY_COMPARE(view->viewport()->geometry().bottom(),
                         view->height() - 1 - view->frameWidth()); // the frame drawn whole
            QVERIFY(view->viewport()->height() >= 2 * view->fontMetrics().height());
            // As tall as its lines: nothing cut, no empty lines below.
            QTRY_VERIFY(view->document()->size().height() <= view->viewport()->height() &&
                        view->viewport()->height() - view->document()->size().height() <
                            view->fontMetrics().height());
            window.grab().save(QDir::temp().filePath(QStringLiteral("queuedeck-firstrun-de.png")));
        }
        QCoreApplication::removeTranslator(&german);
    }

    void missingQdeckIsSaidClearly()
    {
        // No qdeck beside this program (the tests' directory) and none on the PATH.
        const QByteArray path = qgetenv("PATH");
        QTemporaryDir empty;
        qputenv("PATH", QFile::encodeName(empty.path()));
        ApiFixture server;
        QVERIFY(server.start());
        Ui::MainWindow window;
        window.connectTo({server.url(), server.token(), true});
        window.show();
        QTest::mouseClick(window.guide()->tryButton(), Qt::LeftButton);
        qputenv("PATH", path);
        QCOMPARE(window.demoWorker()->state(), DemoWorker::State::Failed);
        const QString status = window.guide()->demoStatus();
        QVERIFY2(status.contains(u"qdeck program was not found") &&
                     status.contains(u"scripts/dev.sh build"),
                 qPrintable(status));
        auto *label = window.guide()->findChild<QLabel *>(QStringLiteral("demoStatus"));
        QVERIFY(label->isVisible());
        QVERIFY(label->styleSheet().contains(u"color"));
    }

    void demoIsOfferedOnlyForThisComputersServer()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Ui::MainWindow window;
        window.connectTo({server.url(), server.token(), false}); // a remote server
        window.show();
        QVERIFY(!window.guide()->tryButton()->isEnabled());
        QVERIFY(window.guide()->tryButton()->toolTip().contains(u"this computer's own server"));
    }

    void connectCommandIsReadableWhole()
    {
        ApiFixture server;
        // A long program path, as when qdeck is found beside the app: nothing to break it at.
        server.setWorkerProgram(QStringLiteral("/opt/queuedeck/a/rather/long/path/to/bin/qdeck"));
        QVERIFY(server.start());
        Client::QueueDeckClient admin({server.url(), server.token()});
        Ui::MainWindow window;
        window.connectTo({server.url(), server.token(), true});
        window.resize(1280, 800);
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(window.controller()->lastSnapshot().cards.size(), 1, 10000);
        const QString queueId = window.controller()->lastSnapshot().cards.first().queue.id;
        QD_AWAIT(expected, admin.workerCommand(queueId));
        const QString command = expected.value(QStringLiteral("command")).toString();
        auto *view = window.dashboard()->card(queueId)->findChild<Ui::CommandView *>(
            QStringLiteral("connectCommand"));
        QVERIFY(view);
        QTRY_COMPARE_WITH_TIMEOUT(view->command(), command, 10000);
        QCoreApplication::processEvents();
        // Longer than a line of the card: wrapped, every line inside the widget, nothing cut.
        QVERIFY(view->fontMetrics().horizontalAdvance(command) > view->viewport()->width());
        QVERIFY(QFontInfo(view->font()).fixedPitch());
        QTRY_VERIFY(view->document()->size().height() <= view->viewport()->height() &&
                    view->viewport()->height() - view->document()->size().height() <
                        view->fontMetrics().height());
        QTRY_VERIFY(view->geometry().bottom() <
                    window.dashboard()
                        ->card(queueId)
                        ->findChild<QWidget *>(QStringLiteral("Configure"))
                        ->geometry()
                        .top());
        QVERIFY(view->document()->size().width() <= view->viewport()->width() + 1);
        QVERIFY(view->document()->lineCount() >= 1);
        // Selectable with the keyboard, read-only.
        QVERIFY(view->isReadOnly());
        QVERIFY(view->textInteractionFlags() & Qt::TextSelectableByKeyboard);
        QVERIFY(view->textInteractionFlags() & Qt::TextSelectableByMouse);
        view->setFocus();
        QTest::keyClick(view, Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(view->textCursor().selectedText(), command);
        const QImage picture = window.grab().toImage();
        QVERIFY(picture.save(QDir::temp().filePath(QStringLiteral("queuedeck-firstrun.png"))));
    }

private:
    IsolatedSettings m_settingsDir;
};

QTEST_MAIN(TestFirstRun)
#include "tst_firstrun.moc"
