// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "latencyhistogram.h"

#include <QTest>

using namespace QueueDeck;

class TestLatencyHistogram final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void emptyIsZero()
    {
        LatencyHistogram histogram;
        QCOMPARE(histogram.count(), quint64(0));
        QCOMPARE(histogram.quantileMs(0.99), qint64(0));
    }
    void bucketsContainTheirValues()
    {
        for (qint64 value : {0LL, 1LL, 2LL, 3LL, 4LL, 5LL, 7LL, 8LL, 100LL, 1000LL, 123456LL}) {
            const int bucket = LatencyHistogram::bucketFor(value);
            QVERIFY2(LatencyHistogram::bucketUpperBoundMs(bucket) >= value,
                     qPrintable(QString::number(value)));
            if (bucket > 0)
                QVERIFY(LatencyHistogram::bucketUpperBoundMs(bucket - 1) < value);
        }
    }
    void quantilesWithinBucketError()
    {
        LatencyHistogram histogram;
        for (int i = 1; i <= 1000; ++i)
            histogram.record(i);
        // Nearest rank of 1…1000: p50 = 500, p95 = 950, p99 = 990; a bucket is ≤ 25% wide.
        const auto within = [](qint64 got, qint64 want) {
            return got >= want && got <= want * 5 / 4;
        };
        QVERIFY2(within(histogram.quantileMs(0.50), 500),
                 qPrintable(QString::number(histogram.quantileMs(0.5))));
        QVERIFY2(within(histogram.quantileMs(0.95), 950),
                 qPrintable(QString::number(histogram.quantileMs(0.95))));
        QVERIFY(within(histogram.quantileMs(0.99), 990));
        QCOMPARE(histogram.quantileMs(1.0), qint64(1000));
        QCOMPARE(histogram.maxMs(), qint64(1000));
    }
    void mergeEqualsRecordingTogether()
    {
        LatencyHistogram a;
        LatencyHistogram b;
        LatencyHistogram both;
        for (int i = 0; i < 500; ++i) {
            a.record(i % 37);
            b.record(i * 13 % 4000);
            both.record(i % 37);
            both.record(i * 13 % 4000);
        }
        a.merge(b);
        QCOMPARE(a.count(), both.count());
        for (double q : {0.1, 0.5, 0.9, 0.95, 0.99})
            QCOMPARE(a.quantileMs(q), both.quantileMs(q));
    }
    void encodeDecodeRoundTrip()
    {
        LatencyHistogram histogram;
        for (int i = 0; i < 300; ++i)
            histogram.record(i * i);
        const auto decoded = LatencyHistogram::decode(histogram.encode());
        QVERIFY(decoded);
        QCOMPARE(decoded->count(), histogram.count());
        QCOMPARE(decoded->maxMs(), histogram.maxMs());
        QCOMPARE(decoded->quantileMs(0.95), histogram.quantileMs(0.95));
        QVERIFY(LatencyHistogram::decode(";0"));
        QVERIFY(!LatencyHistogram::decode("garbage"));
        QVERIFY(!LatencyHistogram::decode("999:1;5"));
        QVERIFY(!LatencyHistogram::decode("1:x;5"));
    }
};

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "tst_latencyhistogram.moc"
