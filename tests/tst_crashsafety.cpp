// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Crash safety: a child process works on a real database and is killed with SIGKILL at random
// moments. After each kill the store is reopened: every enqueue the child saw confirmed must be
// there, and no task whose ack was confirmed may be unfinished again.

#include "enginefixture.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>

#include <csignal>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

constexpr int Kills = 50;
constexpr int MinimumConfirmed = 20000;

struct Confirmed
{
    QStringList enqueued;
    QStringList acked;
};

// Complete lines only: a line cut by the kill was never confirmed to the child.
Confirmed parse(const QByteArray &output)
{
    Confirmed confirmed;
    const int end = output.lastIndexOf('\n');
    if (end < 0)
        return confirmed;
    for (const QByteArray &line : output.left(end).split('\n')) {
        if (line.startsWith("E "))
            confirmed.enqueued.append(QString::fromLatin1(line.mid(2)));
        else if (line.startsWith("A "))
            confirmed.acked.append(QString::fromLatin1(line.mid(2)));
    }
    return confirmed;
}

} // namespace

class TestCrashSafety final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void survivesRandomKills()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QRandomGenerator random(20261122);
        qint64 confirmedOperations = 0;
        QSet<QString> allEnqueued;
        QSet<QString> allAcked;

        for (int run = 0; run < Kills; ++run) {
            QProcess child;
            child.start(QStringLiteral(CRASHCHILD_PATH), {dir.path()});
            QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
            QByteArray output;
            // Wait until the child works, then let it run for a random time before the kill.
            while (!output.contains("READY\n")) {
                QVERIFY2(child.waitForReadyRead(10000), "the child did not start working");
                output += child.readAllStandardOutput();
            }
            const int runMs = 60 + int(random.bounded(340));
            QElapsedTimer elapsed;
            elapsed.start();
            while (elapsed.elapsed() < runMs) {
                child.waitForReadyRead(qMax(1, runMs - int(elapsed.elapsed())));
                output += child.readAllStandardOutput();
            }
            ::kill(pid_t(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished(10000));
            output += child.readAllStandardOutput();
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);

            const Confirmed confirmed = parse(output);
            confirmedOperations += confirmed.enqueued.size() + confirmed.acked.size();
            for (const QString &id : confirmed.enqueued)
                allEnqueued.insert(id);
            for (const QString &id : confirmed.acked)
                allAcked.insert(id);

            // Reopen and check this run's confirmations (all of them again at the end).
            EngineOptions options;
            options.dataDirectory = dir.path();
            Engine engine(options);
            auto started = engine.start();
            QVERIFY2(started.has_value(), started ? "" : messageOf(started.error()));
            QList<QFuture<Result<TaskInfo>>> lookups;
            for (const QString &id : confirmed.enqueued + confirmed.acked)
                lookups.append(engine.task(id));
            for (qsizetype i = 0; i < lookups.size(); ++i) {
                const auto task = await(lookups[i]);
                QVERIFY2(task.has_value(),
                         qPrintable(QStringLiteral("run %1: confirmed task lost: %2")
                                        .arg(run)
                                        .arg(task ? QString() : task.error().message)));
                if (allAcked.contains(task->id))
                    QVERIFY2(task->state == TaskState::Succeeded,
                             qPrintable(QStringLiteral("run %1: acked task %2 is %3 again")
                                            .arg(run)
                                            .arg(task->id, taskStateName(task->state))));
            }
        }

        EngineOptions options;
        options.dataDirectory = dir.path();
        Engine engine(options);
        QVERIFY(engine.start().has_value());
        QList<QFuture<Result<TaskInfo>>> lookups;
        // An enqueue can commit just before a kill and never be printed, then be leased and acked
        // by a later run: so look up what was acked as well as what was enqueued.
        const QStringList everything = (allEnqueued | allAcked).values();
        for (const QString &id : everything)
            lookups.append(engine.task(id));
        int succeeded = 0;
        for (auto &lookup : lookups) {
            const auto task = await(lookup);
            QVERIFY2(task.has_value(), task ? "" : messageOf(task.error()));
            if (allAcked.contains(task->id)) {
                QCOMPARE(task->state, TaskState::Succeeded);
                ++succeeded;
            }
        }
        QCOMPARE(succeeded, int(allAcked.size()));
        qInfo("%d kills, %lld confirmed operations (%lld enqueues, %lld acks)", Kills,
              confirmedOperations, qint64(allEnqueued.size()), qint64(allAcked.size()));
        QVERIFY2(confirmedOperations >= MinimumConfirmed,
                 qPrintable(
                     QStringLiteral("only %1 operations were confirmed").arg(confirmedOperations)));
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crashsafety.moc"
