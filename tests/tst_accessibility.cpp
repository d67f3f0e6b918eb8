// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Keyboard and accessibility, through the real window against a real server in this process,
// offscreen: every control of the main window (each tab) and of each dialog has an accessible
// name — the name a screen reader says (QAccessible), translated (built with tr(): a marking
// translator shows each one), never the objectName, unique within its window — in English and
// in German; the shortcuts (New Queue, Enqueue, Find, Refresh, the tabs); focus drawn visibly in a
// light and a dark palette; the dashboard's tab order follows its reading order.

#include "apifixture.h"
#include "chartsview.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "embeddedserver.h"
#include "enqueuedialog.h"
#include "environmentsdialog.h"
#include "firstrunguide.h"
#include "focusstyle.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "queuecardwidget.h"
#include "queuedialog.h"
#include "schedulesview.h"
#include "tasksview.h"
#include "tokensdialog.h"
#include "workersview.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAccessible>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QGraphicsView>
#include <QHeaderView>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextEdit>
#include <QTranslator>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

constexpr QChar Open = u'⟦';

// Marks every string that went through tr() (ours and Qt's): an accessible name without the
// mark was not translated.
class MarkingTranslator final : public QTranslator
{
public:
    QString translate(const char *, const char *sourceText, const char *, int) const override
    {
        if (!sourceText || !*sourceText)
            return {};
        return Open + QString::fromUtf8(sourceText) + u'⟧';
    }
    bool isEmpty() const override { return false; }
};

// A widget a person operates (and a screen reader must name), not a part of one.
bool isControl(const QWidget *widget)
{
    if (qobject_cast<const QTabBar *>(widget))
        return true;
    if (widget->objectName().startsWith(u"qt_") || qobject_cast<const QScrollBar *>(widget) ||
        qobject_cast<const QHeaderView *>(widget))
        return false;
    for (const QWidget *parent = widget->parentWidget(); parent; parent = parent->parentWidget()) {
        if (qobject_cast<const QAbstractSpinBox *>(parent) ||
            qobject_cast<const QComboBox *>(parent) || qobject_cast<const QTabBar *>(parent))
            return false; // the line edit of a spin box, the arrows of a tab bar
    }
    return qobject_cast<const QAbstractButton *>(widget) ||
           qobject_cast<const QComboBox *>(widget) || qobject_cast<const QLineEdit *>(widget) ||
           qobject_cast<const QAbstractSpinBox *>(widget) ||
           qobject_cast<const QAbstractItemView *>(widget) ||
           qobject_cast<const QTextEdit *>(widget) ||
           qobject_cast<const QPlainTextEdit *>(widget) ||
           qobject_cast<const QAbstractSlider *>(widget) ||
           qobject_cast<const QGraphicsView *>(widget);
}

// What a screen reader says the control is: its accessible name, else the label that names it
// (a buddy, the label of its form row), else what its kind says (a button's text). A combo box's
// Name on Unix is its current value, so its label counts there, never its value.
QString accessibleName(QWidget *widget)
{
    if (!widget->accessibleName().isEmpty())
        return widget->accessibleName();
    QAccessibleInterface *face = QAccessible::queryAccessibleInterface(widget);
    if (!face)
        return {};
    if (!qobject_cast<QComboBox *>(widget)) {
        if (const QString name = face->text(QAccessible::Name); !name.isEmpty())
            return name;
    }
    for (const auto &[label, relation] : face->relations(QAccessible::Label)) {
        if (const QString text = label->text(QAccessible::Name); !text.isEmpty())
            return text;
    }
    return {};
}

QString describe(const QWidget *widget)
{
    return QStringLiteral("%1 \"%2\"")
        .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName());
}

// The controls of a window as a person can reach them: each page of each tab widget in turn.
QList<QWidget *> controlsOf(QWidget *window)
{
    QList<QWidget *> found;
    const auto collect = [&] {
        for (QWidget *widget : window->findChildren<QWidget *>()) {
            if (widget->isVisibleTo(window) && isControl(widget) && !found.contains(widget))
                found.append(widget);
        }
    };
    collect();
    for (QTabWidget *tabs : window->findChildren<QTabWidget *>()) {
        const int was = tabs->currentIndex();
        for (int index = 0; index < tabs->count(); ++index) {
            tabs->setCurrentIndex(index);
            collect();
        }
        tabs->setCurrentIndex(was);
    }
    return found;
}

// Problems of the window's names, one line each; `marked`: every name must carry the mark.
QStringList nameProblems(QWidget *window, bool marked)
{
    QStringList problems;
    QHash<QString, QWidget *> seen;
    for (QWidget *widget : controlsOf(window)) {
        const QString name = accessibleName(widget);
        if (name.trimmed().isEmpty()) {
            problems.append(describe(widget) + QStringLiteral(": no accessible name"));
            continue;
        }
        if (!widget->objectName().isEmpty() && name == widget->objectName())
            problems.append(describe(widget) + QStringLiteral(": named by its objectName"));
        if (marked && !name.contains(Open))
            problems.append(describe(widget) + QStringLiteral(": \"%1\" not translated").arg(name));
        if (QWidget *other = seen.value(name); other && other != widget)
            problems.append(describe(widget) +
                            QStringLiteral(": \"%1\" also names %2").arg(name, describe(other)));
        seen.insert(name, widget);
    }
    return problems;
}

class FakeEmbedded final : public Ui::EmbeddedServer
{
public:
    QUrl url() const override { return QUrl(QStringLiteral("http://127.0.0.1:1")); }
    QString adminToken() const override { return {}; }
    QString applyNetwork(const Ui::NetworkSettings &) override { return {}; }
    Ui::NetworkSettings network() const override { return {}; }
    QString securityWarning() const override { return {}; }
    QString faktoryUrl() const override { return {}; }
    Result<QString> faktoryPassword() override { return QStringLiteral("secret"); }
    Result<QString> rotateFaktoryPassword() override { return QStringLiteral("secret2"); }
};

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x1f, 0x23, 0x2a), base(0x16, 0x19, 0x1e), text(0xe6, 0xe8, 0xeb);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2b, 0x30, 0x38));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xf6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

} // namespace

class TestAccessibility final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settingsDir.apply());
        // As the app runs: its style, with the focus ring it adds.
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        Ui::FocusStyle::install();
        QVERIFY(m_server.start());
        QD_AWAIT_VOID(
            m_server.engine().createQueue(QStringLiteral("default"), QStringLiteral("mail"), {}));
    }

    void everyControlIsNamed_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("marked") << QString();
        QTest::newRow("de") << QStringLiteral("de");
    }

    void everyControlIsNamed()
    {
        QFETCH(QString, language);
        MarkingTranslator marking;
        QTranslator german;
        QTranslator *translator = &marking;
        if (!language.isEmpty()) {
            QVERIFY(german.load(QStringLiteral(":/i18n/queuedeck_%1.qm").arg(language)));
            translator = &german;
        }
        QVERIFY(QCoreApplication::installTranslator(translator));
        const bool marked = language.isEmpty();
        QStringList problems;
        {
            FakeEmbedded embedded;
            Ui::MainWindow window(&embedded);
            window.connectTo({m_server.url(), m_server.token(), true});
            window.resize(1280, 800);
            window.show();
            QTRY_VERIFY_WITH_TIMEOUT(
                window.controller()->lastSnapshot().cards.size() == 2 &&
                    window.dashboard()->card(window.controller()->lastSnapshot().cards[1].queue.id),
                10000);
            QCoreApplication::processEvents();
            for (const QString &problem : nameProblems(&window, marked))
                problems.append(QStringLiteral("main window: ") + problem);

            // Each dialog the window opens.
            const QString mailId = window.controller()->lastSnapshot().cards[1].queue.id;
            const std::pair<const char *, std::function<void()>> openers[] = {
                {"New Queue", [&] { window.newQueue(); }},
                {"Configure",
                 [&] {
                     window.dashboard()
                         ->card(mailId)
                         ->findChild<QAbstractButton *>(QStringLiteral("Configure"))
                         ->click();
                 }},
                {"Enqueue", [&] { window.enqueue(mailId); }},
                {"Environments", [&] { window.showEnvironments(); }},
                {"Producer Tokens", [&] { window.showTokens(); }},
                {"Alerts", [&] { window.showAlerts(); }},
                {"Servers", [&] { window.showServers(); }},
                {"Network", [&] { window.showSettings(); }},
                {"Schedule",
                 [&] {
                     window.tabs()->setCurrentWidget(window.schedules());
                     for (QPushButton *button : window.schedules()->findChildren<QPushButton *>()) {
                         if (button->isEnabled() && button->text().contains(u"…")) {
                             button->click();
                             break;
                         }
                     }
                 }},
            };
            for (const auto &[what, open] : openers) {
                const QList<QDialog *> before = window.findChildren<QDialog *>();
                open();
                QDialog *dialog = nullptr;
                QTRY_VERIFY2_WITH_TIMEOUT(
                    [&] {
                        for (QDialog *candidate : window.findChildren<QDialog *>()) {
                            if (!before.contains(candidate) && candidate->isVisible())
                                dialog = candidate;
                        }
                        return dialog != nullptr;
                    }(),
                    what, 10000);
                QCoreApplication::processEvents();
                for (const QString &problem : nameProblems(dialog, marked))
                    problems.append(QString::fromLatin1(what) + QStringLiteral(" dialog: ") +
                                    problem);
                dialog->reject();
                delete dialog;
            }
        }
        QCoreApplication::removeTranslator(translator);
        for (const QString &problem : std::as_const(problems))
            qWarning().noquote() << problem;
        QVERIFY2(problems.isEmpty(), "some controls are badly named (listed above)");
    }

    void shortcutsReachTheActions()
    {
        Ui::MainWindow window;
        window.connectTo({m_server.url(), m_server.token(), true});
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().cards.size() == 2, 10000);

        // Alt+4: the fourth tab (Dashboard, Charts, Metrics, Workers…); Ctrl+PgDown / Ctrl+PgUp:
        // the next and the previous.
        QTest::keyClick(&window, Qt::Key_4, Qt::AltModifier);
        QCOMPARE(window.tabs()->currentWidget(), window.workers());
        QTest::keyClick(&window, Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(window.tabs()->currentWidget(), window.tasks());
        QTest::keyClick(&window, Qt::Key_PageUp, Qt::ControlModifier);
        QCOMPARE(window.tabs()->currentWidget(), window.workers());
        // Find: the workers' filter here, the task search elsewhere.
        QTest::keySequence(&window, QKeySequence::Find);
        QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("workerFilter"));
        QTest::keyClick(&window, Qt::Key_1, Qt::AltModifier);
        QTest::keySequence(&window, QKeySequence::Find);
        QCOMPARE(window.tabs()->currentWidget(), window.tasks());
        QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("taskSearch"));
        // Refresh: a new snapshot asked for at once.
        const qint64 before = window.controller()->lastSnapshot().updatedAtMs;
        QTest::keySequence(&window, QKeySequence::Refresh);
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().updatedAtMs > before, 10000);
        // New Queue and Enqueue open their dialogs.
        QTest::keySequence(&window, QKeySequence::New);
        auto *queueDialog = window.findChild<Ui::QueueDialog *>();
        QVERIFY(queueDialog && queueDialog->isVisible());
        queueDialog->reject();
        delete queueDialog;
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_E, Qt::ControlModifier);
        auto *enqueueDialog = window.findChild<Ui::EnqueueDialog *>();
        QVERIFY(enqueueDialog && enqueueDialog->isVisible());
        enqueueDialog->reject();
        delete enqueueDialog;
    }

    void focusIsVisible_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }

    void focusIsVisible()
    {
        QFETCH(bool, dark);
        const QPalette was = QApplication::palette();
        QApplication::setPalette(dark ? darkPalette() : QApplication::style()->standardPalette());
        QStringList unseen;
        {
            Ui::MainWindow window;
            window.connectTo({m_server.url(), m_server.token(), true});
            window.resize(1280, 800);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window));
            QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().cards.size() == 2, 10000);
            for (int tab = 0; tab < window.tabs()->count(); ++tab) {
                window.tabs()->setCurrentIndex(tab);
                QCoreApplication::processEvents();
                for (QWidget *widget : window.findChildren<QWidget *>()) {
                    if (!widget->isVisible() || !isControl(widget) || !widget->isEnabled() ||
                        !(widget->focusPolicy() & Qt::TabFocus))
                        continue;
                    // As after a Tab key: the window shows where the keyboard is.
                    window.setFocus(Qt::TabFocusReason);
                    window.setAttribute(Qt::WA_KeyboardFocusChange);
                    QCoreApplication::processEvents();
                    const QImage without = widget->grab().toImage();
                    widget->setFocus(Qt::TabFocusReason);
                    window.setAttribute(Qt::WA_KeyboardFocusChange);
                    QCoreApplication::processEvents();
                    if (!widget->hasFocus())
                        continue; // passes focus on (a proxy)
                    const QImage with = widget->grab().toImage();
                    if (with == without)
                        unseen.append(describe(widget) + u' ' + accessibleName(widget));
                }
            }
            if (dark) {
                window.tabs()->setCurrentIndex(0);
                window.grab().save(QDir::temp().filePath(QStringLiteral("queuedeck-dark.png")));
            }
        }
        QApplication::setPalette(was);
        for (const QString &control : std::as_const(unseen))
            qWarning().noquote() << "focus not drawn:" << control;
        QVERIFY2(unseen.isEmpty(), "focus not drawn on some controls (listed above)");
    }

    void dashboardTabOrderFollowsReading()
    {
        QSettings().remove(QStringLiteral("firstRun"));
        Ui::MainWindow window;
        window.connectTo({m_server.url(), m_server.token(), true});
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().cards.size() == 2, 10000);
        const QString first = window.controller()->lastSnapshot().cards[0].queue.id;
        Ui::QueueCardWidget *card = window.dashboard()->card(first);
        QTRY_VERIFY(card && card->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!card->connectCommand().isEmpty(), 10000); // Copy enabled
        auto *filter =
            window.dashboard()->findChild<QComboBox *>(QStringLiteral("environmentFilter"));
        filter->setFocus(Qt::TabFocusReason);
        // Tab from the environment filter: the guide's buttons, then the first card from the
        // top: its platform, Copy, the command, then its actions left to right.
        QStringList order;
        for (int step = 0; step < 11; ++step) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            order.append(QApplication::focusWidget()->objectName());
        }
        const QStringList expected{QStringLiteral("tryDemo"),        QStringLiteral("dismissGuide"),
                                   QStringLiteral("platform"),       QStringLiteral("copy"),
                                   QStringLiteral("connectCommand"), QStringLiteral("Configure"),
                                   QStringLiteral("Workers"),        QStringLiteral("Tasks"),
                                   QStringLiteral("Charts"),         QStringLiteral("pauseResume"),
                                   QStringLiteral("moreActions")};
        QCOMPARE(order, expected);
    }

private:
    IsolatedSettings m_settingsDir;
    ApiFixture m_server;
};

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
