// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The Nodes view and the window's move to another node: the model keeps its rows in place, a
// standalone server shows its one node, and a window whose node stops answering goes on with
// another node of the same server and says so in the status bar.

#include "apifixture.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "isolatedsettings.h"
#include "mainwindow.h"
#include "nodefailover.h"
#include "nodesmodel.h"
#include "nodesview.h"
#include "queuecardwidget.h"
#include "queuedeckclient.h"
#include "serverlist.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QFont>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTabWidget>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

NodeInfo node(const QString &id, const QString &address, bool alive = true)
{
    NodeInfo n;
    n.nodeId = id;
    n.address = address;
    n.version = QStringLiteral("1.0.0");
    n.role = QString::fromLatin1(NodeRole::Follower);
    n.uptimeSeconds = 3725;
    n.connections = 3;
    n.requestsPerSecond = 12.5;
    n.alive = alive;
    n.lastSeenAtMs = QDateTime::currentMSecsSinceEpoch() - 42'000;
    return n;
}

} // namespace

class TestNodesView final : public QObject
{
    Q_OBJECT

    IsolatedSettings m_settings;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_settings.apply());
    }

    void modelKeepsRowsInPlace()
    {
        Ui::NodesModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNodes({node(QStringLiteral("a"), QStringLiteral("http://a:7070")),
                        node(QStringLiteral("b"), QStringLiteral("http://b:7070"))});
        QCOMPARE(model.rowCount(), 2);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        NodeInfo leader = node(QStringLiteral("b"), QStringLiteral("http://b:7070"));
        leader.role = QString::fromLatin1(NodeRole::Leader);
        model.setNodes({leader, node(QStringLiteral("c"), QStringLiteral("http://c:7070"), false)});
        QCOMPARE(reset.size(), 0);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.nodeAt(0)->nodeId, QStringLiteral("b"));
        QCOMPARE(model.index(0, Ui::NodesModel::Role).data().toString(), QStringLiteral("Leader"));
        QCOMPARE(model.index(0, Ui::NodesModel::Uptime).data().toString(),
                 QStringLiteral("1 h 2 min"));
        QCOMPARE(model.index(0, Ui::NodesModel::Seen).data().toString(), QStringLiteral("Alive"));
        QVERIFY(model.index(1, Ui::NodesModel::Seen).data().toString().startsWith(u"Gone"));
        QCOMPARE(changed.size(), 1);
        model.setCurrentAddress(QUrl(QStringLiteral("http://c:7070")));
        QVERIFY(model.index(1, Ui::NodesModel::Id).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(!model.index(0, Ui::NodesModel::Id).data(Qt::FontRole).isValid());
    }

    // A server on SQLite is one node, "standalone"; the view shows it, named for screen readers.
    void standaloneServerShowsOneNode()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Client::QueueDeckClient client(Client::ClientOptions{server.url(), server.token()});
        Ui::NodesView view(&client);
        QAbstractItemModelTester tester(view.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(900, 300);
        view.show();
        QTRY_COMPARE(view.model()->rowCount(), 1);
        const Ui::NodesModel &model = *view.model();
        QCOMPARE(model.index(0, Ui::NodesModel::Role).data().toString(),
                 QStringLiteral("Standalone"));
        QCOMPARE(model.index(0, Ui::NodesModel::Seen).data().toString(), QStringLiteral("Alive"));
        QVERIFY(!model.index(0, Ui::NodesModel::Version).data().toString().isEmpty());
        QCOMPARE(view.table()->accessibleName(), QStringLiteral("Nodes list"));
        QVERIFY2(view.statusText().startsWith(u"1 node") && view.statusText().endsWith(u"1 alive"),
                 qPrintable(view.statusText()));
    }

    // A connect command or install script written for one node lists every node, that one first;
    // a longer URL that only starts like a node's is left alone.
    void textListsEveryNode_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("nodes");
        QTest::addColumn<QString>("expected");
        const QStringList two{QStringLiteral("http://b:7070"), QStringLiteral("http://a:7070")};
        QTest::newRow("command")
            << QStringLiteral("qdeck worker start --server http://a:7070 -- x") << two
            << QStringLiteral("qdeck worker start --server http://a:7070,http://b:7070 -- x");
        QTest::newRow("quoted") << QStringLiteral("--server 'http://a:7070' --") << two
                                << QStringLiteral("--server 'http://a:7070,http://b:7070' --");
        QTest::newRow("script, twice")
            << QStringLiteral("# on http://a:7070\nQUEUEDECK_SERVER=http://a:7070\n") << two
            << QStringLiteral("# on http://a:7070,http://b:7070\n"
                              "QUEUEDECK_SERVER=http://a:7070,http://b:7070\n");
        QTest::newRow("longer URL")
            << QStringLiteral("--server http://a:70701 --")
            << QStringList{QStringLiteral("http://a:7070"), QStringLiteral("http://b:7070")}
            << QStringLiteral("--server http://a:70701 --");
        QTest::newRow("one node") << QStringLiteral("--server http://a:7070 --")
                                  << QStringList{QStringLiteral("http://a:7070")}
                                  << QStringLiteral("--server http://a:7070 --");
    }
    void textListsEveryNode()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, nodes);
        QFETCH(QString, expected);
        QList<QUrl> urls;
        for (const QString &node : nodes)
            urls.append(QUrl(node));
        QCOMPARE(Client::withAllNodes(text, urls), expected);
    }

    void serverListMovesOnOnce()
    {
        auto list = Client::ServerList::parse({QStringLiteral("http://a:1, http://b:2"),
                                               QStringLiteral("http://a:1"),
                                               QStringLiteral("https://c:3")});
        QVERIFY(list);
        QCOMPARE(list->size(), 3);
        const QUrl a(QStringLiteral("http://a:1"));
        QVERIFY(list->moveOn(a));
        QVERIFY(!list->moveOn(a)); // a second call that failed on a: moved already
        QCOMPARE(list->current(), QUrl(QStringLiteral("http://b:2")));
        QCOMPARE(list->joined(), QStringLiteral("http://b:2,https://c:3,http://a:1"));
        QVERIFY(!Client::ServerList::parse({QStringLiteral("ftp://x")}));
        QVERIFY(!Client::ServerList::parse({QStringLiteral(" , ")}));
    }

    // The card of a queue on a cluster shows a command that lists every live node.
    void cardCommandListsEveryNode()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Ui::MainWindow window;
        window.connectTo(Ui::ServerTarget{server.url(), server.token()});
        Client::QueueDeckClient admin(Client::ClientOptions{server.url(), server.token()});
        QD_AWAIT(queue, admin.createQueue(QStringLiteral("default"), QStringLiteral("spread")));
        QD_AWAIT(command, admin.workerCommand(queue.id));
        const QString serverUrl = command.value(QStringLiteral("server_url")).toString();
        QTRY_VERIFY(window.dashboard()->card(queue.id) &&
                    window.dashboard()->card(queue.id)->connectCommand().contains(serverUrl));
        const QString other = QStringLiteral("http://127.0.0.2:7071");
        window.controller()->setNodeAddresses({QUrl(serverUrl), QUrl(other)});
        QTRY_VERIFY(window.dashboard()->card(queue.id)->connectCommand().contains(
            QStringLiteral("--server %1,%2").arg(serverUrl, other)));
    }

    // Two nodes of one server (two listeners on one engine). The window talks to the first; it
    // stops answering; the window moves to the second and says so, and its views work there.
    void windowMovesToTheNextNode()
    {
        ApiFixture server;
        QVERIFY(server.start());
        Api::ApiOptions options;
        options.port = 0; // a free one
        Api::ApiHost second(server.engine(), options);
        QVERIFY(second.start().isEmpty());
        const QUrl secondUrl(QStringLiteral("http://127.0.0.1:%1").arg(second.port()));

        Ui::MainWindow window;
        window.connectTo(Ui::ServerTarget{server.url(), server.token()});
        window.show();
        QVERIFY(window.tabs()->indexOf(window.nodes()) >= 0);
        QTRY_VERIFY(window.controller()->isConnected());
        // The nodes as a cluster lists them (this server alone lists itself).
        QObject::disconnect(window.nodes(), &Ui::NodesView::nodesArrived, window.failover(),
                            nullptr);
        window.failover()->setNodes({node(QStringLiteral("one"), server.url().toString()),
                                     node(QStringLiteral("two"), secondUrl.toString())});
        QCOMPARE(window.failover()->known().size(), 2);

        server.stopListening();
        QTRY_COMPARE_WITH_TIMEOUT(window.target().url, secondUrl, 20000);
        QVERIFY(window.statusBar()->currentMessage().contains(secondUrl.toString()));
        bool labelShowsNode = false;
        for (QLabel *label : window.statusBar()->findChildren<QLabel *>())
            labelShowsNode = labelShowsNode || label->text() == secondUrl.toString();
        QVERIFY(labelShowsNode);
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->isConnected(), 15000);
        QCOMPARE(window.failover()->current(), secondUrl);
    }
};

QTEST_MAIN(TestNodesView)
#include "tst_nodesview.moc"
