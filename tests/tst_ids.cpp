// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "ids.h"

#include <QTest>

using namespace QueueDeck;

class TestIds final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void taskIdRoundTrip_data()
    {
        QTest::addColumn<qint64>("createdMs");
        QTest::addColumn<int>("node");
        QTest::addColumn<qint64>("seq");
        QTest::newRow("first") << qint64(1'800'000'000'000) << 0 << qint64(1);
        QTest::newRow("large seq")
            << qint64(1'800'000'000'123) << 7 << std::numeric_limits<qint64>::max();
        QTest::newRow("max node") << qint64(0xFFFFFFFFFFFF) << 0xFFFF << qint64(1);
    }
    void taskIdRoundTrip()
    {
        QFETCH(qint64, createdMs);
        QFETCH(int, node);
        QFETCH(qint64, seq);
        const QString id = Ids::taskId(createdMs, quint16(node), seq);
        QCOMPARE(id.size(), 28);
        QVERIFY(id.startsWith(u"t_"));
        const auto parts = Ids::parseTaskId(id);
        QVERIFY(parts);
        QCOMPARE(parts->createdMs, createdMs);
        QCOMPARE(int(parts->node), node);
        QCOMPARE(parts->seq, seq);
    }
    void taskIdsSortByTime()
    {
        const QString earlier = Ids::taskId(1'800'000'000'000, 0, 500);
        const QString later = Ids::taskId(1'800'000'000'001, 0, 2);
        QVERIFY(earlier < later);
    }
    void rejectsMalformedIds_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("empty") << QString();
        QTest::newRow("wrong prefix") << QStringLiteral("x_0000000000000000000000000a");
        QTest::newRow("short") << QStringLiteral("t_000");
        QTest::newRow("bad char") << QStringLiteral("t_0000000000000000000000000u");
        QTest::newRow("padding bits set") << QStringLiteral("t_0000000000000z000000000000");
    }
    void rejectsMalformedIds()
    {
        QFETCH(QString, id);
        QVERIFY(!Ids::parseTaskId(id));
    }
    void leaseIdRoundTrip()
    {
        for (int i = 0; i < 100; ++i) {
            const qint64 value = Ids::newLeaseValue();
            QVERIFY(value > 0);
            const QString id = Ids::leaseId(value);
            QCOMPARE(id.size(), 15);
            QCOMPARE(Ids::parseLeaseId(id), std::optional<qint64>(value));
        }
        QVERIFY(!Ids::parseLeaseId(u"l_zzzzzzzzzzzzz"));
        QVERIFY(!Ids::parseLeaseId(u"q_0000000000001"));
    }
    void queueIds()
    {
        const QString id = Ids::newQueueId();
        QVERIFY(Ids::isQueueId(id));
        QVERIFY(!Ids::isQueueId(u"q_ABCDEFGHIJ"));
        QVERIFY(!Ids::isQueueId(u"default"));
        QVERIFY(Ids::newSecret(u"qdj_").startsWith(u"qdj_"));
        QCOMPARE(Ids::newSecret(u"qdj_").size(), 36);
        QVERIFY(Ids::newSecret(u"qdj_") != Ids::newSecret(u"qdj_"));
    }
};

QTEST_GUILESS_MAIN(TestIds)
#include "tst_ids.moc"
