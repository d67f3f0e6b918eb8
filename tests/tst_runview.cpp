// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The Tasks tab's run view against a real server in this process: the tree of a run with its
// children under their parent, states and run times, following the run until it is finished;
// and the queue card's run count.

#include "apifixture.h"
#include "protocol/metrictypes.h"
#include "queuecardwidget.h"
#include "queuedeckclient.h"
#include "runview.h"

#include <QLabel>
#include <QStandardItemModel>
#include <QTreeView>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

class TestRunView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsTheTreeAndFollowsTheRun()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Engine &engine = server.engine();
        QD_AWAIT(queue, engine.createQueue(QStringLiteral("default"), QStringLiteral("runs"), {}));
        QD_AWAIT(root, engine.enqueue(queue.id, job()));
        QD_AWAIT(reg, engine.registerWorker(workerOn({queue.id})));
        QD_AWAIT(leased, engine.lease({reg.workerId, 1, 0}));
        QStringList children;
        for (int i = 0; i < 2; ++i) {
            ChildEnqueue child{root.id, leased[0].leaseId, reg.workerId, {}, job()};
            child.task.type = QStringLiteral("step");
            QD_AWAIT(made, engine.enqueueChild(child));
            children.append(made.id);
        }

        Client::QueueDeckClient client({server.url(), server.token()});
        Ui::RunView view(&client);
        view.showRun(root.id);
        QStandardItemModel *model = view.model();
        QTRY_COMPARE(model->rowCount(), 1);
        const QModelIndex rootIndex = model->index(0, 0);
        QCOMPARE(rootIndex.data().toString(), root.id);
        QCOMPARE(model->rowCount(rootIndex), 2);
        QCOMPARE(model->index(0, 0, rootIndex).data().toString(), children[0]);
        QCOMPARE(model->index(0, 1, rootIndex).data().toString(), QStringLiteral("step"));
        QCOMPARE(model->index(0, 2, rootIndex).data().toString(), QStringLiteral("queued"));
        QCOMPARE(model->index(0, 2).data().toString(), QStringLiteral("running"));
        QVERIFY2(view.summaryText().contains(QStringLiteral("active")),
                 qPrintable(view.summaryText()));

        // The view follows the run to its end.
        QD_AWAIT(done, engine.complete({reg.workerId, {{root.id, leased[0].leaseId, {}}}, {}}));
        QD_AWAIT(rest, engine.lease({reg.workerId, 2, 0}));
        QCOMPARE(rest.size(), 2);
        QD_AWAIT(restDone, engine.complete({reg.workerId,
                                            {{rest[0].id, rest[0].leaseId, {}},
                                             {rest[1].id, rest[1].leaseId, {}}},
                                            {}}));
        QTRY_VERIFY_WITH_TIMEOUT(view.summaryText().contains(QStringLiteral("succeeded —")), 10000);
        QCOMPARE(model->index(0, 2, model->index(0, 0)).data().toString(),
                 QStringLiteral("succeeded"));
        QVERIFY(model->index(0, 4).data().toString() != QStringLiteral("–")); // a run time
    }

    void cardCountsRuns()
    {
        QueueCard card;
        card.queue.id = QStringLiteral("q_aaaaaaaaaa");
        card.queue.name = QStringLiteral("batch");
        card.queue.settings.maxActiveRuns = 1;
        card.queue.counts.activeRuns = 1;
        card.queue.counts.waitingRuns = 1;
        Ui::QueueCardWidget widget;
        widget.setCard(card);
        bool found = false;
        for (const QLabel *label : widget.findChildren<QLabel *>())
            found = found || label->text().contains(QStringLiteral("2 / 1 runs"));
        QVERIFY2(found, "the card does not say 2 / 1 runs");
    }
};

QTEST_MAIN(TestRunView)
#include "tst_runview.moc"
