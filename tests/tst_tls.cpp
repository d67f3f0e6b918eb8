// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// TLS beyond loopback: the server's self-signed certificate, its fingerprint in what the server
// hands out, and clients that pin it (or trust a private CA) and refuse anything else.

#include "apihost.h"
#include "enginefixture.h"
#include "httpclientconnection.h"
#include "queuedeckclient.h"
#include "servercertificate.h"

#include "protocol/fingerprint.h"

#include <QFileInfo>
#include <QProcess>
#include <QSslCertificate>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

// An engine and its API serving HTTPS on a free loopback port with the given certificate.
class TlsServer
{
public:
    bool start(const Api::ServerCertificate &certificate)
    {
        EngineOptions options;
        options.dataDirectory = m_dir.path();
        m_engine = std::make_unique<Engine>(options);
        if (!m_engine->start())
            return false;
        auto token = await(m_engine->initAdminToken(true));
        if (!token)
            return false;
        m_token = *token;
        Api::ApiOptions api;
        api.port = 0;
        api.certificatePath = certificate.certificatePath;
        api.keyPath = certificate.keyPath;
        m_api = std::make_unique<Api::ApiHost>(*m_engine, api);
        return m_api->start().isEmpty();
    }
    ~TlsServer()
    {
        m_api.reset();
        m_engine.reset();
    }
    QUrl url(const QString &host = QStringLiteral("127.0.0.1")) const
    {
        return QUrl(QStringLiteral("https://%1:%2").arg(host).arg(m_api->port()));
    }
    Api::ApiHost &api() { return *m_api; }
    Engine &engine() { return *m_engine; }
    const QString &token() const { return m_token; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Api::ApiHost> m_api;
    QString m_token;
};

Result<QJsonObject> versionThrough(const QUrl &url, const QString &fingerprint,
                                   const QString &caFile = {})
{
    Client::ClientOptions options{url, {}};
    options.serverFingerprint = fingerprint;
    options.caFile = caFile;
    options.retries = 0;
    options.timeoutMs = 10'000;
    Client::QueueDeckClient client(options);
    return await(client.call("GET", QStringLiteral("/api/v1/version")));
}

const QString OtherFingerprint = QStringLiteral(
    "sha256:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:"
    "CC:DD:EE:FF");

} // namespace

class TestTls final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fingerprintsAreParsedAsWritten_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        const QString hex = QStringLiteral("AB").repeated(32);
        QTest::newRow("colons") << OtherFingerprint << true;
        QTest::newRow("bare hex") << hex << true;
        QTest::newRow("lower case") << QStringLiteral("sha256:") + hex.toLower() << true;
        QTest::newRow("short") << QStringLiteral("sha256:AB:CD") << false;
        QTest::newRow("not hex") << QStringLiteral("sha256:") + QStringLiteral("ZZ").repeated(32)
                                 << false;
        QTest::newRow("empty") << QString() << false;
    }
    void fingerprintsAreParsedAsWritten()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const auto digest = Fingerprint::parse(text);
        QCOMPARE(digest.has_value(), valid);
        if (valid)
            QCOMPARE(digest->size(), 32);
        else
            QVERIFY(digest.error().message.contains(u"sha256:"));
    }

    void certificateIsMadeKeptAndRemade()
    {
        QTemporaryDir dir;
        const QStringList hosts{QStringLiteral("deck.example"), QStringLiteral("192.0.2.7"),
                                QStringLiteral("127.0.0.1")};
        auto first = Api::prepareServerCertificate(dir.path(), hosts);
        QVERIFY2(first, first ? "" : messageOf(first.error()));
        QVERIFY(first->made);
        QVERIFY(first->fingerprint.startsWith(u"sha256:"));
        QCOMPARE(first->fingerprint.size(), 7 + 32 * 3 - 1);
        const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                            QFileDevice::ExeGroup | QFileDevice::ReadOther |
                            QFileDevice::WriteOther | QFileDevice::ExeOther;
        for (const QString &path : {first->keyPath, first->certificatePath}) {
            QVERIFY(QFileInfo(path).permissions() & QFileDevice::ReadOwner);
            QVERIFY2(!(QFileInfo(path).permissions() & others), qPrintable(path)); // 0600
        }
        const auto chain = QSslCertificate::fromPath(first->certificatePath);
        QCOMPARE(chain.size(), 1);
        QVERIFY(chain.first().isSelfSigned());
        const auto names = chain.first().subjectAlternativeNames();
        QVERIFY(names.values(QSsl::DnsEntry).contains(u"deck.example"));
        QVERIFY(names.values(QSsl::IpAddressEntry).contains(u"192.0.2.7"));
        QCOMPARE(Fingerprint::ofCertificate(chain.first().toDer()), first->fingerprint);

        auto again = Api::prepareServerCertificate(dir.path(), hosts.mid(1));
        QVERIFY(again);
        QVERIFY(!again->made); // still covers every host: kept, and so is its fingerprint
        QCOMPARE(again->fingerprint, first->fingerprint);

        auto moved = Api::prepareServerCertificate(
            dir.path(), hosts + QStringList{QStringLiteral("new.example")});
        QVERIFY(moved);
        QVERIFY(moved->made);
        QVERIFY(moved->fingerprint != first->fingerprint);
    }

    void hostsComeFromThePublicUrlAndListenAddress()
    {
        const QStringList hosts = Api::certificateHosts(QStringLiteral("https://deck.example:7070"),
                                                        QStringLiteral("10.1.2.3"));
        QCOMPARE(hosts.value(0), QStringLiteral("deck.example"));
        QVERIFY(hosts.contains(u"10.1.2.3"));
        QVERIFY(hosts.contains(u"localhost"));
        QVERIFY(!Api::certificateHosts({}, QStringLiteral("0.0.0.0")).contains(u"0.0.0.0"));
    }

    void pinnedClientAcceptsOnlyThatCertificate()
    {
        QTemporaryDir dir;
        auto certificate = Api::prepareServerCertificate(
            dir.path(), Api::certificateHosts({}, QStringLiteral("127.0.0.1")));
        QVERIFY(certificate);
        TlsServer server;
        QVERIFY(server.start(*certificate));
        QCOMPARE(server.api().fingerprint(), certificate->fingerprint);

        auto pinned = versionThrough(server.url(), certificate->fingerprint);
        QVERIFY2(pinned, pinned ? "" : messageOf(pinned.error()));
        QCOMPARE(pinned->value(u"tls_fingerprint").toString(), certificate->fingerprint);
        // The pin is written any way a user may write it.
        QVERIFY(
            versionThrough(server.url(), certificate->fingerprint.mid(7).remove(u':').toLower()));

        // Another fingerprint: refused, naming both, and marked so that nobody retries.
        auto refused = versionThrough(server.url(), OtherFingerprint);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Unavailable);
        QVERIFY2(refused.error().message.contains(certificate->fingerprint),
                 qPrintable(refused.error().message));
        QVERIFY(refused.error().message.contains(OtherFingerprint));
        QCOMPARE(refused.error().details.value(u"reason").toString(),
                 QStringLiteral("tls_certificate_refused"));

        // Without a pin the self-signed certificate is not trusted at all.
        auto untrusted = versionThrough(server.url(), {});
        QVERIFY(!untrusted);
        QCOMPARE(untrusted.error().code, ErrorCode::Unavailable);
    }

    void caFileTrustsTheCertificateForItsNamesOnly()
    {
        QTemporaryDir dir;
        auto certificate = Api::prepareServerCertificate(dir.path(), {QStringLiteral("127.0.0.1")});
        QVERIFY(certificate);
        TlsServer server;
        QVERIFY(server.start(*certificate));
        auto trusted = versionThrough(server.url(), {}, certificate->certificatePath);
        QVERIFY2(trusted, trusted ? "" : messageOf(trusted.error()));
        // The same certificate reached by a name it does not hold: the host name is checked.
        auto wrongName = versionThrough(server.url(QStringLiteral("localhost")), {},
                                        certificate->certificatePath);
        QVERIFY(!wrongName);
        QCOMPARE(wrongName.error().code, ErrorCode::Unavailable);
    }

    void checksTellWhatToChange()
    {
        QVERIFY(Client::checkTlsTrust(OtherFingerprint, {}).isEmpty());
        QVERIFY(Client::checkTlsTrust(QStringLiteral("sha256:AB"), {}).contains(u"sha256:"));
        QVERIFY(Client::checkTlsTrust(OtherFingerprint, QStringLiteral("/etc/hostname"))
                    .contains(u"not both"));
        QVERIFY(Client::checkTlsTrust({}, QStringLiteral("/nonexistent.pem")).contains(u"PEM"));
    }

    void connectCommandAndScriptsCarryTheFingerprint()
    {
        QTemporaryDir dir;
        auto certificate = Api::prepareServerCertificate(dir.path(), {QStringLiteral("127.0.0.1")});
        QVERIFY(certificate);
        TlsServer server;
        QVERIFY(server.start(*certificate));
        QD_AWAIT(queue,
                 server.engine().createQueue(QStringLiteral("default"), QStringLiteral("tls"), {}));
        Client::ClientOptions options{server.url(), server.token()};
        options.serverFingerprint = certificate->fingerprint;
        Client::QueueDeckClient admin(options);
        auto command = await(admin.workerCommand(queue.id));
        QVERIFY2(command, command ? "" : messageOf(command.error()));
        QVERIFY2(command->value(u"command")
                     .toString()
                     .contains(QStringLiteral("--server-fingerprint ") + certificate->fingerprint),
                 qPrintable(command->value(u"command").toString()));
        QCOMPARE(command->value(u"server_fingerprint").toString(), certificate->fingerprint);
        QVERIFY(command->value(u"server_url").toString().startsWith(u"https://"));
        for (const QString &platform :
             {QStringLiteral("local"), QStringLiteral("docker"), QStringLiteral("kubernetes")}) {
            auto script = await(admin.installScript(queue.id, platform));
            QVERIFY2(script, script ? "" : messageOf(script.error()));
            QVERIFY2(script->contains(u"QUEUEDECK_SERVER_FINGERPRINT"), qPrintable(platform));
            QVERIFY(script->contains(certificate->fingerprint));
        }
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
