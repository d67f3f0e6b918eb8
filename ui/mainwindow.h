// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "embeddedserver.h"
#include "protocol/error.h"
#include "protocol/metrictypes.h"
#include "queuecardwidget.h"
#include "servertarget.h"

#include <QMainWindow>
#include <QPointer>
#include <QUrl>

#include <memory>

class QLabel;
class QSystemTrayIcon;
class QTabWidget;
class QTimer;

namespace QueueDeck::Ui {

class AlertMonitor;
class ChartsView;
class DemoWorker;
class FirstRunGuide;
class WindowState;
class DashboardController;
class DashboardView;
class MetricsView;
class NodeFailover;
class NodesView;
class SchedulesView;
class TasksView;
class WorkersView;

// The control room: the dashboard, charts, workers and tasks of one server in tabs; New Queue,
// Enqueue, Producer Tokens, Alerts and the server choice in the tool bar; a tray icon for
// alerts and for serving on with the window closed.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    explicit MainWindow(EmbeddedServer *embedded = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    void connectTo(const ServerTarget &target);
    ServerTarget embeddedTarget() const;
    const ServerTarget &target() const { return m_target; }

    DashboardController *controller() const { return m_controller; }
    DashboardView *dashboard() const { return m_dashboard; }
    ChartsView *charts() const { return m_charts; }
    WorkersView *workers() const { return m_workers; }
    TasksView *tasks() const { return m_tasks; }
    SchedulesView *schedules() const { return m_schedules; }
    MetricsView *typeMetrics() const { return m_typeMetrics; }
    NodesView *nodes() const { return m_nodes; }
    NodeFailover *failover() const { return m_failover; }
    AlertMonitor *alerts() const { return m_alerts; }
    QTabWidget *tabs() const { return m_tabs; }
    DemoWorker *demoWorker() const { return m_demo; }
    FirstRunGuide *guide() const { return m_guide; }
    // Notifications shown so far (tray, or the status bar without a tray): for tests.
    const QStringList &notifications() const { return m_notifications; }
    // The text that says why every action is disabled; empty when connected with the admin token.
    QString readOnlyText() const;

    void newQueue();
    void enqueue(const QString &queueId = {});
    void showTokens();
    void showEnvironments();
    // The server's environments, as last loaded (the dashboard filter and New Queue offer them).
    const QStringList &environments() const { return m_environments; }
    void showAlerts();
    void showServers();
    void showSettings();
    // Everything shown loaded again now (F5); the search field of the tasks or workers (Ctrl+F);
    // the first-run guide back on the dashboard (F1).
    void refresh();
    void find();
    void showGuide();
    // The demo worker of the guide's "Try It on This Computer".
    void tryDemo();

Q_SIGNALS:
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildKeyboardActions();
    void addGuide();
    void updateGuide();
    void loadEnvironments();
    void chooseEnvironment(const QString &environment);
    void handleSnapshot(const DashboardSnapshot &snapshot);
    void handleCardAction(const QString &queueId, QueueCardWidget::Action action);
    void loadChart(const QString &scope, int range);
    void notify(const QString &title, const QString &message);
    void report(const QString &message);
    void reportError(const QString &what, const Error &error);
    QList<QueueInfo> queues() const;
    const QueueInfo *findQueue(const QString &queueId) const;

    EmbeddedServer *m_embedded;
    ServerTarget m_target;
    DashboardController *m_controller = nullptr;
    QTabWidget *m_tabs = nullptr;
    DashboardView *m_dashboard = nullptr;
    ChartsView *m_charts = nullptr;
    WorkersView *m_workers = nullptr;
    TasksView *m_tasks = nullptr;
    SchedulesView *m_schedules = nullptr;
    MetricsView *m_typeMetrics = nullptr;
    NodesView *m_nodes = nullptr;
    NodeFailover *m_failover; // the nodes of the server, and the move to another when one dies
    AlertMonitor *m_alerts;
    QSystemTrayIcon *m_tray = nullptr;
    QLabel *m_serverLabel;
    QLabel *m_readOnlyBanner;         // "Read-only: connected with a viewer token"
    QList<QAction *> m_changeActions; // disabled for a viewer token
    QTimer *m_historyTimer;
    QList<std::pair<QString, QString>> m_queueChoices;
    QStringList m_notifications;
    QStringList m_environments;
    quint64 m_environmentsAsked = 0; // looks at the environment list, the newest counts
    DemoWorker *m_demo;
    WindowState *m_state;
    FirstRunGuide *m_guide = nullptr; // on the dashboard, rebuilt with it
    bool m_guideClosed = false;       // dismissed in this run (an empty server shows it until then)
};

} // namespace QueueDeck::Ui
