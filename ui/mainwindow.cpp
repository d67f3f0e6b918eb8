// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "alertsdialog.h"
#include "chartsview.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "demoworker.h"
#include "enqueuedialog.h"
#include "environmentsdialog.h"
#include "firstrunguide.h"
#include "metricsview.h"
#include "networkdialog.h"
#include "nodefailover.h"
#include "nodesview.h"
#include "queuedialog.h"
#include "schedulesview.h"
#include "serversdialog.h"
#include "tasksview.h"
#include "tokensdialog.h"
#include "windowstate.h"
#include "workersview.h"

#include <QCloseEvent>
#include <QIcon>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>

namespace QueueDeck::Ui {

namespace {

QString queueLabel(const QueueInfo &q)
{
    return q.environment == u"default" ? q.name
                                       : q.name + QStringLiteral(" (") + q.environment + u')';
}

} // namespace

MainWindow::MainWindow(EmbeddedServer *embedded, QWidget *parent)
    : QMainWindow(parent), m_embedded(embedded), m_failover(new NodeFailover(this)),
      m_alerts(new AlertMonitor(this)), m_serverLabel(new QLabel(this)),
      m_readOnlyBanner(new QLabel(this)), m_historyTimer(new QTimer(this)),
      m_demo(new DemoWorker(this)), m_state(new WindowState(this))
{
    setWindowTitle(tr("QueueDeck"));
    QIcon icon;
    for (const int size : {32, 64, 256})
        icon.addFile(QStringLiteral(":/icons/queuedeck-%1.png").arg(size), QSize(size, size));
    setWindowIcon(icon);
    if (!m_state->restoreGeometry())
        resize(1280, 800);
    m_readOnlyBanner->setObjectName(QStringLiteral("readOnlyBanner"));
    m_readOnlyBanner->setStyleSheet(QStringLiteral("font-weight: bold"));
    m_readOnlyBanner->setVisible(false);
    statusBar()->addPermanentWidget(m_readOnlyBanner);
    statusBar()->addPermanentWidget(m_serverLabel);
    {
        QSettings settings;
        m_alerts->load(settings);
    }
    connect(m_alerts, &AlertMonitor::raised, this,
            [this](const QString &, const QString &title, const QString &message) {
                notify(title, message);
            });

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        auto *menu = new QMenu(this);
        const auto bringBack = [this] {
            showNormal();
            raise();
            activateWindow();
        };
        menu->addAction(tr("Show QueueDeck"), this, bringBack);
        menu->addAction(tr("Quit"), this, &MainWindow::quitRequested);
        m_tray->setContextMenu(menu);
        connect(m_tray, &QSystemTrayIcon::activated, this, bringBack);
        m_tray->show();
    }
    m_historyTimer->setInterval(60'000); // rollups are per minute
    connect(m_historyTimer, &QTimer::timeout, this, [this] {
        if (m_charts && m_charts->isVisible() && m_charts->range() != ChartsView::Range::Live)
            loadChart(m_charts->scope(), int(m_charts->range()));
    });
    m_historyTimer->start();
    buildActions();
    buildKeyboardActions();
    connect(m_demo, &DemoWorker::stateChanged, this, &MainWindow::updateGuide);
    // The node went away and another of the same server answers: the window goes on there.
    connect(
        m_failover, &NodeFailover::moveRequested, this,
        [this](const QUrl &from, const QUrl &to) {
            ServerTarget target = m_target;
            target.url = to;
            connectTo(target);
            statusBar()->showMessage(tr("The node at %1 stopped answering; now on %2")
                                         .arg(from.toString(), to.toString()));
        },
        Qt::QueuedConnection);
}

MainWindow::~MainWindow()
{
    m_state->save();
    m_demo->stop();
}

void MainWindow::buildActions()
{
    auto *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_changeActions = {bar->addAction(tr("New Queue…"), this, &MainWindow::newQueue),
                       bar->addAction(tr("Enqueue…"), this, [this] { enqueue(); })};
    m_changeActions[0]->setShortcut(QKeySequence::New);
    m_changeActions[1]->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    bar->addSeparator();
    m_changeActions.append(
        bar->addAction(tr("Environments…"), this, &MainWindow::showEnvironments));
    m_changeActions.append(bar->addAction(tr("Producer Tokens…"), this, &MainWindow::showTokens));
    bar->addAction(tr("Alerts…"), this, &MainWindow::showAlerts);
    bar->addSeparator();
    bar->addAction(tr("Servers…"), this, &MainWindow::showServers);
    if (m_embedded)
        bar->addAction(tr("Network…"), this, &MainWindow::showSettings);
}

void MainWindow::buildKeyboardActions()
{
    // Shortcuts without a button of their own: the window holds them, so they work from any view.
    auto add = [this](const QString &text, const QKeySequence &keys, auto slot) {
        auto *action = new QAction(text, this);
        action->setShortcut(keys);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    add(tr("Find"), QKeySequence::Find, &MainWindow::find);
    QAction *refreshAction = add(tr("Refresh"), QKeySequence::Refresh, &MainWindow::refresh);
    refreshAction->setShortcuts({QKeySequence::Refresh, QKeySequence(Qt::CTRL | Qt::Key_R)});
    add(tr("Getting Started"), QKeySequence::HelpContents, &MainWindow::showGuide);
    const auto stepTab = [this](int step) {
        if (m_tabs && m_tabs->count() > 0)
            m_tabs->setCurrentIndex((m_tabs->currentIndex() + step + m_tabs->count()) %
                                    m_tabs->count());
    };
    add(tr("Next Tab"), QKeySequence(Qt::CTRL | Qt::Key_PageDown), [stepTab] { stepTab(1); });
    add(tr("Previous Tab"), QKeySequence(Qt::CTRL | Qt::Key_PageUp), [stepTab] { stepTab(-1); });
    // Alt+1 … Alt+9: the tabs in their order.
    for (int index = 0; index < 9; ++index) {
        add(tr("Tab %1").arg(index + 1), QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + index)),
            [this, index] {
                if (m_tabs && index < m_tabs->count())
                    m_tabs->setCurrentIndex(index);
            });
    }
}

void MainWindow::refresh()
{
    if (!m_controller)
        return;
    m_controller->refreshNow();
    loadEnvironments();
    m_workers->reload();
    m_nodes->reload();
    loadChart(m_charts->scope(), int(m_charts->range()));
    if (m_tabs->currentWidget() == m_tasks)
        m_tasks->search();
    report(tr("Refreshed."));
}

void MainWindow::find()
{
    if (!m_tabs)
        return;
    // The workers' filter when they are in front; the task search from anywhere else.
    QWidget *view = m_tabs->currentWidget() == m_workers ? static_cast<QWidget *>(m_workers)
                                                         : static_cast<QWidget *>(m_tasks);
    m_tabs->setCurrentWidget(view);
    const QString name =
        view == m_workers ? QStringLiteral("workerFilter") : QStringLiteral("taskSearch");
    if (auto *field = view->findChild<QLineEdit *>(name)) {
        field->setFocus(Qt::ShortcutFocusReason);
        field->selectAll();
    }
}

void MainWindow::addGuide()
{
    m_guide = new FirstRunGuide(m_dashboard);
    m_dashboard->setGuide(m_guide);
    // After the environment filter, before the cards: the order it is read in.
    if (auto *filter = m_dashboard->findChild<QWidget *>(QStringLiteral("environmentFilter")))
        QWidget::setTabOrder(filter, m_guide->tryButton());
    QWidget::setTabOrder(m_guide->tryButton(), m_guide->dismissButton());
    connect(m_guide, &FirstRunGuide::tryRequested, this, &MainWindow::tryDemo);
    connect(m_guide, &FirstRunGuide::dismissed, this, [this] {
        QSettings().setValue(QStringLiteral("firstRun/guideDismissed"), true);
        m_guideClosed = true;
        updateGuide();
        m_dashboard->setFocus(Qt::OtherFocusReason);
    });
    updateGuide();
}

void MainWindow::showGuide()
{
    QSettings().remove(QStringLiteral("firstRun/guideDismissed"));
    m_guideClosed = false;
    updateGuide();
    if (m_tabs && m_guide) {
        m_tabs->setCurrentWidget(m_dashboard);
        m_guide->tryButton()->setFocus(Qt::ShortcutFocusReason);
    }
}

void MainWindow::updateGuide()
{
    if (!m_guide)
        return;
    // A first run, or a server without a queue, until dismissed.
    const bool known = m_controller && m_controller->lastSnapshot().updatedAtMs > 0;
    const bool empty = known && m_controller->lastSnapshot().cards.isEmpty();
    const bool dismissed =
        QSettings().value(QStringLiteral("firstRun/guideDismissed"), false).toBool();
    const bool demoShown = m_demo->state() != DemoWorker::State::Stopped;
    m_guide->setVisible(!m_guideClosed && (!dismissed || empty || demoShown));
    m_guide->setEmpty(empty);
    if (m_target.readOnly())
        m_guide->setTryAvailable(false, readOnlyText());
    else if (!m_target.embedded)
        m_guide->setTryAvailable(false, tr("The demo runs against this computer's own server: "
                                           "choose it under Servers…."));
    else
        m_guide->setTryAvailable(m_demo->state() != DemoWorker::State::Starting);
    m_guide->setDemoStatus(m_demo->statusText(), m_demo->state() == DemoWorker::State::Failed);
}

void MainWindow::tryDemo()
{
    if (!m_controller || m_target.readOnly() || !m_target.embedded)
        return;
    m_demo->start(m_controller->client(), m_target.url);
}

void MainWindow::connectTo(const ServerTarget &target)
{
    if (m_tabs)
        m_state->save(); // the next views start where these are
    m_demo->stop();      // it works for the server left behind
    m_target = target;
    if (m_controller) {
        m_controller->deleteLater();
        m_controller = nullptr;
    }
    if (m_tabs)
        m_tabs->deleteLater();
    m_queueChoices.clear();

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->tabBar()->setAccessibleName(tr("Views"));
    m_dashboard = new DashboardView(m_tabs);
    Client::ClientOptions options{target.url, target.token};
    options.verifyTls = target.verifyTls;
    options.serverFingerprint = target.fingerprint;
    m_controller = new DashboardController(options, m_dashboard, this);
    {
        // The dashboard's environment filter, as chosen last time.
        const QString environment =
            QSettings().value(QStringLiteral("dashboard/environment")).toString();
        m_dashboard->setEnvironment(environment);
        m_controller->setEnvironment(environment);
    }
    connect(m_dashboard, &DashboardView::environmentChosen, this, &MainWindow::chooseEnvironment);
    Client::QueueDeckClient *client = m_controller->client();
    m_charts = new ChartsView(m_tabs);
    m_workers = new WorkersView(client, m_tabs);
    m_tasks = new TasksView(client, m_tabs);
    m_tabs->addTab(m_dashboard, tr("Dashboard"));
    m_tabs->addTab(m_charts, tr("Charts"));
    m_typeMetrics = new MetricsView(client, m_tabs);
    m_tabs->addTab(m_typeMetrics, tr("Metrics"));
    m_tabs->addTab(m_workers, tr("Workers"));
    m_tabs->addTab(m_tasks, tr("Tasks"));
    m_schedules = new SchedulesView(client, m_tabs);
    m_tabs->addTab(m_schedules, tr("Schedules"));
    m_nodes = new NodesView(client, m_tabs);
    m_nodes->setCurrentAddress(target.url);
    m_tabs->addTab(m_nodes, tr("Nodes"));
    m_failover->follow(options);
    connect(m_nodes, &NodesView::nodesArrived, m_failover, &NodeFailover::setNodes);
    connect(m_nodes, &NodesView::nodesArrived, m_controller, [this](const QList<NodeInfo> &nodes) {
        m_controller->setNodeAddresses(Client::liveAddresses(nodes));
    });
    connect(m_controller, &DashboardController::connectionChanged, m_failover,
            [this](bool connected) { m_failover->setConnected(connected); });
    connect(m_schedules, &SchedulesView::reloaded, this, [this, noted = QSet<QString>()]() mutable {
        const QHash<QString, QString> notes = m_schedules->nextFireNotes();
        for (const QString &queueId : noted + QSet<QString>(notes.keyBegin(), notes.keyEnd())) {
            if (QueueCardWidget *card = m_dashboard->card(queueId))
                card->setScheduleNote(notes.value(queueId));
        }
        noted = QSet<QString>(notes.keyBegin(), notes.keyEnd());
    });
    setCentralWidget(m_tabs);

    connect(m_controller, &DashboardController::snapshotArrived, this, &MainWindow::handleSnapshot);
    connect(m_controller, &DashboardController::changesArrived, this,
            [this](const ChangeSet &changes) {
                m_workers->applyChanges(changes.workers, changes.removedWorkers);
                m_tasks->applyTaskChanges(changes.tasks);
            });
    connect(m_controller, &DashboardController::overflowed, m_tasks, &TasksView::search);
    connect(m_controller, &DashboardController::connectionChanged, this, [this](bool connected) {
        if (connected) { // what happened while away: load it whole
            m_workers->reload();
            loadChart(m_charts->scope(), int(m_charts->range()));
        }
    });
    connect(m_dashboard, &DashboardView::cardAction, this, &MainWindow::handleCardAction);
    connect(m_tabs, &QTabWidget::currentChanged, this,
            [this] { m_controller->followTasks(m_tabs->currentWidget() == m_tasks); });
    connect(
        m_charts, &ChartsView::wanted, this,
        [this](const QString &scope, ChartsView::Range range) { loadChart(scope, int(range)); });

    const QString where = target.embedded ? tr("embedded server at %1").arg(target.url.toString())
                                          : target.url.toString();
    m_serverLabel->setText(where);
    setWindowTitle(tr("QueueDeck — %1").arg(where));
    if (m_tray)
        m_tray->setToolTip(tr("QueueDeck — %1").arg(where));
    if (target.embedded && m_embedded) {
        if (const QString warning = m_embedded->securityWarning(); !warning.isEmpty())
            statusBar()->showMessage(warning);
    }
    // A viewer token: the same views, every action that changes something disabled, and why.
    const bool readOnly = target.readOnly();
    for (QAction *action : std::as_const(m_changeActions)) {
        action->setEnabled(!readOnly);
        action->setToolTip(readOnly ? readOnlyText() : QString());
    }
    m_dashboard->setReadOnly(readOnly);
    m_workers->setReadOnly(readOnly);
    m_tasks->setReadOnly(readOnly);
    m_schedules->setReadOnly(readOnly);
    m_readOnlyBanner->setText(readOnlyText());
    m_readOnlyBanner->setVisible(readOnly);
    addGuide();
    m_state->restoreViews(m_tabs, m_charts, m_controller);
    m_controller->start();
    loadEnvironments();
    m_workers->reload();
    loadChart(QString(), int(ChartsView::Range::Live));
}

void MainWindow::loadEnvironments()
{
    if (!m_controller)
        return;
    QPointer<DashboardView> dashboard = m_dashboard;
    // Answers may come back out of order (the client has several connections): only the newest
    // look counts, or an answer from before an environment was made would take it away again.
    const quint64 asked = ++m_environmentsAsked;
    m_controller->client()->listEnvironments().then(
        this, [this, dashboard, asked](const Result<QList<EnvironmentInfo>> &list) {
            if (!list || !dashboard || asked != m_environmentsAsked)
                return;
            m_environments.clear();
            for (const EnvironmentInfo &environment : *list)
                m_environments.append(environment.name);
            dashboard->setEnvironments(m_environments);
        });
}

void MainWindow::chooseEnvironment(const QString &environment)
{
    QSettings().setValue(QStringLiteral("dashboard/environment"), environment);
    if (m_controller)
        m_controller->setEnvironment(environment);
}

void MainWindow::showEnvironments()
{
    if (!m_controller)
        return;
    auto *dialog = new EnvironmentsDialog(m_controller->client(), queues(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &EnvironmentsDialog::changed, this, [this] {
        loadEnvironments();
        m_controller->refreshNow();
    });
    dialog->open();
}

QString MainWindow::readOnlyText() const
{
    return m_target.readOnly() ? tr("Read-only: connected with a viewer token") : QString();
}

void MainWindow::loadChart(const QString &scope, int range)
{
    if (!m_controller)
        return;
    const auto which = ChartsView::Range(range);
    QPointer<ChartsView> charts = m_charts;
    m_controller->client()
        ->metrics(scope, ChartsView::rangeName(which))
        .then(this, [charts, scope, which](const Result<MetricSeries> &series) {
            if (charts && series)
                charts->setSeries(scope, which, *series);
        });
}

void MainWindow::handleSnapshot(const DashboardSnapshot &snapshot)
{
    // Live charts: the scope's newest second.
    const QString scope = m_charts->scope();
    // With the unfinished runs (docs/runs.md) of the scope at that second.
    const auto runsOf = [](const QueueCard &card) {
        return card.queue.counts.activeRuns + card.queue.counts.waitingRuns;
    };
    if (scope.isEmpty()) {
        qint64 runs = 0;
        for (const QueueCard &card : snapshot.cards)
            runs += runsOf(card);
        m_charts->addSample(scope, snapshot.total, runs);
    } else {
        for (const QueueCard &card : snapshot.cards) {
            if (card.queue.id == scope)
                m_charts->addSample(scope, card.last, runsOf(card));
        }
    }
    QList<std::pair<QString, QString>> choices;
    choices.reserve(snapshot.cards.size());
    for (const QueueCard &card : snapshot.cards)
        choices.append({card.queue.id, queueLabel(card.queue)});
    if (choices != m_queueChoices) {
        m_queueChoices = choices;
        m_charts->setQueues(choices);
        m_workers->setQueues(choices);
        m_tasks->setQueues(choices);
        m_schedules->setQueues(choices);
        m_typeMetrics->setQueues(choices);
    }
    m_alerts->check(snapshot);
    updateGuide();
    if (m_tray) {
        m_tray->setToolTip(tr("QueueDeck — %n worker(s) online", nullptr, snapshot.activeWorkers) +
                           tr(", %1 tasks/s").arg(snapshot.throughput, 0, 'f', 1));
    }
}

QList<QueueInfo> MainWindow::queues() const
{
    QList<QueueInfo> list;
    if (!m_controller)
        return list;
    for (const QueueCard &card : m_controller->lastSnapshot().cards)
        list.append(card.queue);
    return list;
}

const QueueInfo *MainWindow::findQueue(const QString &queueId) const
{
    if (!m_controller)
        return nullptr;
    for (const QueueCard &card : m_controller->lastSnapshot().cards) {
        if (card.queue.id == queueId)
            return &card.queue;
    }
    return nullptr;
}

void MainWindow::report(const QString &message)
{
    statusBar()->showMessage(message, 8000);
}

void MainWindow::reportError(const QString &what, const Error &error)
{
    QMessageBox::warning(this, what, error.message);
}

void MainWindow::notify(const QString &title, const QString &message)
{
    m_notifications.append(title + QStringLiteral(": ") + message);
    if (m_tray && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(title, message, QSystemTrayIcon::Warning, 10'000);
    else
        statusBar()->showMessage(title + QStringLiteral(" — ") + message, 15'000);
}

void MainWindow::newQueue()
{
    if (!m_controller)
        return;
    QStringList environments{QStringLiteral("default")};
    const QString shown = m_controller->environment();
    if (!shown.isEmpty()) // New Queue goes where the dashboard looks
        environments = {shown};
    for (const QString &name : std::as_const(m_environments)) {
        if (!environments.contains(name))
            environments.append(name);
    }
    for (const QueueInfo &q : queues()) {
        if (!environments.contains(q.environment))
            environments.append(q.environment);
    }
    Client::QueueDeckClient *client = m_controller->client();
    auto *dialog = new QueueDialog(
        [client](const QueueDraft &d) {
            return client->createQueue(d.environment, d.name, d.settings);
        },
        environments, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        report(tr("Queue %1 created: copy its connect command from its card.")
                   .arg(dialog->queue().name));
        m_controller->refreshNow(); // the card at once
    });
    dialog->open();
}

void MainWindow::enqueue(const QString &queueId)
{
    if (!m_controller)
        return;
    Client::QueueDeckClient *client = m_controller->client();
    auto *dialog = new EnqueueDialog(
        [client](const QString &id, const EnqueueRequest &r) { return client->enqueue(id, r); },
        queues(), queueId, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { report(tr("Task %1 enqueued.").arg(dialog->task().id)); });
    dialog->open();
}

void MainWindow::showTokens()
{
    if (!m_controller)
        return;
    auto *dialog = new TokensDialog(m_controller->client(), queues(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showAlerts()
{
    auto *dialog = new AlertsDialog(m_alerts, queues(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        QSettings settings;
        m_alerts->save(settings);
    });
    dialog->open();
}

void MainWindow::showServers()
{
    auto *dialog = new ServersDialog(m_embedded != nullptr, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ServersDialog::chosen, this, &MainWindow::connectTo);
    connect(dialog, &ServersDialog::embeddedChosen, this, [this] {
        if (m_embedded)
            connectTo(embeddedTarget());
    });
    dialog->open();
}

ServerTarget MainWindow::embeddedTarget() const
{
    return m_embedded ? ServerTarget{m_embedded->url(), m_embedded->adminToken(), true, false}
                      : ServerTarget{};
}

void MainWindow::showSettings()
{
    if (!m_embedded)
        return;
    auto *dialog = new NetworkDialog(m_embedded, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        if (m_target.embedded) // the commands name the new address
            connectTo(embeddedTarget());
    });
    dialog->open();
}

void MainWindow::handleCardAction(const QString &queueId, QueueCardWidget::Action action)
{
    const QueueInfo *found = findQueue(queueId);
    if (!found || !m_controller)
        return;
    using Action = QueueCardWidget::Action;
    if (m_target.readOnly() && action != Action::Workers && action != Action::Tasks &&
        action != Action::Charts)
        return report(readOnlyText()); // the card disables these; a shortcut may still ask
    const QueueInfo queue = *found;
    Client::QueueDeckClient *client = m_controller->client();
    const QString name = queue.name;
    auto ask = [this](const QString &title, const QString &text, const QString &yes) {
        QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Cancel, this);
        QPushButton *confirm = box.addButton(yes, QMessageBox::AcceptRole);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        return box.clickedButton() == confirm;
    };
    switch (action) {
    case QueueCardWidget::Action::Configure: {
        auto *dialog = new QueueDialog(
            [client, queue](const QueueDraft &d) {
                return client->updateQueue(queue.id, QueueDialog::patchBetween(queue, d));
            },
            queue, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, this, [this, name] {
            report(tr("Queue %1 saved.").arg(name));
            m_controller->refreshNow();
        });
        dialog->open();
        return;
    }
    case QueueCardWidget::Action::Workers:
        m_workers->showQueue(queueId);
        m_tabs->setCurrentWidget(m_workers);
        return;
    case QueueCardWidget::Action::Tasks:
        m_tasks->showQueue(queueId);
        m_tabs->setCurrentWidget(m_tasks);
        return;
    case QueueCardWidget::Action::Charts:
        m_charts->setScope(queueId);
        m_tabs->setCurrentWidget(m_charts);
        return;
    case QueueCardWidget::Action::Enqueue:
        enqueue(queueId);
        return;
    case QueueCardWidget::Action::Pause:
        if (!ask(tr("Pause %1").arg(name),
                 tr("Pause %1? Workers get no new tasks from it; producers can still enqueue.")
                     .arg(name),
                 tr("Pause")))
            return;
        client->pauseQueue(queueId).then(this, [this, name](const Result<QueueInfo> &r) {
            r ? report(tr("%1 paused.").arg(name))
              : reportError(tr("Pause %1").arg(name), r.error());
            m_controller->refreshNow();
        });
        return;
    case QueueCardWidget::Action::Resume:
        client->resumeQueue(queueId).then(this, [this, name](const Result<QueueInfo> &r) {
            r ? report(tr("%1 resumed.").arg(name))
              : reportError(tr("Resume %1").arg(name), r.error());
            m_controller->refreshNow();
        });
        return;
    case QueueCardWidget::Action::Purge:
        if (!ask(tr("Purge %1").arg(name),
                 tr("Delete the %n waiting task(s) of %1? Running tasks are left alone. This "
                    "cannot be undone.",
                    nullptr, int(qMin<qint64>(queue.counts.backlog(), INT_MAX)))
                     .arg(name),
                 tr("Purge")))
            return;
        client->purgeQueue(queueId).then(this, [this, name](const Result<qint64> &r) {
            r ? report(tr("Purged %n task(s) from %1.", nullptr, int(qMin<qint64>(*r, INT_MAX)))
                           .arg(name))
              : reportError(tr("Purge %1").arg(name), r.error());
        });
        return;
    case QueueCardWidget::Action::RotateToken:
        if (!ask(tr("Rotate join token of %1").arg(name),
                 tr("Workers already attached keep working; new workers need the new connect "
                    "command. Rotate now?"),
                 tr("Rotate")))
            return;
        client->rotateJoinToken(queueId).then(this, [this, queueId,
                                                     name](const Result<QueueInfo> &r) {
            if (!r)
                return reportError(tr("Rotate %1").arg(name), r.error());
            report(tr("New join token for %1: copy the connect command again.").arg(name));
            for (const QString &platform :
                 {QStringLiteral("local"), QStringLiteral("docker"), QStringLiteral("kubernetes")})
                m_controller->refreshCommand(queueId, platform);
        });
        return;
    case QueueCardWidget::Action::Delete:
        if (!ask(tr("Delete %1").arg(name),
                 tr("Delete the queue %1 with its settings and finished tasks? Attached workers "
                    "are detached.")
                     .arg(name),
                 tr("Delete")))
            return;
        client->deleteQueue(queueId).then(this, [this, client, queueId, name,
                                                 ask](const Result<void> &r) {
            if (r) {
                report(tr("Queue %1 deleted.").arg(name));
                return m_controller->refreshNow();
            }
            // Unfinished tasks: say so, and offer to delete them too.
            if (r.error().code != ErrorCode::FailedPrecondition)
                return reportError(tr("Delete %1").arg(name), r.error());
            if (!ask(tr("Delete %1").arg(name),
                     r.error().message + u"\n\n" + tr("Delete the queue with its tasks anyway?"),
                     tr("Delete with tasks")))
                return;
            client->deleteQueue(queueId, true).then(this, [this, name](const Result<void> &forced) {
                forced ? report(tr("Queue %1 deleted.").arg(name))
                       : reportError(tr("Delete %1").arg(name), forced.error());
                m_controller->refreshNow();
            });
        });
        return;
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_state->save();
    // The demo worker is this window's: it does not count as a worker to keep serving.
    const int workers = (m_controller ? m_controller->lastSnapshot().activeWorkers : 0) -
                        (m_demo->isRunning() ? 1 : 0);
    if (!m_target.embedded || workers <= 0) {
        m_demo->stop();
        event->accept();
        Q_EMIT quitRequested();
        return;
    }
    // Workers depend on this process: closing the window must not cut them off unasked.
    QMessageBox box(QMessageBox::Question, tr("Workers are attached"),
                    tr("%n worker(s) are attached to this computer's server. Keep serving them "
                       "in the background, or stop the server?",
                       nullptr, workers),
                    QMessageBox::Cancel, this);
    QPushButton *keep =
        box.addButton(m_tray ? tr("Keep Serving in the Tray") : tr("Keep Serving (Minimize)"),
                      QMessageBox::AcceptRole);
    QPushButton *stop = box.addButton(tr("Stop Server and Quit"), QMessageBox::DestructiveRole);
    box.setDefaultButton(keep);
    box.exec();
    if (box.clickedButton() == keep) {
        m_demo->stop();
        event->ignore();
        if (m_tray) {
            hide();
            notify(tr("QueueDeck keeps serving"),
                   tr("The server runs on; open QueueDeck from the tray icon."));
        } else {
            showMinimized();
        }
        return;
    }
    if (box.clickedButton() == stop) {
        m_demo->stop();
        event->accept();
        Q_EMIT quitRequested();
        return;
    }
    event->ignore();
}

} // namespace QueueDeck::Ui
