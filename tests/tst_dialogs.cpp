// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The desktop app's dialogs against a real server in this process, offscreen: environments, the
// queue and enqueue dialogs (checks, server errors inline), the servers and network dialogs, and
// producer tokens.

#include "apifixture.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "enqueuedialog.h"
#include "environmentsdialog.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "networkdialog.h"
#include "queuedeckclient.h"
#include "queuedialog.h"
#include "savedtokens.h"
#include "serversdialog.h"
#include "tokensdialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTimer>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestDialogs final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settingsDir.apply());
    }

    void environmentsAreCreatedFilteredAndDeleted()
    {
        ApiFixture server;
        QVERIFY(server.start());
        QSettings().remove(QStringLiteral("dashboard/environment"));
        QD_AWAIT(plain, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), {}));
        QString stagingQueueId;
        {
            Ui::MainWindow window;
            window.connectTo({server.url(), server.token(), false});
            window.show();
            window.showEnvironments();
            auto *dialog = window.findChild<Ui::EnvironmentsDialog *>();
            QVERIFY(dialog);
            QTRY_VERIFY_WITH_TIMEOUT(dialog->names().contains(QStringLiteral("default")), 10000);
            dialog->findChild<QLineEdit *>(QStringLiteral("environmentName"))
                ->setText(QStringLiteral("staging"));
            dialog->findChild<QLineEdit *>(QStringLiteral("environmentDescription"))
                ->setText(QStringLiteral("before release"));
            dialog->findChild<QCheckBox *>(QStringLiteral("environmentAutoCreate"))
                ->setChecked(false);
            dialog->findChild<QPushButton *>(QStringLiteral("createEnvironment"))->click();
            QTRY_VERIFY_WITH_TIMEOUT(dialog->names().contains(QStringLiteral("staging")), 10000);
            QD_AWAIT(environments, server.engine().listEnvironments());
            const auto staging =
                std::find_if(environments.cbegin(), environments.cend(),
                             [](const EnvironmentInfo &e) { return e.name == u"staging"; });
            QVERIFY(staging != environments.cend());
            QCOMPARE(staging->description, QStringLiteral("before release"));
            QVERIFY(!staging->autoCreate);
            // The dashboard filter offers it at once.
            auto *filter =
                window.dashboard()->findChild<QComboBox *>(QStringLiteral("environmentFilter"));
            QTRY_VERIFY_WITH_TIMEOUT(filter->findData(QStringLiteral("staging")) > 0, 10000);

            QD_AWAIT(stagingQueue, server.engine().createQueue(QStringLiteral("staging"),
                                                               QStringLiteral("mail"), {}));
            stagingQueueId = stagingQueue.id;
            // All environments: grouped, one header per environment.
            QTRY_VERIFY_WITH_TIMEOUT(window.dashboard()->card(stagingQueue.id) &&
                                         window.dashboard()->card(plain.id),
                                     10000);
            QTRY_COMPARE_WITH_TIMEOUT(
                window.dashboard()->groupHeaders(),
                QStringList({QStringLiteral("default"), QStringLiteral("staging")}), 10000);
            QCOMPARE(window.dashboard()->chip(QStringLiteral("Queues")), QStringLiteral("3"));

            // Only staging: its card alone, the chips its own.
            const int index = filter->findData(QStringLiteral("staging"));
            filter->setCurrentIndex(index);
            Q_EMIT filter->activated(index);
            QTRY_VERIFY_WITH_TIMEOUT(!window.dashboard()->card(plain.id), 10000);
            QVERIFY(window.dashboard()->card(stagingQueue.id));
            QTRY_COMPARE_WITH_TIMEOUT(window.dashboard()->chip(QStringLiteral("Queues")),
                                      QStringLiteral("1"), 10000);
            QVERIFY(window.dashboard()->groupHeaders().isEmpty());
            // The live stream follows the choice: a second later it still holds.
            QD_AWAIT(more, server.engine().createQueue(QStringLiteral("default"),
                                                       QStringLiteral("video"), {}));
            QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().updatedAtMs > 0, 10000);
            const qint64 after = window.controller()->lastSnapshot().updatedAtMs;
            QTRY_VERIFY_WITH_TIMEOUT(window.controller()->lastSnapshot().updatedAtMs > after,
                                     10000);
            QVERIFY(!window.dashboard()->card(more.id));
            QCOMPARE(window.dashboard()->chip(QStringLiteral("Queues")), QStringLiteral("1"));

            // Deleting an environment with a queue is refused, and said.
            dialog->remove(QStringLiteral("staging"));
            QTRY_VERIFY_WITH_TIMEOUT(dialog->errorText().contains(u"delete them first"), 10000);
        }
        {
            // Kept across restarts of the window.
            Ui::MainWindow window;
            window.connectTo({server.url(), server.token(), false});
            window.show();
            QCOMPARE(window.dashboard()->environment(), QStringLiteral("staging"));
            QTRY_VERIFY_WITH_TIMEOUT(window.dashboard()->card(stagingQueueId), 10000);
            QVERIFY(!window.dashboard()->card(plain.id));
            QD_AWAIT_VOID(server.engine().deleteQueue(stagingQueueId, true));
            window.showEnvironments();
            auto *dialog = window.findChild<Ui::EnvironmentsDialog *>();
            QTRY_VERIFY_WITH_TIMEOUT(dialog->names().contains(QStringLiteral("staging")), 10000);
            dialog->remove(QStringLiteral("staging"));
            QTRY_VERIFY_WITH_TIMEOUT(!dialog->names().contains(QStringLiteral("staging")), 10000);
            QVERIFY(dialog->errorText().isEmpty());
        }
        QSettings().remove(QStringLiteral("dashboard/environment"));
    }

    void queueDialogChecksAndShowsServerErrorsInline()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient client({server.url(), server.token()});
        int submitted = 0;
        Ui::QueueDialog dialog(
            [&](const Ui::QueueDraft &d) {
                ++submitted;
                return client.createQueue(d.environment, d.name, d.settings);
            },
            QStringList{QStringLiteral("default")});
        dialog.show();

        dialog.accept(); // no name: caught here, nothing sent
        QCOMPARE(submitted, 0);
        QVERIFY(!dialog.errorText(QStringLiteral("name")).isEmpty());
        QVERIFY(dialog.isVisible());

        Ui::QueueDraft draft = dialog.draft();
        draft.name = QStringLiteral("bad name!");
        dialog.setDraft(draft);
        dialog.accept(); // the server refuses the name: said under the name, dialog stays
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.errorText(QStringLiteral("name")).isEmpty(), 10000);
        QCOMPARE(submitted, 1);
        QVERIFY2(dialog.errorText(QStringLiteral("name")).contains(u"letters, digits"),
                 qPrintable(dialog.errorText(QStringLiteral("name"))));
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.draft().name, QStringLiteral("bad name!")); // nothing typed is lost

        draft.name = QStringLiteral("emails");
        draft.settings.retry.initialBackoffMs = 5000;
        draft.settings.retry.maxBackoffMs = 1000;
        dialog.setDraft(draft);
        dialog.accept();
        QCOMPARE(submitted, 1);
        QVERIFY(!dialog.errorText(QStringLiteral("max_backoff_ms")).isEmpty());
        QVERIFY(dialog.errorText(QStringLiteral("name")).isEmpty()); // the old error went

        draft.settings.retry.maxBackoffMs = 60000;
        draft.settings.maxWorkers = 4;
        dialog.setDraft(draft);
        dialog.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isVisible(), 10000);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.queue().name, QStringLiteral("emails"));
        QCOMPARE(dialog.queue().settings.maxWorkers, 4);

        // Configure: renaming onto a name that exists is refused by the server, shown at the
        // name; a change that is allowed lands.
        QD_AWAIT(other, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("reports"), {}));
        const QueueInfo created = dialog.queue();
        Ui::QueueDialog configure(
            [&](const Ui::QueueDraft &d) {
                return client.updateQueue(created.id, Ui::QueueDialog::patchBetween(created, d));
            },
            created);
        configure.show();
        Ui::QueueDraft change = configure.draft();
        change.name = other.name;
        configure.setDraft(change);
        configure.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!configure.errorText(QStringLiteral("name")).isEmpty(), 10000);
        change.name = created.name;
        change.settings.maxWorkers = 0;
        change.settings.taskTimeoutS = 120;
        configure.setDraft(change);
        configure.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!configure.isVisible(), 10000);
        QD_AWAIT(stored, server.engine().queue(created.id));
        QCOMPARE(stored.settings.maxWorkers, 0);
        QCOMPARE(stored.settings.taskTimeoutS, qint64(120));
        QCOMPARE(stored.settings.retry.maxBackoffMs, qint64(60000)); // untouched stays
    }

    void enqueueDialogChecksThePayload()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient client({server.url(), server.token()});
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), {}));
        int submitted = 0;
        Ui::EnqueueDialog dialog(
            [&](const QString &id, const EnqueueRequest &r) {
                ++submitted;
                return client.enqueue(id, r);
            },
            {queue}, queue.id);
        dialog.show();
        QVERIFY2(Ui::EnqueueDialog::queueLabel(queue).contains(u"0 / 10 workers"),
                 qPrintable(Ui::EnqueueDialog::queueLabel(queue)));
        dialog.findChild<QLineEdit *>(QStringLiteral("type"))->setText(QStringLiteral("send"));
        dialog.findChild<QPlainTextEdit *>(QStringLiteral("payload"))
            ->setPlainText(QStringLiteral("{\"to\": "));
        QVERIFY(dialog.errorText().contains(u"not valid JSON"));
        dialog.accept();
        QCOMPARE(submitted, 0);
        dialog.findChild<QPlainTextEdit *>(QStringLiteral("payload"))
            ->setPlainText(QStringLiteral("{\"to\": \"ops@example.com\"}"));
        QVERIFY(dialog.errorText().isEmpty());
        dialog.accept();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isVisible(), 10000);
        QD_AWAIT(task, server.engine().task(dialog.task().id));
        QCOMPARE(task.type, QStringLiteral("send"));
        QCOMPARE(QJsonDocument::fromJson(task.payload).object().value(u"to").toString(),
                 QStringLiteral("ops@example.com"));
    }

    void serversDialogTriesTheServerAndKeepsTheToken()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Ui::ServersDialog dialog(true);
        dialog.show();
        QSignalSpy chosen(&dialog, &Ui::ServersDialog::chosen);
        auto edits = dialog.findChildren<QLineEdit *>();
        QCOMPARE(edits.size(), 2);
        QPushButton *connectButton = nullptr;
        for (QPushButton *button : dialog.findChildren<QPushButton *>()) {
            if (button->text() == u"Connect")
                connectButton = button;
        }
        QVERIFY(connectButton);
        edits[0]->setText(server.url().toString());
        edits[1]->setText(QStringLiteral("qda_wrong"));
        connectButton->click();
        QLabel *error = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (QLabel *label : dialog.findChildren<QLabel *>()) {
                    if (label->isVisible() && label->text().contains(u"answered"))
                        error = label;
                }
                return error != nullptr;
            }(),
            10000);
        QCOMPARE(chosen.size(), 0);
        edits[1]->setText(server.token());
        QTRY_VERIFY(connectButton->isEnabled());
        connectButton->click();
        QTRY_VERIFY2_WITH_TIMEOUT(chosen.size() == 1, qPrintable(error->text()), 10000);
        const auto target = chosen.first().first().value<Ui::ServerTarget>();
        QCOMPARE(target.token, server.token());
        QVERIFY(Ui::ServersDialog::remembered().contains(server.url().toString()));
        // The token is kept for next time: in the keychain, or in a file only its owner reads.
        QString kept;
        Ui::SavedTokens().read(server.url().toString(), this,
                               [&kept](const QString &token) { kept = token; });
        QTRY_COMPARE_WITH_TIMEOUT(kept, server.token(), 10000);
        const QFileInfo file(Ui::SavedTokens().filePath(server.url().toString()));
        if (file.exists())
            QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup |
                                           QFile::WriteOther),
                     QFile::Permissions());
        // The file itself, whether or not a keychain answered above: only its owner may read it.
        QTemporaryDir fileDirectory;
        QVERIFY(fileDirectory.isValid());
        const Ui::SavedTokens fileOnly(fileDirectory.path());
        QCOMPARE(fileOnly.writeFile(server.url().toString(), server.token()), QString());
        const QFileInfo written(fileOnly.filePath(server.url().toString()));
        QVERIFY2(written.exists(), qPrintable(written.filePath()));
        QCOMPARE(written.permissions() &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        Ui::ServersDialog::forget(server.url().toString());
        Ui::SavedTokens().remove(server.url().toString());
        // Where no file can be written, the error says so instead of losing the token silently.
        QTemporaryFile notADirectory;
        QVERIFY(notADirectory.open());
        const QString refused =
            Ui::SavedTokens(notADirectory.fileName() + QStringLiteral("/tokens"))
                .writeFile(server.url().toString(), server.token());
        QVERIFY2(refused.contains(u"cannot create"), qPrintable(refused));
    }

    void producerTokensAreShownOnceAndRevoked()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient client({server.url(), server.token()});
        QD_AWAIT(queue, server.engine().createQueue(QStringLiteral("default"),
                                                    QStringLiteral("mail"), {}));
        Ui::TokensDialog dialog(&client, {queue});
        dialog.show();
        dialog.create(QStringLiteral("billing"), {queue.id});
        QTRY_VERIFY_WITH_TIMEOUT(dialog.shownSecret().startsWith(u"qdp_"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(dialog.names(), QStringList{QStringLiteral("billing")}, 10000);
        dialog.create(QStringLiteral("billing"), {queue.id}); // the name is taken
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.errorText().isEmpty(), 10000);
        dialog.revoke(QStringLiteral("billing"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.names().isEmpty(), 10000);
    }

private:
    IsolatedSettings m_settingsDir;
};

QTEST_MAIN(TestDialogs)
#include "tst_dialogs.moc"
