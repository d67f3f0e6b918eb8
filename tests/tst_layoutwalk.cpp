// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// A walk over every visible label and button of the main window (each tab) and of its dialogs,
// in English and in German, at 1280×800 against a real server: text wider than its widget (or
// a wrapped text taller than its label) and not elided fails the test, naming the widget.

#include "apifixture.h"
#include "dashboardview.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "queuecardwidget.h"
#include "translationloader.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QLabel>
#include <QRadioButton>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QToolButton>
#include <QTranslator>

#include <functional>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

QString nameOf(const QWidget *widget)
{
    QStringList path;
    for (const QWidget *w = widget; w; w = w->parentWidget()) {
        const QString name = w->objectName();
        path.prepend(name.isEmpty() ? QString::fromLatin1(w->metaObject()->className()) : name);
        if (w->isWindow())
            break;
    }
    return path.join(u'/');
}

int textWidth(const QFontMetrics &metrics, const QString &text)
{
    int widest = 0;
    for (const QString &line : text.split(u'\n'))
        widest = qMax(widest, metrics.horizontalAdvance(line));
    return widest;
}

// What does not fit in one window, as "widget: text (needs N px, has M px)".
QStringList overflowing(const QWidget *window)
{
    QStringList found;
    for (const QLabel *label : window->findChildren<QLabel *>()) {
        if (!label->isVisible() || label->text().isEmpty() || label->width() <= 0)
            continue;
        if (label->text().contains(u'…'))
            continue; // elided on purpose
        const QRect room = label->contentsRect().marginsRemoved(
            QMargins(label->margin(), label->margin(), label->margin(), label->margin()));
        const bool rich =
            label->textFormat() == Qt::RichText ||
            (label->textFormat() == Qt::AutoText && Qt::mightBeRichText(label->text()));
        if (label->wordWrap()) {
            const int needed = label->heightForWidth(label->width());
            if (needed > label->height() + 2)
                found.append(QStringLiteral("%1: \"%2\" (needs %3 px high, has %4 px)")
                                 .arg(nameOf(label), label->text())
                                 .arg(needed)
                                 .arg(label->height()));
            continue;
        }
        int needed = 0;
        if (rich) {
            QTextDocument document;
            document.setDefaultFont(label->font());
            document.setDocumentMargin(0);
            document.setHtml(label->text());
            needed = int(document.idealWidth());
        } else {
            // A label with a buddy shows "&Queue:" as "Queue:" (and "&&" as "&").
            QString shown = label->text();
            if (label->buddy())
                shown.replace(QStringLiteral("&&"), QStringLiteral("\x01"))
                    .remove(u'&')
                    .replace(u'\x01', u'&');
            needed = textWidth(label->fontMetrics(), shown);
        }
        if (needed > room.width() + 1)
            found.append(QStringLiteral("%1: \"%2\" (needs %3 px, has %4 px)")
                             .arg(nameOf(label), label->text())
                             .arg(needed)
                             .arg(room.width()));
    }
    for (const QAbstractButton *button : window->findChildren<QAbstractButton *>()) {
        if (!button->isVisible() || button->text().isEmpty() ||
            qobject_cast<const QTabBar *>(button->parentWidget()))
            continue;
        const int needed = button->sizeHint().width();
        if (needed > button->width() + 1)
            found.append(QStringLiteral("%1: \"%2\" (needs %3 px, has %4 px)")
                             .arg(nameOf(button), button->text())
                             .arg(needed)
                             .arg(button->width()));
    }
    return found;
}

} // namespace

class TestLayoutWalk final : public QObject
{
    Q_OBJECT

    IsolatedSettings m_settingsDir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settingsDir.apply());
    }

    void everyTextFits_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::newRow("English") << QLocale(QLocale::English, QLocale::UnitedStates);
        QTest::newRow("German") << QLocale(QLocale::German, QLocale::Germany);
    }
    void everyTextFits()
    {
        QFETCH(QLocale, locale);
        QLocale::setDefault(locale);
        QTranslator translator;
        QVERIFY(!Ui::TranslationLoader::load(translator, locale).isEmpty());
        QCoreApplication::installTranslator(&translator);
        const auto uninstall =
            qScopeGuard([&] { QCoreApplication::removeTranslator(&translator); });

        ApiFixture server;
        QVERIFY(server.start());
        QueueSettings settings;
        settings.description = QStringLiteral("Outgoing mail of the shop");
        settings.maxActiveRuns = 2;
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), settings));
        QD_AWAIT(ids, server.engine().enqueueBatch(queue.id, QList<EnqueueRequest>(1234, job())));

        Ui::MainWindow window;
        window.resize(1280, 800);
        window.connectTo({server.url(), server.token(), false});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.dashboard()->card(queue.id), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.dashboard()->card(queue.id)->capacityText().contains(u'/'),
                                 10000);

        QStringList problems;
        const auto walk = [&](const QWidget *root, const QString &where) {
            QCoreApplication::processEvents(); // let layouts settle
            for (const QString &problem : overflowing(root))
                problems.append(where + QStringLiteral(": ") + problem);
        };
        for (int tab = 0; tab < window.tabs()->count(); ++tab) {
            window.tabs()->setCurrentIndex(tab);
            QCoreApplication::processEvents();
            walk(&window, window.tabs()->tabText(tab));
            if (qEnvironmentVariableIsSet("QUEUEDECK_KEEP_PICTURES"))
                window.grab().save(qEnvironmentVariable("QUEUEDECK_KEEP_PICTURES") +
                                   QStringLiteral("/walk-%1-%2.png").arg(locale.name()).arg(tab));
        }
        window.tabs()->setCurrentIndex(0);

        // Each dialog the tool bar and a card open.
        const auto dialogs = [&](const std::function<void()> &open, const QString &name) {
            open();
            QDialog *dialog = nullptr;
            QTRY_VERIFY_WITH_TIMEOUT((dialog = [&]() -> QDialog * {
                                         for (QWidget *widget : QApplication::topLevelWidgets()) {
                                             if (auto *d = qobject_cast<QDialog *>(widget);
                                                 d && d->isVisible())
                                                 return d;
                                         }
                                         return nullptr;
                                     }()),
                                     10000);
            QVERIFY(QTest::qWaitForWindowExposed(dialog));
            walk(dialog, name);
            dialog->close();
            QCoreApplication::processEvents();
        };
        dialogs([&] { window.newQueue(); }, QStringLiteral("New Queue"));
        dialogs([&] { window.enqueue(queue.id); }, QStringLiteral("Enqueue"));
        dialogs([&] { window.showEnvironments(); }, QStringLiteral("Environments"));
        dialogs([&] { window.showTokens(); }, QStringLiteral("Producer Tokens"));
        dialogs([&] { window.showAlerts(); }, QStringLiteral("Alerts"));
        dialogs([&] { window.showServers(); }, QStringLiteral("Servers"));
        dialogs(
            [&] {
                window.dashboard()
                    ->card(queue.id)
                    ->findChild<QToolButton *>(QStringLiteral("Configure"))
                    ->click();
            },
            QStringLiteral("Configure"));
        QVERIFY2(problems.isEmpty(), qPrintable(u'\n' + problems.join(u'\n')));
    }
};

QTEST_MAIN(TestLayoutWalk)
#include "tst_layoutwalk.moc"
