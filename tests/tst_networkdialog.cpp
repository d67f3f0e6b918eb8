// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The Network dialog on the app's real embedded host: an engine on a temporary data directory,
// the dialog as the user fills it in, and HTTP requests that show where the server answers after
// each change (and where it no longer does).

#include "embeddedhost.h"
#include "enginefixture.h"
#include "isolatedsettings.h"
#include "networkdialog.h"
#include "queuedeckclient.h"
#include "servercertificate.h"

#include "engine.h"

#include <QApplication>
#include <QCheckBox>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkInterface>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace QueueDeck;
using QueueDeck::Testing::await;

namespace {

// A port nothing listens on now (the system's choice of a free one).
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// GET /api/v1/version at url (pinning fingerprint for https): the answer, or why there was none.
Result<QJsonObject> versionAt(const QUrl &url, const QString &fingerprint = {})
{
    Client::ClientOptions options{url, {}};
    options.serverFingerprint = fingerprint;
    options.retries = 0;
    options.timeoutMs = 10'000;
    Client::QueueDeckClient client(options);
    return await(client.call("GET", QStringLiteral("/api/v1/version")));
}

QUrl urlOf(const QString &scheme, const QString &host, quint16 port)
{
    return QUrl(QStringLiteral("%1://%2:%3").arg(scheme, host).arg(port));
}

// An address of this machine other than loopback, or empty when it has none.
QString otherAddress()
{
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback())
            return address.toString();
    }
    return {};
}

QCheckBox *acceptBox(const Ui::NetworkDialog &dialog)
{
    for (QCheckBox *box : dialog.findChildren<QCheckBox *>()) {
        if (box->text().contains(u"other machines"))
            return box;
    }
    return nullptr;
}

QSpinBox *portBox(const Ui::NetworkDialog &dialog)
{
    for (QSpinBox *box : dialog.findChildren<QSpinBox *>()) {
        if (box->objectName() != u"faktoryPort")
            return box;
    }
    return nullptr;
}

} // namespace

class TestNetworkDialog final : public QObject
{
    Q_OBJECT

private:
    Testing::IsolatedSettings m_settings;
    QTemporaryDir m_data;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<EmbeddedHost> m_host;

    // A host on loopback, plain HTTP, on the given port; why it does not listen, or empty.
    QString startHost(quint16 port,
                      EmbeddedHost::WhenPortTaken whenTaken = EmbeddedHost::WhenPortTaken::Refuse)
    {
        m_host =
            std::make_unique<EmbeddedHost>(*m_engine, QStringLiteral("qda_unused"), m_data.path());
        Ui::NetworkSettings network;
        network.port = port;
        return m_host->start(network, whenTaken);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_settings.apply());
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_data.isValid());
        EngineOptions options;
        options.dataDirectory = m_data.path();
        m_engine = std::make_unique<Engine>(options);
        QVERIFY(m_engine->start());
    }

    void cleanup() { m_host.reset(); }

    void cleanupTestCase()
    {
        m_host.reset();
        m_engine.reset();
    }

    void aNewPortIsServedAndTheOldOneNoLonger()
    {
        const quint16 before = freePort();
        QVERIFY(before != 0);
        QCOMPARE(startHost(before), QString());
        const QUrl old = urlOf(QStringLiteral("http"), QStringLiteral("127.0.0.1"), before);
        QCOMPARE(m_host->url(), old);
        QVERIFY(versionAt(old));

        const quint16 after = freePort();
        QVERIFY(after != 0 && after != before);
        Ui::NetworkDialog dialog(m_host.get());
        dialog.show();
        QCOMPARE(portBox(dialog)->value(), int(before)); // the dialog starts from the host's
        portBox(dialog)->setValue(after);
        dialog.accept();
        QCOMPARE(dialog.errorText(), QString());
        QVERIFY(!dialog.isVisible());

        const QUrl now = urlOf(QStringLiteral("http"), QStringLiteral("127.0.0.1"), after);
        QCOMPARE(m_host->url(), now);
        const auto answer = versionAt(now);
        QVERIFY2(answer, qPrintable(answer ? QString() : answer.error().message));
        QVERIFY(!versionAt(old));                        // nobody listens there any more
        QCOMPARE(Ui::NetworkDialog::load().port, after); // kept for the next start
    }

    // Other machines with a certificate given (HTTPS on every interface), then this computer only
    // again (plain HTTP on loopback).
    void remoteWorkersWithTlsOnAndOff()
    {
        const QString lan = otherAddress();
        QCOMPARE(startHost(freePort()), QString());
        const quint16 loopbackPort = m_host->url().port();
        if (!lan.isEmpty()) // loopback only: not reachable from the network
            QVERIFY(!versionAt(urlOf(QStringLiteral("http"), lan, loopbackPort)));

        QTemporaryDir certificateDir;
        const quint16 remotePort = freePort();
        const QString publicUrl =
            urlOf(QStringLiteral("https"), lan.isEmpty() ? QStringLiteral("127.0.0.1") : lan,
                  remotePort)
                .toString();
        const auto certificate = Api::prepareServerCertificate(
            certificateDir.path(), Api::certificateHosts(publicUrl, QStringLiteral("127.0.0.1")));
        QVERIFY2(certificate, qPrintable(certificate ? QString() : certificate.error().message));

        Ui::NetworkDialog dialog(m_host.get());
        dialog.show();
        acceptBox(dialog)->setChecked(true);
        portBox(dialog)->setValue(remotePort);
        dialog.findChild<QLineEdit *>(QStringLiteral("publicUrl"))->setText(publicUrl);
        dialog.findChild<QLineEdit *>(QStringLiteral("tlsCert"))
            ->setText(certificate->certificatePath);
        dialog.findChild<QLineEdit *>(QStringLiteral("tlsKey"))->setText(certificate->keyPath);
        dialog.accept();
        QCOMPARE(dialog.errorText(), QString());
        QVERIFY(!dialog.isVisible());

        const QUrl secure = urlOf(QStringLiteral("https"), QStringLiteral("127.0.0.1"), remotePort);
        QCOMPARE(m_host->url(), secure);
        QCOMPARE(m_host->securityWarning(), QString());
        auto answer = versionAt(secure, certificate->fingerprint);
        QVERIFY2(answer, qPrintable(answer ? QString() : answer.error().message));
        // TLS only: a plain request on that port gets no answer.
        QVERIFY(!versionAt(urlOf(QStringLiteral("http"), QStringLiteral("127.0.0.1"), remotePort)));
        if (!lan.isEmpty()) { // every interface: reachable from the network now
            answer = versionAt(urlOf(QStringLiteral("https"), lan, remotePort),
                               certificate->fingerprint);
            QVERIFY2(answer, qPrintable(answer ? QString() : answer.error().message));
        }
        QVERIFY(
            !versionAt(urlOf(QStringLiteral("http"), QStringLiteral("127.0.0.1"), loopbackPort)));

        // Back to this computer only: plain HTTP on loopback, nothing on the network.
        Ui::NetworkDialog again(m_host.get());
        again.show();
        QVERIFY(acceptBox(again)->isChecked()); // the dialog shows what the host does now
        acceptBox(again)->setChecked(false);
        again.findChild<QLineEdit *>(QStringLiteral("tlsCert"))->clear();
        again.findChild<QLineEdit *>(QStringLiteral("tlsKey"))->clear();
        const quint16 localPort = freePort();
        portBox(again)->setValue(localPort);
        again.accept();
        QCOMPARE(again.errorText(), QString());
        const QUrl plain = urlOf(QStringLiteral("http"), QStringLiteral("127.0.0.1"), localPort);
        QCOMPARE(m_host->url(), plain);
        answer = versionAt(plain);
        QVERIFY2(answer, qPrintable(answer ? QString() : answer.error().message));
        QVERIFY(!versionAt(secure, certificate->fingerprint));
        if (!lan.isEmpty())
            QVERIFY(!versionAt(urlOf(QStringLiteral("http"), lan, localPort)));
    }

    // What the dialog itself can tell is wrong never reaches the server.
    void badInputIsRefusedBeforeTheServerIsTouched()
    {
        QCOMPARE(startHost(freePort()), QString());
        const QUrl where = m_host->url();
        Ui::NetworkDialog dialog(m_host.get());
        dialog.show();
        acceptBox(dialog)->setChecked(true);
        QLabel *warning = nullptr;
        for (QLabel *label : dialog.findChildren<QLabel *>()) {
            if (label->text().contains(u"self-signed"))
                warning = label;
        }
        QVERIFY(warning && warning->isVisible()); // on the network without a certificate: said
        auto *publicUrl = dialog.findChild<QLineEdit *>(QStringLiteral("publicUrl"));
        auto *certificate = dialog.findChild<QLineEdit *>(QStringLiteral("tlsCert"));
        publicUrl->setText(QStringLiteral("not a url"));
        dialog.accept();
        QVERIFY2(dialog.errorText().contains(u"https://deck.example:7070"),
                 qPrintable(dialog.errorText()));
        QVERIFY(dialog.isVisible());
        publicUrl->setText(QStringLiteral("https://deck.example.com:7070"));
        certificate->setText(QStringLiteral("/etc/deck.pem")); // a certificate without its key
        dialog.accept();
        QVERIFY2(dialog.errorText().contains(u"both"), qPrintable(dialog.errorText()));
        QVERIFY(dialog.isVisible());
        QCOMPARE(m_host->url(), where);
        QVERIFY(!m_host->network().acceptRemoteWorkers);
        QVERIFY(versionAt(where));
    }

    // The Faktory listener: off until asked, then at the port asked, greeting a client; while it
    // listens the dialog shows the engine's password, and Rotate gives the engine a new one.
    void theFaktoryListenerAndItsPassword()
    {
        QCOMPARE(startHost(freePort()), QString());
        QCOMPARE(m_host->faktoryUrl(), QString()); // off
        const quint16 port = freePort();
        {
            Ui::NetworkDialog dialog(m_host.get());
            dialog.show();
            QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("faktoryUrl"))->text(),
                     QStringLiteral("Not listening"));
            QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("faktoryRotate"))->isEnabled());
            dialog.findChild<QCheckBox *>(QStringLiteral("faktoryEnabled"))->setChecked(true);
            dialog.findChild<QSpinBox *>(QStringLiteral("faktoryPort"))->setValue(port);
            dialog.accept();
            QCOMPARE(dialog.errorText(), QString());
        }
        QCOMPARE(Ui::NetworkDialog::load().faktoryPort, port);
        const QString url = QStringLiteral("tcp://127.0.0.1:%1").arg(port);
        QCOMPARE(m_host->faktoryUrl(), url);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY2(client.waitForConnected(10'000), qPrintable(client.errorString()));
        QByteArray greeting;
        while (!greeting.contains('\n') && client.waitForReadyRead(10'000))
            greeting += client.readAll();
        QVERIFY2(greeting.startsWith("+HI "), greeting.constData());

        const auto before = m_host->faktoryPassword();
        QVERIFY2(before, qPrintable(before ? QString() : before.error().message));
        Ui::NetworkDialog dialog(m_host.get());
        dialog.show();
        QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("faktoryUrl"))->text(), url);
        auto *password = dialog.findChild<QLineEdit *>(QStringLiteral("faktoryPassword"));
        QVERIFY(password);
        QCOMPARE(password->text(), *before);
        QCOMPARE(password->echoMode(), QLineEdit::Password); // hidden until asked
        dialog.findChild<QPushButton *>(QStringLiteral("faktoryShow"))->click();
        QCOMPARE(password->echoMode(), QLineEdit::Normal);
        // Rotate asks first; the answer is given as soon as the question shows.
        QTimer::singleShot(0, &dialog, [] {
            for (QWidget *widget : QApplication::topLevelWidgets()) {
                if (auto *box = qobject_cast<QMessageBox *>(widget))
                    box->button(QMessageBox::Yes)->click();
            }
        });
        dialog.findChild<QPushButton *>(QStringLiteral("faktoryRotate"))->click();
        QVERIFY(password->text() != *before);
        const auto now = m_host->faktoryPassword();
        QVERIFY(now);
        QCOMPARE(password->text(), *now); // the engine's own, not the dialog's
    }

    // A port another program holds: the dialog says so and stays open, and the server keeps
    // answering where it was (it does not move to some other free port).
    void aTakenPortIsRefusedAndTheServerStays()
    {
        QCOMPARE(startHost(freePort()), QString());
        const QUrl where = m_host->url();
        const quint16 savedPort = Ui::NetworkDialog::load().port;
        QTcpServer other;
        QVERIFY(other.listen(QHostAddress::LocalHost, 0));
        QVERIFY(other.serverPort() != where.port());

        Ui::NetworkDialog dialog(m_host.get());
        dialog.show();
        portBox(dialog)->setValue(other.serverPort());
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY2(dialog.errorText().contains(u"listens as before"), qPrintable(dialog.errorText()));
        QCOMPARE(m_host->url(), where);
        const auto answer = versionAt(where);
        QVERIFY2(answer, qPrintable(answer ? QString() : answer.error().message));
        QCOMPARE(Ui::NetworkDialog::load().port, savedPort); // not kept
        QCOMPARE(m_host->network().port, quint16(where.port()));
    }

    // The first start may take any free port when its own is taken (another QueueDeck); a later
    // change that fails goes back to that port, not to the one set.
    void aFailedChangeGoesBackToThePortOfTheFirstStart()
    {
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        const QString refused = startHost(holder.serverPort()); // unless asked
        QVERIFY2(refused.contains(QString::number(holder.serverPort())), qPrintable(refused));
        QCOMPARE(startHost(holder.serverPort(), EmbeddedHost::WhenPortTaken::AnyFreePort),
                 QString());
        const QUrl where = m_host->url();
        QVERIFY(where.port() != holder.serverPort());
        QVERIFY(versionAt(where));

        QTcpServer other;
        QVERIFY(other.listen(QHostAddress::LocalHost, 0));
        Ui::NetworkDialog dialog(m_host.get());
        dialog.show();
        portBox(dialog)->setValue(other.serverPort());
        dialog.accept();
        QVERIFY2(dialog.errorText().contains(u"listens as before"), qPrintable(dialog.errorText()));
        QCOMPARE(m_host->url(), where);
        const auto answer = versionAt(where);
        QVERIFY2(answer, qPrintable(answer ? QString() : answer.error().message));
    }

    // A certificate that cannot be read: a clear error, and the server as it was.
    void anUnreadableCertificateIsRefusedAndTheServerStays()
    {
        QCOMPARE(startHost(freePort()), QString());
        const QUrl where = m_host->url();
        QTemporaryDir empty;
        const QString missing = empty.filePath(QStringLiteral("missing.pem"));

        Ui::NetworkDialog dialog(m_host.get());
        dialog.show();
        acceptBox(dialog)->setChecked(true);
        portBox(dialog)->setValue(freePort());
        dialog.findChild<QLineEdit *>(QStringLiteral("tlsCert"))->setText(missing);
        dialog.findChild<QLineEdit *>(QStringLiteral("tlsKey"))->setText(missing);
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY2(dialog.errorText().contains(u"listens as before"), qPrintable(dialog.errorText()));
        QCOMPARE(m_host->url(), where);
        QVERIFY(!m_host->network().acceptRemoteWorkers);
        const auto answer = versionAt(where);
        QVERIFY2(answer, qPrintable(answer ? QString() : answer.error().message));
    }
};

QTEST_MAIN(TestNetworkDialog)
#include "tst_networkdialog.moc"
