// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "nodesview.h"

#include "nodesmodel.h"
#include "queuedeckclient.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

namespace {

constexpr int ShownPollMs = 2000;
constexpr int HiddenPollMs = 10'000;

} // namespace

NodesView::NodesView(Client::QueueDeckClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_model(new NodesModel(this)),
      m_table(new QTableView(this)), m_status(new QLabel(this)), m_poll(new QTimer(this))
{
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(NodesModel::SortRole);
    m_table->setModel(proxy);
    m_table->setObjectName(QStringLiteral("nodesTable"));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(NodesModel::Id, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->setColumnWidth(NodesModel::Id, 200);
    m_table->setColumnWidth(NodesModel::Address, 220);
    m_table->setAccessibleName(tr("Nodes list"));
    m_status->setObjectName(QStringLiteral("nodesStatus"));
    m_status->setAccessibleName(tr("Nodes status"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    m_poll->setInterval(HiddenPollMs);
    connect(m_poll, &QTimer::timeout, this, &NodesView::reload);
    m_poll->start();
    reload();
}

NodesView::~NodesView() = default;

void NodesView::setCurrentAddress(const QUrl &address)
{
    m_model->setCurrentAddress(address);
}

QString NodesView::statusText() const
{
    return m_status->text();
}

void NodesView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_poll->setInterval(ShownPollMs);
    reload();
}

void NodesView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_poll->setInterval(HiddenPollMs);
}

void NodesView::reload()
{
    if (!m_client || m_asking)
        return;
    m_asking = true;
    QPointer<NodesView> self = this;
    m_client->listNodes().then(this, [self](const Result<QList<NodeInfo>> &nodes) {
        if (!self)
            return;
        self->m_asking = false;
        if (!nodes) {
            self->m_status->setText(
                nodes.error().code == ErrorCode::NotFound
                    ? tr("This server does not list its nodes (it is older than this app).")
                    : tr("Could not load the nodes: %1").arg(nodes.error().message));
            return;
        }
        self->showNodes(*nodes);
    });
}

void NodesView::showNodes(const QList<NodeInfo> &nodes)
{
    m_model->setNow(QDateTime::currentMSecsSinceEpoch());
    m_model->setNodes(nodes);
    const auto alive = std::count_if(nodes.cbegin(), nodes.cend(),
                                     [](const NodeInfo &node) { return node.alive; });
    m_status->setText(tr("%n node(s), %1 alive", nullptr, int(nodes.size())).arg(alive));
    Q_EMIT nodesArrived(nodes);
}

} // namespace QueueDeck::Ui
