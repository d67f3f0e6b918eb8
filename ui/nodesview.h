// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/nodetypes.h"

#include <QUrl>
#include <QWidget>

class QLabel;
class QTableView;
class QTimer;

namespace QueueDeck::Client {
class QueueDeckClient;
}

namespace QueueDeck::Ui {

class NodesModel;

// The nodes of the server in a sortable table: id, address, version, uptime, role, connections,
// requests per second, alive or when last seen. A standalone server shows its one node. The list
// is asked for every 2 s while the view is shown, every 10 s while it is not (the window learns
// from it where to go when its node stops answering: nodesArrived).
class NodesView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NodesView)
public:
    explicit NodesView(Client::QueueDeckClient *client, QWidget *parent = nullptr);
    ~NodesView() override;

    // The node the window talks to, shown in bold.
    void setCurrentAddress(const QUrl &address);
    // Asks for the list now.
    void reload();
    NodesModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QString statusText() const;

Q_SIGNALS:
    // Every list received.
    void nodesArrived(const QList<QueueDeck::NodeInfo> &nodes);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void showNodes(const QList<NodeInfo> &nodes);

    Client::QueueDeckClient *m_client;
    NodesModel *m_model;
    QTableView *m_table;
    QLabel *m_status;
    QTimer *m_poll;
    bool m_asking = false;
};

} // namespace QueueDeck::Ui
