// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The workers table model: QAbstractItemModelTester through updates, sorting and filtering.

#include "workersmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

using namespace QueueDeck;
using namespace QueueDeck::Ui;

namespace {

WorkerInfo worker(const QString &id, int running, qint64 done,
                  WorkerState state = WorkerState::Active)
{
    WorkerInfo w;
    w.id = id;
    w.hostname = QStringLiteral("host-") + id;
    w.queueIds = {QStringLiteral("q_1")};
    w.concurrency = 4;
    w.running = running;
    w.done = done;
    w.state = state;
    w.lastHeartbeatMs = 1'800'000'000'000;
    w.labels.insert(QStringLiteral("gpu"), QStringLiteral("a100"));
    w.status = QStringLiteral("ok");
    w.capabilities =
        QJsonObject{{QStringLiteral("cuda"), QStringLiteral("12.2")}, {QStringLiteral("slots"), 2}};
    return w;
}

} // namespace

class TestWorkersModel final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void updatesInPlaceSortsAndFilters()
    {
        WorkersModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(WorkersModel::SortRole);
        proxy.setFilterKeyColumn(-1);
        proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);

        model.setWorkers({worker(QStringLiteral("w1"), 1, 10), worker(QStringLiteral("w2"), 3, 5),
                          worker(QStringLiteral("w3"), 0, 99, WorkerState::Idle)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(1, WorkersModel::Running).data().toString(), QStringLiteral("3 / 4"));
        QCOMPARE(model.index(2, WorkersModel::State).data().toString(), QStringLiteral("idle"));
        QCOMPARE(model.index(0, WorkersModel::Labels).data().toString(),
                 QStringLiteral("gpu=a100"));
        QCOMPARE(model.index(0, WorkersModel::Status).data().toString(), QStringLiteral("ok"));
        QCOMPARE(model.index(0, WorkersModel::Capabilities).data().toString(),
                 QStringLiteral("cuda=12.2 slots=2"));
        QCOMPARE(model.index(0, WorkersModel::Capabilities).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("cuda=12.2\nslots=2"));
        model.setNow(1'800'000'030'000);
        QCOMPARE(model.index(0, WorkersModel::Heartbeat).data().toString(),
                 QStringLiteral("30 s ago"));

        // An update changes rows in place: no reset, the row keeps its place.
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setWorkers({worker(QStringLiteral("w1"), 4, 11), worker(QStringLiteral("w3"), 0, 99),
                          worker(QStringLiteral("w4"), 2, 0, WorkerState::Draining)});
        QCOMPARE(resets.count(), 0);
        QCOMPARE(removed.count(), 1);  // w2
        QCOMPARE(inserted.count(), 1); // w4
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, WorkersModel::Id).data().toString(), QStringLiteral("w1"));
        QCOMPARE(model.index(0, WorkersModel::Done).data().toString(), QStringLiteral("11"));
        QCOMPARE(model.index(2, WorkersModel::Id).data().toString(), QStringLiteral("w4"));

        // Sorted by numbers, not by text.
        proxy.sort(WorkersModel::Done, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, WorkersModel::Id).data().toString(), QStringLiteral("w3"));
        QCOMPARE(proxy.index(2, WorkersModel::Id).data().toString(), QStringLiteral("w4"));
        proxy.setFilterFixedString(QStringLiteral("DRAINING"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, WorkersModel::Id).data().toString(), QStringLiteral("w4"));
        proxy.setFilterFixedString({});
        model.setWorkers({});
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(proxy.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestWorkersModel)
#include "tst_workersmodel.moc"
