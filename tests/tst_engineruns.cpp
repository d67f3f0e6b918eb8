// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Runs (design §10) on the engine with the manual clock: children enqueued by the worker holding
// their parent, max_active_runs holding roots (never children) back, a run's outcome, cancel,
// waits, and the run counts surviving a restart.

#include "enginefixture.h"
#include "ids.h"

#include <QStandardPaths>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestEngineRuns final : public QObject
{
    Q_OBJECT

    std::unique_ptr<EngineFixture> m_f;
    QString m_queue;

    Engine &engine() { return m_f->engine(); }
    bool setUp(QueueSettings settings = {})
    {
        m_f = std::make_unique<EngineFixture>();
        if (!m_f->start())
            return false;
        auto queue = await(
            engine().createQueue(QStringLiteral("default"), QStringLiteral("work"), settings));
        if (!queue)
            return false;
        m_queue = queue->id;
        return true;
    }
    ChildEnqueue childOf(const LeasedTask &parent, const QString &workerId,
                         const QString &queueId = {})
    {
        ChildEnqueue child;
        child.parentId = parent.id;
        child.leaseId = parent.leaseId;
        child.workerId = workerId;
        child.queueId = queueId;
        child.task = job(R"({"child":true})");
        child.task.type = QStringLiteral("child");
        return child;
    }
    QueueCounts countsOf(const QString &queueId)
    {
        auto queue = await(engine().queue(queueId));
        return queue ? queue->counts : QueueCounts{};
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup() { m_f.reset(); }

    // The issue's case: max_active_runs 1, a root fans out 50 children that all run at once on
    // several workers, while a second root waits; it starts once the first run is finished.
    void oneActiveRunFansOutWhileTheNextRootWaits()
    {
        QueueSettings settings;
        settings.maxActiveRuns = 1;
        settings.maxWorkers = 0;
        QVERIFY(setUp(settings));
        QD_AWAIT(first, engine().enqueue(m_queue, job(R"({"root":1})")));
        QD_AWAIT(second, engine().enqueue(m_queue, job(R"({"root":2})")));
        QCOMPARE(first.runId, first.id);
        QCOMPARE(countsOf(m_queue).waitingRuns, qint64(2));

        QD_AWAIT(parentWorker, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(roots, engine().lease({parentWorker.workerId, 10, 0}));
        QCOMPARE(roots.size(), 1); // the second root is held back
        QCOMPARE(roots[0].id, first.id);
        QCOMPARE(countsOf(m_queue).activeRuns, qint64(1));
        QCOMPARE(countsOf(m_queue).waitingRuns, qint64(1));
        QCOMPARE(countsOf(m_queue).queued, qint64(1)); // held back, still queued

        QStringList children;
        for (int i = 0; i < 50; ++i) {
            QD_AWAIT(child, engine().enqueueChild(childOf(roots[0], parentWorker.workerId)));
            QCOMPARE(child.parentId, first.id);
            QCOMPARE(child.runId, first.id);
            children.append(child.id);
        }
        // Five workers of ten slots each take all 50 children at once: none is capped, and the
        // waiting root is not among them.
        QList<LeasedTask> running;
        QStringList workers;
        for (int w = 0; w < 5; ++w) {
            QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
            QD_AWAIT(leased, engine().lease({reg.workerId, 10, 0}));
            QCOMPARE(leased.size(), 10);
            for (const LeasedTask &task : leased) {
                QVERIFY2(task.id != second.id, "the second root started during the first run");
                running.append(task);
                workers.append(reg.workerId);
            }
        }
        QCOMPARE(running.size(), 50);
        QCOMPARE(countsOf(m_queue).running, qint64(51));
        QD_AWAIT(active, engine().runState(first.id));
        QCOMPARE(active, RunState::Active);
        QD_AWAIT(waiting, engine().runState(second.id));
        QCOMPARE(waiting, RunState::Waiting);

        // The children finish, then the root: the run is over and the second root starts.
        for (qsizetype i = 0; i < running.size(); ++i) {
            QD_AWAIT(done, engine().complete(
                               {workers[i], {{running[i].id, running[i].leaseId, {}}}, {}}));
        }
        QD_AWAIT(stillHeld, engine().lease({parentWorker.workerId, 10, 0}));
        QVERIFY(stillHeld.isEmpty()); // the root still runs: its run is active
        QD_AWAIT(rootDone, engine().complete(
                               {parentWorker.workerId, {{first.id, roots[0].leaseId, {}}}, {}}));
        QD_AWAIT(finished, engine().runState(first.id));
        QCOMPARE(finished, RunState::Succeeded);
        QD_AWAIT(next, engine().lease({parentWorker.workerId, 10, 0}));
        QCOMPARE(next.size(), 1);
        QCOMPARE(next[0].id, second.id);
        QCOMPARE(countsOf(m_queue).activeRuns, qint64(1));
        QCOMPARE(countsOf(m_queue).waitingRuns, qint64(0));

        QD_AWAIT(run, engine().run(first.id));
        QCOMPARE(run.total, qint64(51));
        QCOMPARE(run.succeeded, qint64(51));
        QCOMPARE(run.tasks.front().id, first.id);
        QCOMPARE(run.tasks.at(1).parentId, first.id);
    }

    // A root that failed and waits for its retry keeps its run's place: it is not held back
    // behind roots of runs that have not started, though the run limit is reached.
    void aRetriedRootKeepsItsRunsPlace()
    {
        QueueSettings settings;
        settings.maxActiveRuns = 1;
        settings.retry.maxAttempts = 3;
        QVERIFY(setUp(settings));
        QD_AWAIT(first, engine().enqueue(m_queue, job(R"({"root":1})")));
        QD_AWAIT(second, engine().enqueue(m_queue, job(R"({"root":2})")));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QCOMPARE(leased.size(), 1);
        QCOMPARE(leased[0].id, first.id);
        QD_AWAIT(failed, engine().complete(
                             {reg.workerId,
                              {},
                              {{first.id, leased[0].leaseId, QStringLiteral("try again"), true}}}));
        QCOMPARE(countsOf(m_queue).activeRuns, qint64(1));
        m_f->advance(3'600'000); // past any backoff
        QD_AWAIT(retried, engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(retried.size(), 1);
        QCOMPARE(retried[0].id, first.id);
        QCOMPARE(retried[0].attempt, 2);
        QD_AWAIT(waiting, engine().runState(second.id));
        QCOMPARE(waiting, RunState::Waiting);
    }

    // Children are never held back by max_active_runs, even in a queue of their own with
    // max_active_runs 1; that queue's concurrency still applies.
    void childrenAreNotCappedButTheirQueueRulesApply()
    {
        QueueSettings settings;
        settings.maxActiveRuns = 1;
        QVERIFY(setUp(settings));
        QueueSettings childSettings;
        childSettings.maxActiveRuns = 1;
        childSettings.concurrency = 3;
        QD_AWAIT(childQueue, engine().createQueue(QStringLiteral("default"),
                                                  QStringLiteral("steps"), childSettings));
        QueuePatch patch;
        patch.childQueues = QStringList{childQueue.id};
        QD_AWAIT(patched, engine().updateQueue(m_queue, patch));
        QCOMPARE(patched.settings.childQueues, QStringList{childQueue.id});

        QD_AWAIT(root, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue, childQueue.id})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QCOMPARE(leased.size(), 1);
        for (int i = 0; i < 5; ++i) {
            QD_AWAIT(child, engine().enqueueChild(childOf(leased[0], reg.workerId, childQueue.id)));
        }
        QD_AWAIT(children, engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(children.size(), 3); // the child queue's concurrency, not max_active_runs
        QCOMPARE(countsOf(childQueue.id).activeRuns, qint64(0)); // runs count where rooted
        QCOMPARE(countsOf(m_queue).activeRuns, qint64(1));
    }

    void outcomeFailedWhenAChildDies()
    {
        QueueSettings settings;
        settings.retry.maxAttempts = 1;
        QVERIFY(setUp(settings));
        QD_AWAIT(root, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QD_AWAIT(child, engine().enqueueChild(childOf(leased[0], reg.workerId)));
        QD_AWAIT(rootDone,
                 engine().complete({reg.workerId, {{root.id, leased[0].leaseId, {}}}, {}}));
        QD_AWAIT(stillActive, engine().runState(root.id));
        QCOMPARE(stillActive, RunState::Active); // the root succeeded, its child has not run
        QD_AWAIT(childLease, engine().lease({reg.workerId, 1, 0}));
        QCOMPARE(childLease.size(), 1);
        QCOMPARE(childLease[0].id, child.id);
        QD_AWAIT(
            failedChild,
            engine().complete({reg.workerId,
                               {},
                               {{child.id, childLease[0].leaseId, QStringLiteral("no"), true}}}));
        QD_AWAIT(outcome, engine().runState(root.id));
        QCOMPARE(outcome, RunState::Failed);
        QD_AWAIT(run, engine().run(root.id));
        QCOMPARE(run.state, RunState::Failed);
        QCOMPARE(run.failed, qint64(1));
        QCOMPARE(run.succeeded, qint64(1));
        QVERIFY(run.durationMs.has_value());
    }

    void cancelRunCancelsEveryUnfinishedTask()
    {
        QVERIFY(setUp());
        QD_AWAIT(root, engine().enqueue(m_queue, job()));
        QD_AWAIT(other, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QCOMPARE(leased[0].id, root.id);
        for (int i = 0; i < 4; ++i) {
            QD_AWAIT(child, engine().enqueueChild(childOf(leased[0], reg.workerId)));
        }
        QD_AWAIT(cancelled, engine().cancelRun(root.id));
        QCOMPARE(cancelled, qint64(5)); // the running root and its four waiting children
        QD_AWAIT(run, engine().run(root.id));
        QCOMPARE(run.unfinished, qint64(0));
        QCOMPARE(run.state, RunState::Failed);
        QD_AWAIT(untouched, engine().task(other.id));
        QCOMPARE(untouched.state, TaskState::Queued);
        // The root's worker is told to stop it and may enqueue nothing more.
        QD_AWAIT(beat, engine().heartbeat(reg.workerId, {root.id}));
        QCOMPARE(beat.cancel, QStringList{root.id});
        QD_EXPECT_ERROR(engine().enqueueChild(childOf(leased[0], reg.workerId)),
                        ErrorCode::FailedPrecondition);
    }

    void childRefusedWithoutALiveLease()
    {
        QVERIFY(setUp());
        QD_AWAIT(root, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(other, engine().registerWorker(workerOn({m_queue})));
        // Not leased yet.
        LeasedTask notLeased{root.id, Ids::leaseId(42), m_queue, {}, {}, 0, 0, {}};
        QD_EXPECT_ERROR(engine().enqueueChild(childOf(notLeased, reg.workerId)),
                        ErrorCode::FailedPrecondition);
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        // Another worker's credential, or a wrong lease.
        QD_EXPECT_ERROR(engine().enqueueChild(childOf(leased[0], other.workerId)),
                        ErrorCode::PermissionDenied);
        LeasedTask wrongLease = leased[0];
        wrongLease.leaseId = Ids::leaseId(42);
        QD_EXPECT_ERROR(engine().enqueueChild(childOf(wrongLease, reg.workerId)),
                        ErrorCode::FailedPrecondition);
        // Once the lease has expired, and once the task is done.
        m_f->advance(601 * 1000);
        QD_EXPECT_ERROR(engine().enqueueChild(childOf(leased[0], reg.workerId)),
                        ErrorCode::FailedPrecondition);
        m_f->advance(2000); // the retry's backoff
        QD_AWAIT(again, engine().lease({reg.workerId, 1, 0}));
        QCOMPARE(again.size(), 1);
        QD_AWAIT(ok, engine().enqueueChild(childOf(again[0], reg.workerId)));
        QD_AWAIT(done, engine().complete({reg.workerId, {{root.id, again[0].leaseId, {}}}, {}}));
        QD_EXPECT_ERROR(engine().enqueueChild(childOf(again[0], reg.workerId)),
                        ErrorCode::FailedPrecondition);
    }

    void childRefusedIntoAQueueNotAllowed()
    {
        QVERIFY(setUp());
        QD_AWAIT(elsewhere,
                 engine().createQueue(QStringLiteral("default"), QStringLiteral("elsewhere"), {}));
        QD_AWAIT(root, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QD_EXPECT_ERROR(engine().enqueueChild(childOf(leased[0], reg.workerId, elsewhere.id)),
                        ErrorCode::PermissionDenied);
        QCOMPARE(countsOf(elsewhere.id).queued, qint64(0));
        // Into its own queue, named or not, is allowed.
        QD_AWAIT(named, engine().enqueueChild(childOf(leased[0], reg.workerId, m_queue)));
        QCOMPARE(named.queueId, m_queue);
        // A max_depth of the target queue still applies to children.
        QueuePatch depth;
        depth.maxDepth = 2;
        QD_AWAIT(patched, engine().updateQueue(m_queue, depth));
        QD_EXPECT_ERROR(engine().enqueueChild(childOf(leased[0], reg.workerId)),
                        ErrorCode::ResourceExhausted);
    }

    // A grandchild carries the root's run id; waits answer once the run is finished.
    void grandchildrenAndWaits()
    {
        QVERIFY(setUp());
        QD_AWAIT(root, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QD_AWAIT(child, engine().enqueueChild(childOf(leased[0], reg.workerId)));
        QD_AWAIT(childLease, engine().lease({reg.workerId, 1, 0}));
        QCOMPARE(childLease[0].id, child.id);
        QD_AWAIT(grandchild, engine().enqueueChild(childOf(childLease[0], reg.workerId)));
        QCOMPARE(grandchild.parentId, child.id);
        QCOMPARE(grandchild.runId, root.id);

        auto wait = engine().awaitRun(root.id, 30000);
        QD_AWAIT(a, engine().complete({reg.workerId, {{root.id, leased[0].leaseId, {}}}, {}}));
        QD_AWAIT(b, engine().complete({reg.workerId, {{child.id, childLease[0].leaseId, {}}}, {}}));
        QVERIFY(!wait.isFinished());
        QD_AWAIT(last, engine().lease({reg.workerId, 1, 0}));
        QD_AWAIT(c, engine().complete({reg.workerId, {{grandchild.id, last[0].leaseId, {}}}, {}}));
        QD_AWAIT(waited, wait);
        QCOMPARE(waited.state, RunState::Succeeded);
        QCOMPARE(waited.total, qint64(3));
        // A wait that runs out answers with the run as it is.
        QD_AWAIT(other, engine().enqueue(m_queue, job()));
        auto timedOut = engine().awaitRun(other.id, 5000);
        m_f->advance(5001);
        QD_AWAIT(asItIs, timedOut);
        QCOMPARE(asItIs.state, RunState::Waiting);
        QD_EXPECT_ERROR(engine().run(child.id), ErrorCode::NotFound); // not a root
    }

    // The counts and the roots held back come back the same after a restart.
    void runsSurviveARestart()
    {
        QueueSettings settings;
        settings.maxActiveRuns = 1;
        QVERIFY(setUp(settings));
        QD_AWAIT(first, engine().enqueue(m_queue, job()));
        QD_AWAIT(second, engine().enqueue(m_queue, job()));
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue}, {}, QStringLiteral("w1"))));
        QD_AWAIT(leased, engine().lease({reg.workerId, 1, 0}));
        QD_AWAIT(child, engine().enqueueChild(childOf(leased[0], reg.workerId)));
        QD_AWAIT(done, engine().complete({reg.workerId, {{first.id, leased[0].leaseId, {}}}, {}}));
        QVERIFY(m_f->restart());
        QCOMPARE(countsOf(m_queue).activeRuns, qint64(1));
        QCOMPARE(countsOf(m_queue).waitingRuns, qint64(1));
        QD_AWAIT(again, engine().registerWorker(workerOn({m_queue}, {}, QStringLiteral("w1"))));
        QD_AWAIT(next, engine().lease({again.workerId, 10, 0}));
        QCOMPARE(next.size(), 1);
        QCOMPARE(next[0].id, child.id); // the child, not the held root
        QD_AWAIT(childDone,
                 engine().complete({again.workerId, {{child.id, next[0].leaseId, {}}}, {}}));
        QD_AWAIT(root2, engine().lease({again.workerId, 10, 0}));
        QCOMPARE(root2.size(), 1);
        QCOMPARE(root2[0].id, second.id);
    }

    // Raising max_active_runs (or clearing it) lets held roots start at once.
    void raisingTheLimitReleasesHeldRoots()
    {
        QueueSettings settings;
        settings.maxActiveRuns = 1;
        QVERIFY(setUp(settings));
        for (int i = 0; i < 3; ++i) {
            QD_AWAIT(root, engine().enqueue(m_queue, job()));
        }
        QD_AWAIT(reg, engine().registerWorker(workerOn({m_queue})));
        QD_AWAIT(one, engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(one.size(), 1);
        QueuePatch patch;
        patch.maxActiveRuns = 0;
        QD_AWAIT(patched, engine().updateQueue(m_queue, patch));
        QD_AWAIT(rest, engine().lease({reg.workerId, 10, 0}));
        QCOMPARE(rest.size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestEngineRuns)
#include "tst_engineruns.moc"
