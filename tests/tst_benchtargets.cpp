// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The benchmarks' floors as ratios to the peer harness: reading its report, finding the figure of
// the same condition, and judging QueueDeck's figure against beanstalkd's or the best peer's.
#include "benchcondition.h"
#include "peercomparison.h"
#include "rawenqueuer.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace QueueDeck::Bench;

namespace {

QByteArray fixture()
{
    QFile file(QStringLiteral(PEERS_FIXTURE));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", PEERS_FIXTURE);
    return file.readAll();
}

// The fixture without meta.condition, as reports from before the harness named it.
QByteArray withoutCondition()
{
    QJsonObject root = QJsonDocument::fromJson(fixture()).object();
    QJsonObject meta = root.value(QLatin1StringView("meta")).toObject();
    meta.remove(QLatin1StringView("condition"));
    root.insert(QLatin1StringView("meta"), meta);
    return QJsonDocument(root).toJson();
}

Target targetOf(Figure figure)
{
    for (const Target &target : targets()) {
        if (target.figure == figure)
            return target;
    }
    qFatal("no target for a figure");
}

} // namespace

class TestBenchTargets final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsTheMediansAndTheCondition()
    {
        const auto run = parsePeerRun(fixture(), QStringLiteral("fixture"));
        QVERIFY2(run, qPrintable(run ? QString() : run.error()));
        QCOMPARE(run->condition, Condition::Idle);
        QCOMPARE(run->figure(QStringLiteral("beanstalkd"), Figure::SingleEnqueueRate), 18000.0);
        QCOMPARE(run->figure(QStringLiteral("beanstalkd"), Figure::WakeUpP99Ms), 2.0);
        QCOMPARE(run->figure(QStringLiteral("queuedeck"), Figure::DrainServerCpuUs), 50.0);
        // A report without the per-task figure: the drain's CPU seconds over its N tasks.
        QCOMPARE(run->figure(QStringLiteral("beanstalkd"), Figure::DrainServerCpuUs), 30.0);
        // null in the report: no figure, not zero.
        QCOMPARE(run->figure(QStringLiteral("beanstalkd"), Figure::DrainRate), std::nullopt);
        QCOMPARE(run->figure(QStringLiteral("beanstalkd"), Figure::BatchEnqueueRate), std::nullopt);
        QCOMPARE(run->figure(QStringLiteral("nobody"), Figure::DrainRate), std::nullopt);
    }

    void conditionsByName_data()
    {
        QTest::addColumn<QString>("harness");
        QTest::addColumn<QString>("name");
        QTest::newRow("idle") << QStringLiteral("idle machine") << QStringLiteral("idle");
        QTest::newRow("busy") << QStringLiteral("one CPU kept busy by a hog process")
                              << QStringLiteral("busy-core");
        QTest::newRow("pin") << QStringLiteral("pinned to CPU 0") << QStringLiteral("pin0");
    }
    void conditionsByName()
    {
        QFETCH(QString, harness);
        QFETCH(QString, name);
        const auto condition = conditionFromHarness(harness);
        QVERIFY(condition);
        QCOMPARE(conditionName(*condition), name);
        QCOMPARE(conditionFromName(name), condition);
    }
    void aCombinedOrUnknownConditionIsNoneOfThem()
    {
        QCOMPARE(conditionFromHarness(u"pinned to CPU 0; one CPU kept busy by a hog process"),
                 std::nullopt);
        QCOMPARE(conditionFromHarness(u"pinned to CPU 1"), std::nullopt);
        QCOMPARE(conditionFromName(u"busy"), std::nullopt);
    }

    void conditionArguments()
    {
        QCOMPARE(*conditionsFromArguments({QStringLiteral("bench")}),
                 QList<Condition>{Condition::Idle});
        QCOMPARE(*conditionsFromArguments({QStringLiteral("bench"), QStringLiteral("--condition"),
                                           QStringLiteral("busy-core")}),
                 QList<Condition>{Condition::BusyCore});
        const QList<Condition> all{Condition::Idle, Condition::BusyCore, Condition::Pin0};
        QCOMPARE(*conditionsFromArguments({QStringLiteral("bench"), QStringLiteral("--conditions"),
                                           QStringLiteral("all")}),
                 all);
        const auto unknown = conditionsFromArguments(
            {QStringLiteral("bench"), QStringLiteral("--condition"), QStringLiteral("busy")});
        QVERIFY(!unknown);
        QVERIFY2(unknown.error().contains(u"busy-core"), qPrintable(unknown.error()));
        QVERIFY(!conditionsFromArguments({QStringLiteral("--condition"), QStringLiteral("idle"),
                                          QStringLiteral("--conditions"), QStringLiteral("all")}));
        QVERIFY(!conditionsFromArguments({QStringLiteral("--conditions"), QStringLiteral("some")}));
    }

    void aReportNamingNoConditionNeedsOne()
    {
        const auto unnamed = parsePeerRun(withoutCondition(), QStringLiteral("old.json"));
        QVERIFY(!unnamed);
        QVERIFY2(unnamed.error().contains(u"names no condition"), qPrintable(unnamed.error()));
        const auto given =
            parsePeerRun(withoutCondition(), QStringLiteral("old.json"), Condition::BusyCore);
        QVERIFY(given);
        QCOMPARE(given->condition, Condition::BusyCore);
    }

    void peersArgumentTakesAConditionAndAFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(withoutCondition());
        file.close();
        const auto loaded = loadPeerRun(QStringLiteral("pin0=") + path);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error()));
        QCOMPARE(loaded->condition, Condition::Pin0);
        QCOMPARE(loaded->source, path);
        const auto badCondition = loadPeerRun(QStringLiteral("loaded=") + path);
        QVERIFY(!badCondition);
        QVERIFY2(badCondition.error().contains(u"unknown condition"),
                 qPrintable(badCondition.error()));
        const auto missing = loadPeerRun(dir.filePath(QStringLiteral("none.json")));
        QVERIFY(!missing);
        QVERIFY2(missing.error().contains(u"cannot read"), qPrintable(missing.error()));
        QVERIFY(!parsePeerRun("{\"meta\":{}}", QStringLiteral("x")));
        QVERIFY(!parsePeerRun("not json", QStringLiteral("x")));
    }

    void ratiosAgainstBeanstalkd_data()
    {
        QTest::addColumn<int>("figure");
        QTest::addColumn<double>("ours");
        QTest::addColumn<double>("ratio");
        QTest::addColumn<bool>("met");
        // one-by-one enqueue, beanstalkd 18,000/s, target ≥ 1.0x
        QTest::newRow("enqueue behind") << int(Figure::SingleEnqueueRate) << 9000.0 << 0.5 << false;
        QTest::newRow("enqueue level") << int(Figure::SingleEnqueueRate) << 18000.0 << 1.0 << true;
        // p99, beanstalkd 2 ms, target ≤ 1.0x: lower is better
        QTest::newRow("p99 worse") << int(Figure::WakeUpP99Ms) << 3.0 << 1.5 << false;
        QTest::newRow("p99 better") << int(Figure::WakeUpP99Ms) << 1.0 << 0.5 << true;
        // server CPU per enqueue, beanstalkd 40 µs, target ≤ 1.5x
        QTest::newRow("cpu within") << int(Figure::SingleEnqueueServerCpuUs) << 60.0 << 1.5 << true;
        QTest::newRow("cpu over") << int(Figure::SingleEnqueueServerCpuUs) << 80.0 << 2.0 << false;
        // server CPU per drained task, beanstalkd 30 µs (from its CPU seconds), target ≤ 1.5x
        QTest::newRow("drain cpu over")
            << int(Figure::DrainServerCpuUs) << 50.0 << 50.0 / 30.0 << false;
    }
    void ratiosAgainstBeanstalkd()
    {
        QFETCH(int, figure);
        QFETCH(double, ours);
        QFETCH(double, ratio);
        QFETCH(bool, met);
        const auto run = parsePeerRun(fixture(), QStringLiteral("fixture"));
        QVERIFY(run);
        const Verdict verdict = judge(targetOf(Figure(figure)), ours, &*run);
        QVERIFY(verdict.ratio);
        QVERIFY2(qAbs(*verdict.ratio - ratio) < 1e-9, qPrintable(verdict.text));
        QCOMPARE(verdict.peerName, QStringLiteral("beanstalkd"));
        QCOMPARE(verdict.outcome, met ? Verdict::Outcome::Met : Verdict::Outcome::Missed);
        // A missed target never reads as met.
        QCOMPARE(verdict.text.endsWith(u", met"), met);
        QCOMPARE(verdict.text.contains(u"MISSED"), !met);
    }

    void batchAgainstTheBestPeerOnly()
    {
        const auto run = parsePeerRun(fixture(), QStringLiteral("fixture"));
        QVERIFY(run);
        // bullmq 10,000/s is the best peer: QueueDeck's own row and the in-memory mock are not
        // peers, and beanstalkd has no batch.
        const Verdict verdict = judge(targetOf(Figure::BatchEnqueueRate), 25000.0, &*run);
        QCOMPARE(verdict.peerName, QStringLiteral("bullmq"));
        QCOMPARE(*verdict.ratio, 2.5);
        QCOMPARE(verdict.outcome, Verdict::Outcome::Missed);
        QCOMPARE(judge(targetOf(Figure::BatchEnqueueRate), 30000.0, &*run).outcome,
                 Verdict::Outcome::Met);
    }

    void noSamplesIsSaidNotPrintedAsZero()
    {
        const auto run = parsePeerRun(fixture(), QStringLiteral("fixture"));
        QVERIFY(run);
        const Verdict ours = judge(targetOf(Figure::SingleEnqueueRate), std::nullopt, &*run);
        QCOMPARE(ours.outcome, Verdict::Outcome::NoSamples);
        QVERIFY(!ours.ratio);
        QVERIFY2(ours.text.contains(u"no samples"), qPrintable(ours.text));
        QVERIFY2(!ours.text.contains(u" 0/s") && !ours.text.contains(u"0.00x"),
                 qPrintable(ours.text));
        // beanstalkd's drain is null in the report: not judged, and said so.
        const Verdict peer = judge(targetOf(Figure::DrainRate), 12000.0, &*run);
        QCOMPARE(peer.outcome, Verdict::Outcome::NoPeerFigure);
        QVERIFY(!peer.ratio);
        QVERIFY2(peer.text.contains(u"beanstalkd collected no samples"), qPrintable(peer.text));
        QVERIFY(!peer.text.contains(u"met"));
    }

    void aConditionWithoutAReportIsNotJudged()
    {
        const auto run = parsePeerRun(fixture(), QStringLiteral("fixture"));
        QVERIFY(run);
        const QList<PeerRun> runs{*run};
        QCOMPARE(runFor(runs, Condition::Idle), &runs.first());
        QCOMPARE(runFor(runs, Condition::BusyCore), nullptr);
        const Verdict verdict =
            judge(targetOf(Figure::SingleEnqueueRate), 20000.0, runFor(runs, Condition::BusyCore));
        QCOMPARE(verdict.outcome, Verdict::Outcome::NoPeerFigure);
        QVERIFY2(verdict.text.contains(u"no peer report for this condition"),
                 qPrintable(verdict.text));
    }
    // The plain-socket producers' reading of an answer (qdeck-apibench raw64).
    void answerLengths_data()
    {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<qsizetype>("length");
        const QByteArray answer = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                                  "Content-Length: 7\r\n\r\n{\"a\":1}";
        QTest::newRow("complete") << answer << answer.size();
        QTest::newRow("and the next one") << answer + "HTTP/1.1 2" << answer.size();
        QTest::newRow("body incomplete") << answer.chopped(1) << qsizetype(0);
        QTest::newRow("head incomplete") << answer.left(30) << qsizetype(0);
        QTest::newRow("header case")
            << QByteArray("HTTP/1.1 200 OK\r\ncontent-LENGTH: 0\r\n\r\n") << qsizetype(38);
        QTest::newRow("refused") << QByteArray(
                                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                                 << qsizetype(-1);
        QTest::newRow("no length") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
                                                 "\r\n\r\n")
                                   << qsizetype(-1);
    }
    void answerLengths()
    {
        QFETCH(QByteArray, in);
        QFETCH(qsizetype, length);
        QString error;
        QCOMPARE(completeAnswerLength(in, &error), length);
        QCOMPARE(error.isEmpty(), length >= 0);
    }
};

QTEST_GUILESS_MAIN(TestBenchTargets)
#include "tst_benchtargets.moc"
