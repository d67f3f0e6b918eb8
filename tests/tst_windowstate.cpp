// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The window comes back as it was left: its size, the task browser's splitters, the tab in
// front, the queue and range of the charts — through a close and a new window, against a real
// server in this process, offscreen.

#include "apifixture.h"
#include "chartsview.h"
#include "dashboardcontroller.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "tasksview.h"
#include "windowstate.h"

#include <QApplication>
#include <QFile>
#include <QMainWindow>
#include <QMutex>
#include <QScopeGuard>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>

using namespace QueueDeck;
using namespace QueueDeck::Testing;
using Ui::ChartsView;

namespace {

struct LoggedMessage
{
    QtMsgType type;
    QString category;
    QString text;
};

QMutex s_loggedMutex;
QList<LoggedMessage> s_logged;

void recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    QMutexLocker lock(&s_loggedMutex);
    s_logged.append({type, QString::fromLatin1(context.category), text});
}

} // namespace

class TestWindowState final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settingsDir.apply());
    }

    void stateRestoredAfterReopen()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QD_AWAIT(mail, server.engine().createQueue(QStringLiteral("default"),
                                                   QStringLiteral("mail"), {}));
        QList<int> splitterSizes;
        QList<int> detailSizes;
        {
            Ui::MainWindow window;
            window.connectTo({server.url(), server.token(), false});
            window.show();
            window.resize(1100, 700);
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    window.charts()->setScope(mail.id); // offered with the first snapshot
                    return window.charts()->scope() == mail.id;
                }(),
                10000);
            window.charts()->setRange(ChartsView::Range::Day);
            window.tabs()->setCurrentWidget(window.tasks());
            auto *split = window.tasks()->findChild<QSplitter *>(QStringLiteral("taskSplitter"));
            auto *detail =
                window.tasks()->findChild<QSplitter *>(QStringLiteral("taskDetailSplitter"));
            QVERIFY(split && detail);
            split->setSizes({150, 450});
            detail->setSizes({100, 300, 600});
            QCoreApplication::processEvents();
            splitterSizes = split->sizes();
            detailSizes = detail->sizes();
            QVERIFY(window.close());
        }
        {
            Ui::MainWindow window;
            QCOMPARE(window.size(), QSize(1100, 700)); // before it is even shown
            window.connectTo({server.url(), server.token(), false});
            window.show();
            QCOMPARE(window.tabs()->currentWidget(), window.tasks());
            QCOMPARE(window.charts()->range(), ChartsView::Range::Day);
            QTRY_COMPARE_WITH_TIMEOUT(window.charts()->scope(), mail.id, 10000);
            auto *split = window.tasks()->findChild<QSplitter *>(QStringLiteral("taskSplitter"));
            auto *detail =
                window.tasks()->findChild<QSplitter *>(QStringLiteral("taskDetailSplitter"));
            QTRY_COMPARE(split->sizes(), splitterSizes);
            QCOMPARE(detail->sizes(), detailSizes);
        }
    }

    void goneQueueLeavesTheWholeServer()
    {
        // The kept queue was deleted meanwhile: the charts show the whole server, and no error.
        ApiFixture server;
        QVERIFY(server.start());
        {
            QSettings settings;
            settings.setValue(QStringLiteral("window/chartQueue"), QStringLiteral("q_gone000000"));
            settings.setValue(QStringLiteral("window/tab"), 99); // no such tab: the first
        }
        Ui::MainWindow window;
        window.connectTo({server.url(), server.token(), false});
        window.show();
        QCOMPARE(window.tabs()->currentIndex(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().updatedAtMs > 0, 10000);
        QCOMPARE(window.charts()->scope(), QString());
    }

    void failedSaveIsLogged()
    {
        // A file stands where the settings directory would be made: nothing can be kept, and the
        // window says so in its logging category rather than losing its state without a word.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QFile blocker(dir.filePath(QStringLiteral("blocker")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const QString unwritable = blocker.fileName() + QStringLiteral("/settings");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, unwritable);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, unwritable);
        const auto restoreSettings = qScopeGuard([this] { (void)m_settingsDir.apply(); });

        s_logged.clear();
        const QtMessageHandler previous = qInstallMessageHandler(&recordMessage);
        {
            QMainWindow window;
            Ui::WindowState state(&window);
            state.save();
        }
        qInstallMessageHandler(previous);

        QMutexLocker lock(&s_loggedMutex);
        const auto warned = std::find_if(s_logged.cbegin(), s_logged.cend(), [](const auto &m) {
            return m.type == QtWarningMsg && m.category == u"queuedeck.ui" &&
                   m.text.contains(QLatin1StringView("were not kept"));
        });
        QVERIFY2(warned != s_logged.cend(), "no warning in queuedeck.ui about the lost state");
        QVERIFY(warned->text.contains(unwritable));
    }

private:
    IsolatedSettings m_settingsDir;
};

QTEST_MAIN(TestWindowState)
#include "tst_windowstate.moc"
