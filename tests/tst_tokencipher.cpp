// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "tokencipher.h"

#include <QTest>

using namespace QueueDeck;

class TestTokenCipher final : public QObject
{
    Q_OBJECT
private:
    static TokenCipher cipher(char fill) { return *TokenCipher::fromKey(QByteArray(32, fill)); }

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("plain");
        QTest::newRow("join token") << QStringLiteral("qdj_0123456789abcdefghijklmnopqrstuv");
        QTest::newRow("empty") << QString();
        QTest::newRow("not ascii") << QStringLiteral("jeton-é-トークン");
    }
    void roundTrip()
    {
        QFETCH(QString, plain);
        const TokenCipher a = cipher('a');
        auto sealed = a.seal(plain, QStringLiteral("q_1"));
        QVERIFY(sealed);
        QVERIFY(TokenCipher::isSealed(*sealed));
        if (!plain.isEmpty())
            QVERIFY(!sealed->contains(plain));
        auto opened = a.open(*sealed, QStringLiteral("q_1"));
        QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
        QCOMPARE(*opened, plain);
        // A fresh nonce each time: the same token never seals to the same text.
        QVERIFY(*a.seal(plain, QStringLiteral("q_1")) != *sealed);
    }

    void tamperedValueIsRefused_data()
    {
        QTest::addColumn<int>("index"); // which base64 character of the body is changed
        QTest::newRow("nonce") << 0;
        QTest::newRow("ciphertext") << 20;
        QTest::newRow("tag") << -3;
    }
    void tamperedValueIsRefused()
    {
        QFETCH(int, index);
        const TokenCipher a = cipher('a');
        QString sealed = *a.seal(QStringLiteral("qdj_secret"), QStringLiteral("q_1"));
        const qsizetype at =
            index >= 0 ? TokenCipher::Prefix.size() + index : sealed.size() + index;
        sealed[at] = sealed[at] == u'A' ? u'B' : u'A';
        auto opened = a.open(sealed, QStringLiteral("q_1"));
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(opened.error().message.contains(u"cluster key"));
    }

    void anotherContextIsRefused()
    {
        const TokenCipher a = cipher('a');
        const QString sealed = *a.seal(QStringLiteral("qdj_secret"), QStringLiteral("q_1"));
        QVERIFY(!a.open(sealed, QStringLiteral("q_2"))); // copied onto another queue's row
    }

    void wrongKeyIsRefusedNamingTheFix()
    {
        const QString sealed =
            *cipher('a').seal(QStringLiteral("qdj_secret"), QStringLiteral("q_1"));
        auto opened = cipher('b').open(sealed, QStringLiteral("q_1"));
        QVERIFY(!opened);
        QVERIFY(opened.error().message.contains(u"QUEUEDECK_CLUSTER_KEY"));
        QVERIFY(opened.error().message.contains(u"cluster-key"));
    }

    void plainOrTruncatedTextIsRefused()
    {
        const TokenCipher a = cipher('a');
        QVERIFY(!a.open(QStringLiteral("qdj_plaintext"), QStringLiteral("q_1")));
        QVERIFY(!a.open(QStringLiteral("qdk1:AAAA"), QStringLiteral("q_1")));
        QVERIFY(!a.open(QStringLiteral("qdk1:not base64!"), QStringLiteral("q_1")));
    }

    void keyMustBe32Bytes()
    {
        QVERIFY(!TokenCipher::fromKey(QByteArray(16, 'a')));
        QVERIFY(!TokenCipher::fromKey(QByteArray()));
        QVERIFY(TokenCipher::fromKey(QByteArray(32, 'a')));
    }
};

QTEST_GUILESS_MAIN(TestTokenCipher)
#include "tst_tokencipher.moc"
