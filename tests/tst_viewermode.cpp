// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The desktop app and trust: the Servers dialog shows a self-signed server's fingerprint on first
// contact and asks, remembers it, and refuses a server that later presents another; connected
// with a viewer token, the window shows the same views with every action disabled and says why.

#include "apifixture.h"
#include "dashboardview.h"
#include "mainwindow.h"
#include "queuecardwidget.h"
#include "serversdialog.h"
#include "tasksview.h"
#include "workersview.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QToolBar>
#include <QToolButton>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

QPushButton *buttonNamed(QWidget *parent, const QString &text)
{
    for (QPushButton *button : parent->findChildren<QPushButton *>()) {
        if (button->text() == text)
            return button;
    }
    return nullptr;
}

} // namespace

class TestViewerMode final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_certificateDir;
    Api::ServerCertificate m_certificate;

    // Types the URL and token into the dialog and presses Connect.
    static void connectDialog(Ui::ServersDialog &dialog, const QUrl &url, const QString &token)
    {
        auto edits = dialog.findChildren<QLineEdit *>();
        QVERIFY(edits.size() == 2);
        edits[0]->setText(url.toString());
        edits[1]->setText(token);
        QPushButton *connect = buttonNamed(&dialog, QStringLiteral("Connect"));
        QVERIFY(connect);
        QTRY_VERIFY(connect->isEnabled());
        connect->click();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        auto made =
            Api::prepareServerCertificate(m_certificateDir.path(), {QStringLiteral("127.0.0.1")});
        QVERIFY(made);
        m_certificate = *made;
    }

    void firstContactShowsTheFingerprintAndAsks()
    {
        ApiFixture server;
        server.useTls(m_certificate);
        QVERIFY(server.start());
        const QString key = server.url().toString();
        Ui::ServersDialog::forget(key);

        Ui::ServersDialog dialog(false);
        QStringList asked;
        bool trust = false;
        dialog.setTrustQuestion([&](const QString &, const QString &fingerprint) {
            asked.append(fingerprint);
            return trust;
        });
        QSignalSpy chosen(&dialog, &Ui::ServersDialog::chosen);
        dialog.show();

        connectDialog(dialog, server.url(), server.token());
        QTRY_VERIFY_WITH_TIMEOUT(dialog.errorText().contains(u"not trusted"), 10000);
        QCOMPARE(asked, QStringList{m_certificate.fingerprint});
        QCOMPARE(chosen.size(), 0);
        QVERIFY(Ui::ServersDialog::rememberedFingerprint(key).isEmpty());

        trust = true;
        connectDialog(dialog, server.url(), server.token());
        QTRY_VERIFY2_WITH_TIMEOUT(chosen.size() == 1, qPrintable(dialog.errorText()), 10000);
        QCOMPARE(asked.size(), 2);
        const auto target = chosen.first().first().value<Ui::ServerTarget>();
        QCOMPARE(target.fingerprint, m_certificate.fingerprint);
        QCOMPARE(Ui::ServersDialog::rememberedFingerprint(key), m_certificate.fingerprint);
        Ui::ServersDialog::forget(key);
    }

    void aChangedFingerprintIsRefused()
    {
        ApiFixture server;
        server.useTls(m_certificate);
        QVERIFY(server.start());
        const QString key = server.url().toString();
        const QString before =
            QStringLiteral("sha256:") + QStringLiteral("AB:").repeated(31) + QStringLiteral("AB");
        Ui::ServersDialog::remember(key);
        Ui::ServersDialog::rememberFingerprint(key, before); // trusted once, another now

        Ui::ServersDialog dialog(false);
        int asked = 0;
        dialog.setTrustQuestion([&](const QString &, const QString &) {
            ++asked;
            return true;
        });
        QSignalSpy chosen(&dialog, &Ui::ServersDialog::chosen);
        dialog.show();
        connectDialog(dialog, server.url(), server.token());
        QTRY_VERIFY_WITH_TIMEOUT(dialog.errorText().contains(u"Refused"), 10000);
        QVERIFY2(dialog.errorText().contains(m_certificate.fingerprint),
                 qPrintable(dialog.errorText()));
        QVERIFY(dialog.errorText().contains(before));
        QCOMPARE(asked, 0); // not asked again: refused
        QCOMPARE(chosen.size(), 0);
        QCOMPARE(Ui::ServersDialog::rememberedFingerprint(key), before);
        Ui::ServersDialog::forget(key);
    }

    void viewerTokenDisablesEveryAction()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("watched"), {}));
        QD_AWAIT(viewer, server.engine().createViewerToken(QStringLiteral("wall")));

        // The dialog takes a viewer token.
        Ui::ServersDialog dialog(false);
        QSignalSpy chosen(&dialog, &Ui::ServersDialog::chosen);
        dialog.show();
        connectDialog(dialog, server.url(), viewer.token);
        QTRY_VERIFY2_WITH_TIMEOUT(chosen.size() == 1, qPrintable(dialog.errorText()), 10000);
        const auto target = chosen.first().first().value<Ui::ServerTarget>();
        QVERIFY(target.readOnly());
        Ui::ServersDialog::forget(server.url().toString());

        Ui::MainWindow window;
        window.connectTo(target);
        window.show();
        auto *banner = window.findChild<QLabel *>(QStringLiteral("readOnlyBanner"));
        QVERIFY(banner && banner->isVisible());
        QCOMPARE(banner->text(), QStringLiteral("Read-only: connected with a viewer token"));
        for (QAction *action : window.findChild<QToolBar *>()->actions()) {
            if (action->text().startsWith(u"New Queue") || action->text().startsWith(u"Enqueue") ||
                action->text().startsWith(u"Producer Tokens"))
                QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
            if (action->text().startsWith(u"Servers"))
                QVERIFY(action->isEnabled()); // another server can still be chosen
        }
        // The card is there, with its changing actions disabled and saying why.
        QTRY_VERIFY_WITH_TIMEOUT(window.dashboard()->card(queue.id), 10000);
        Ui::QueueCardWidget *card = window.dashboard()->card(queue.id);
        for (const QString &name : {QStringLiteral("Configure"), QStringLiteral("pauseResume"),
                                    QStringLiteral("moreActions")}) {
            auto *button = card->findChild<QToolButton *>(name);
            QVERIFY2(button && !button->isEnabled(), qPrintable(name));
            QVERIFY(button->toolTip().contains(u"viewer token"));
        }
        QVERIFY(card->findChild<QToolButton *>(QStringLiteral("Workers"))->isEnabled());
        for (const QString &text : {QStringLiteral("Drain"), QStringLiteral("Remove")})
            QVERIFY(!buttonNamed(window.workers(), text)->isEnabled());
        for (const QString &text : {QStringLiteral("Retry"), QStringLiteral("Cancel"),
                                    QStringLiteral("Delete"), QStringLiteral("All matching")})
            QVERIFY2(!buttonNamed(window.tasks(), text)->isEnabled(), qPrintable(text));

        // The admin token again: everything back.
        window.connectTo({server.url(), server.token(), false});
        QVERIFY(!window.findChild<QLabel *>(QStringLiteral("readOnlyBanner"))->isVisible());
        QVERIFY(buttonNamed(window.tasks(), QStringLiteral("All matching"))->isEnabled());
    }
};

QTEST_MAIN(TestViewerMode)
#include "tst_viewermode.moc"
