// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "queuecardwidget.h"

#include "commandview.h"
#include "durationformat.h"
#include "sparkline.h"

#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMetaEnum>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <limits>

namespace QueueDeck::Ui {

namespace {

// Green, amber, red by use: readable on light and dark palettes alike.
QString barColour(double use)
{
    if (use >= 0.9)
        return QStringLiteral("#d64545");
    if (use >= 0.7)
        return QStringLiteral("#e0a21b");
    return QStringLiteral("#3a9d5d");
}

QString rate(double perSecond)
{
    const QLocale locale;
    return perSecond >= 10 ? locale.toString(qRound64(perSecond))
                           : locale.toString(perSecond, 'f', 1);
}

} // namespace

QueueCardWidget::QueueCardWidget(QWidget *parent)
    : QFrame(parent), m_name(new QLabel(this)), m_status(new QLabel(this)),
      m_details(new QLabel(this)), m_capacityBar(new QProgressBar(this)),
      m_capacity(new QLabel(this)), m_stats(new QLabel(this)), m_warning(new QLabel(this)),
      m_scheduleNote(new QLabel(this)), m_commandLine(new CommandView(this)),
      m_copy(new QToolButton(this)), m_platform(new QComboBox(this)),
      m_commandHint(new QLabel(this)), m_pauseResume(new QToolButton(this)),
      m_sparkline(new Sparkline(this)), m_balance(new QLabel(this)), m_trendNote(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    QFont bold = m_name->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_name->setFont(bold);
    m_status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_details->setWordWrap(true);
    m_details->setForegroundRole(QPalette::PlaceholderText);
    m_capacityBar->setTextVisible(false);
    m_capacityBar->setFixedHeight(8);
    m_stats->setWordWrap(
        false); // its lines are broken where they should be; whole lines keep its height
    m_warning->setWordWrap(true);
    m_warning->setVisible(false);
    m_scheduleNote->setVisible(false);
    m_warning->setStyleSheet(QStringLiteral("color: #d64545"));
    m_commandLine->setObjectName(QStringLiteral("connectCommand"));
    m_copy->setObjectName(QStringLiteral("copy"));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy the connect command"));
    connect(m_copy, &QToolButton::clicked, this, &QueueCardWidget::copyCommand);
    m_platform->setObjectName(QStringLiteral("platform"));
    m_platform->addItem(tr("Local"), QStringLiteral("local"));
    m_platform->addItem(tr("Docker"), QStringLiteral("docker"));
    m_platform->addItem(tr("Kubernetes"), QStringLiteral("kubernetes"));
    m_platform->setToolTip(tr("Where the worker runs: a command for this machine's shell, a "
                              "Docker script, or a Kubernetes manifest"));
    connect(m_platform, &QComboBox::activated, this, [this] {
        showCommand();
        if (!m_commands.contains(platform()))
            Q_EMIT commandWanted(queueId(), platform());
    });
    m_sparkline->setObjectName(QStringLiteral("depthSparkline"));
    m_sparkline->setAccessibleName(tr("Depth over the last five minutes"));
    m_sparkline->setToolTip(tr("Waiting tasks over the last five minutes"));
    m_balance->setObjectName(QStringLiteral("balance"));
    m_balance->setToolTip(tr("Tasks added minus tasks done per second, over the last minute"));
    m_trendNote->setObjectName(QStringLiteral("trendNote"));
    m_trendNote->setWordWrap(true);
    m_trendNote->setStyleSheet(QStringLiteral("color: #c07c00"));
    m_trendNote->setVisible(false);
    m_commandHint->setWordWrap(true);
    m_commandHint->setForegroundRole(QPalette::PlaceholderText);
    m_commandHint->setVisible(false);

    auto action = [this](const QString &text, Action what) {
        auto *button = new QToolButton(this);
        button->setObjectName(
            QString::fromLatin1(QMetaEnum::fromType<Action>().valueToKey(int(what))));
        button->setText(text);
        button->setAutoRaise(true);
        // Never squeezed below its text: the card grows instead (DashboardView lays it out).
        button->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed);
        connect(button, &QToolButton::clicked, this,
                [this, what] { Q_EMIT actionRequested(queueId(), what); });
        return button;
    };
    auto *actions = new QHBoxLayout;
    actions->setSpacing(2);
    actions->addWidget(action(tr("Configure…"), Action::Configure));
    actions->addWidget(action(tr("Workers"), Action::Workers));
    actions->addWidget(action(tr("Tasks"), Action::Tasks));
    actions->addWidget(action(tr("Charts"), Action::Charts));
    actions->addStretch(1);
    m_pauseResume->setAutoRaise(true);
    m_pauseResume->setSizePolicy(QSizePolicy::Minimum, QSizePolicy::Fixed);
    m_pauseResume->setObjectName(QStringLiteral("pauseResume"));
    connect(m_pauseResume, &QToolButton::clicked, this, [this] {
        Q_EMIT actionRequested(queueId(),
                               m_card.queue.settings.paused ? Action::Resume : Action::Pause);
    });
    actions->addWidget(m_pauseResume);
    auto *more = new QToolButton(this);
    more->setObjectName(QStringLiteral("moreActions"));
    more->setText(QStringLiteral("⋯"));
    more->setToolTip(tr("More actions"));
    more->setAutoRaise(true);
    more->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(more);
    const std::pair<QString, Action> items[] = {{tr("Enqueue a task…"), Action::Enqueue},
                                                {tr("Purge waiting tasks…"), Action::Purge},
                                                {tr("Rotate join token…"), Action::RotateToken},
                                                {tr("Delete queue…"), Action::Delete}};
    for (const auto &[text, what] : items) {
        menu->addAction(text, this, [this, what] { Q_EMIT actionRequested(queueId(), what); });
    }
    more->setMenu(menu);
    actions->addWidget(more);

    auto *header = new QHBoxLayout;
    header->addWidget(m_name, 1);
    header->addWidget(m_status);
    auto *capacity = new QHBoxLayout;
    capacity->addWidget(m_capacityBar, 1);
    capacity->addWidget(m_capacity);
    auto *command = new QHBoxLayout;
    command->addWidget(m_platform);
    command->addStretch(1);
    command->addWidget(m_copy);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_details);
    layout->addLayout(capacity);
    auto *trend = new QHBoxLayout;
    trend->addWidget(m_sparkline, 1);
    trend->addWidget(m_balance);
    layout->addWidget(m_stats);
    layout->addLayout(trend);
    layout->addWidget(m_trendNote);
    layout->addWidget(m_scheduleNote);
    layout->addWidget(m_warning);
    layout->addLayout(command);
    layout->addWidget(m_commandLine); // the whole width: read whole, wrapped
    layout->addWidget(m_commandHint);
    layout->addStretch(1); // a taller neighbour in the row leaves the space below, not between
    layout->addLayout(actions);
    // The keyboard reads the card as the eye does: the command row, the command, the actions.
    QWidget *order[] = {m_platform,
                        m_copy,
                        m_commandLine,
                        findChild<QToolButton *>(QStringLiteral("Configure")),
                        findChild<QToolButton *>(QStringLiteral("Workers")),
                        findChild<QToolButton *>(QStringLiteral("Tasks")),
                        findChild<QToolButton *>(QStringLiteral("Charts")),
                        m_pauseResume,
                        more};
    for (size_t i = 1; i < std::size(order); ++i)
        QWidget::setTabOrder(order[i - 1], order[i]);
    refresh();
    showCommand();
}

void QueueCardWidget::setCard(const QueueCard &card, bool show)
{
    ++m_cardsSet;
    if (card.queue.id != m_card.queue.id)
        m_trend.clear();
    // The card's figures (sent whenever they change), at the second of its newest sample; the
    // seconds between kept the figures before (the trend fills them in).
    m_trend.add({card.last.atMs, card.queue.counts.queued,
                 card.queue.counts.queued + card.queue.counts.scheduled, card.addRate,
                 card.completionRate});
    m_card = card;
    m_stale = !show;
    if (show)
        refresh();
}

void QueueCardWidget::advanceTrend(qint64 atMs)
{
    if (atMs <= m_card.last.atMs)
        return;
    m_card.last.atMs = atMs;
    const QList<double> depths = m_trend.depthValues();
    const QString balance = balanceText();
    const QString note = trendText();
    m_trend.add({atMs, m_card.queue.counts.queued,
                 m_card.queue.counts.queued + m_card.queue.counts.scheduled, m_card.addRate,
                 m_card.completionRate});
    if (m_stale)
        return; // drawn whole when it comes into view
    const QList<double> nowDepths = m_trend.depthValues();
    if (nowDepths != depths)
        m_sparkline->setValues(nowDepths);
    if (const QString text = balanceText(); text != balance)
        m_balance->setText(text);
    if (const QString text = trendText(); text != note) {
        m_trendNote->setText(text);
        m_trendNote->setVisible(!text.isEmpty());
    }
}

void QueueCardWidget::refreshIfStale()
{
    if (!m_stale)
        return;
    m_stale = false;
    refresh();
}

void QueueCardWidget::setConnectCommand(const QString &command, const QString &forPlatform)
{
    m_commands.insert(forPlatform, command);
    if (forPlatform == platform())
        showCommand();
}

QString QueueCardWidget::platform() const
{
    return m_platform->currentData().toString();
}

void QueueCardWidget::setPlatform(const QString &name)
{
    const int index = m_platform->findData(name);
    if (index < 0 || index == m_platform->currentIndex())
        return;
    m_platform->setCurrentIndex(index);
    showCommand();
    if (!m_commands.contains(name))
        Q_EMIT commandWanted(queueId(), name);
}

QString QueueCardWidget::connectCommand() const
{
    return m_commands.value(platform());
}

void QueueCardWidget::showCommand()
{
    const QString command = connectCommand();
    const QString kind = platform();
    if (kind == u"local" || command.isEmpty()) {
        m_commandLine->setCommand(command);
        m_commandLine->setToolTip(
            tr("Run this on the machine that should work on this queue; replace ./handle-task "
               "with your program. Another machine needs qdeck first: install the qdeck package "
               "there (apt install ./qdeck_*.deb), or choose Docker for the worker image."));
        m_commandHint->setVisible(false);
    } else {
        // A script or a manifest: the line shows what it does, Copy takes all of it.
        const qsizetype lines = command.count(u'\n') + 1;
        m_commandLine->setCommand(
            kind == u"docker" ? tr("Docker install script (%n line(s))", nullptr, int(lines))
                              : tr("Kubernetes manifest (%n line(s))", nullptr, int(lines)));
        m_commandLine->setToolTip(command);
        m_commandHint->setText(kind == u"docker"
                                   ? tr("Copy, then run it with sh on the Docker host.")
                                   : tr("Copy, then apply it with kubectl apply -f -."));
        m_commandHint->setVisible(true);
    }
    m_copy->setEnabled(!command.isEmpty());
}

double QueueCardWidget::capacityUse(const QueueInfo &queue)
{
    const int max = queue.settings.maxWorkers;
    return max > 0 ? qMin(1.0, double(queue.counts.workersOnline) / max) : 0.0;
}

QString QueueCardWidget::warningFor(const QueueInfo &queue)
{
    const QueueCounts &c = queue.counts;
    if (queue.settings.paused)
        return c.depth() > 0 ? tr("Paused with %n task(s) waiting — resume to run them", nullptr,
                                  int(qMin<qint64>(c.depth(), INT_MAX)))
                             : QString();
    if (c.depth() > 0 && c.workersOnline == 0)
        return tr("Tasks are waiting but no worker is online — copy the connect command");
    if (queue.settings.maxWorkers > 0 && c.workersOnline >= queue.settings.maxWorkers &&
        c.depth() > 0)
        return tr("No capacity — raise Max Workers");
    if (c.workersLost > 0)
        return tr("%n worker(s) lost — check their machines", nullptr, c.workersLost);
    return {};
}

void QueueCardWidget::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    for (const QString &name : {QStringLiteral("Configure"), QStringLiteral("pauseResume"),
                                QStringLiteral("moreActions")}) {
        if (auto *button = findChild<QToolButton *>(name)) {
            button->setEnabled(!readOnly);
            button->setToolTip(readOnly ? tr("Read-only: connected with a viewer token")
                                        : QString());
        }
    }
}

QString QueueCardWidget::capacityText() const
{
    const QueueInfo &q = m_card.queue;
    if (q.settings.maxWorkers <= 0)
        return tr("%n worker(s)", nullptr, q.counts.workersOnline);
    return tr("%1 / %2 workers").arg(q.counts.workersOnline).arg(q.settings.maxWorkers);
}

QString QueueCardWidget::statusText() const
{
    switch (m_card.queue.status) {
    case QueueStatus::Active:
        return tr("Active");
    case QueueStatus::Paused:
        return tr("Paused");
    case QueueStatus::Idle:
        break;
    }
    return tr("Idle");
}

QString QueueCardWidget::balanceText() const
{
    const double balance = m_trend.balancePerSecond();
    if (qAbs(balance) < 0.05)
        return tr("balanced");
    const QString amount = QLocale().toString(qAbs(balance), 'f', qAbs(balance) >= 10 ? 0 : 1);
    return balance > 0 ? tr("▲ %1/s more in than done").arg(amount)
                       : tr("▼ %1/s more done than in").arg(amount);
}

QString QueueCardWidget::trendText() const
{
    const qint64 span = m_trend.growingForMs();
    if (span == 0)
        return {};
    return tr("Backlog growing for %1 (%n more task(s)): more workers or a higher concurrency "
              "would keep up.",
              nullptr, int(qMin<qint64>(m_trend.growth(), std::numeric_limits<int>::max())))
        .arg(DurationFormat::format(span));
}

QString QueueCardWidget::warningText() const
{
    return warningFor(m_card.queue);
}

void QueueCardWidget::refresh()
{
    const QueueInfo &q = m_card.queue;
    m_name->setText(q.settings.displayName.isEmpty() ? q.name : q.settings.displayName);
    m_status->setText(statusText());
    const QString colour = q.status == QueueStatus::Active   ? QStringLiteral("#3a9d5d")
                           : q.status == QueueStatus::Paused ? QStringLiteral("#e0a21b")
                                                             : QString();
    // Style sheets are dear to apply (the widget's style is computed again): only on a change.
    const QString statusStyle =
        colour.isEmpty() ? QString() : QStringLiteral("color: %1; font-weight: bold").arg(colour);
    if (m_status->styleSheet() != statusStyle)
        m_status->setStyleSheet(statusStyle);
    m_details->setText(q.settings.description.isEmpty()
                           ? q.environment
                           : q.environment + QStringLiteral(" · ") + q.settings.description);

    const bool limited = q.settings.maxWorkers > 0;
    m_capacityBar->setVisible(limited);
    if (limited) {
        m_capacityBar->setRange(0, q.settings.maxWorkers);
        m_capacityBar->setValue(qMin(q.counts.workersOnline, q.settings.maxWorkers));
        const QString barStyle =
            QStringLiteral("QProgressBar { background: palette(midlight); border: none; "
                           "border-radius: 4px; } QProgressBar::chunk { background: %1; "
                           "border-radius: 4px; }")
                .arg(barColour(capacityUse(q)));
        if (m_capacityBar->styleSheet() != barStyle)
            m_capacityBar->setStyleSheet(barStyle);
    }
    m_capacity->setText(capacityText());

    const QLocale locale;
    m_stats->setText(tr("%1 waiting · %2 running\n%3/s in · %4/s done · p95 wait %5")
                         .arg(locale.toString(q.counts.depth()), locale.toString(q.counts.running),
                              rate(m_card.addRate), rate(m_card.completionRate),
                              DurationFormat::format(m_card.waitP95Ms)));
    // Runs (docs/runs.md): "2 / 1 runs" = two unfinished runs against a limit of one: one waits.
    if (q.settings.maxActiveRuns > 0) {
        m_stats->setText(m_stats->text() + u'\n' +
                         tr("%1 / %2 runs")
                             .arg(locale.toString(q.counts.activeRuns + q.counts.waitingRuns),
                                  locale.toString(q.settings.maxActiveRuns)));
        m_stats->setToolTip(tr("%1 active, %2 waiting to start; max_active_runs %3")
                                .arg(q.counts.activeRuns)
                                .arg(q.counts.waitingRuns)
                                .arg(q.settings.maxActiveRuns));
    } else {
        m_stats->setToolTip({});
    }
    m_sparkline->setValues(m_trend.depthValues());
    m_balance->setText(balanceText());
    const QString trendNote = trendText();
    m_trendNote->setText(trendNote);
    m_trendNote->setVisible(!trendNote.isEmpty());
    const QString warning = warningFor(q);
    m_warning->setText(warning);
    m_warning->setVisible(!warning.isEmpty());
    m_pauseResume->setText(q.settings.paused ? tr("Resume") : tr("Pause"));
    nameControls();
}

void QueueCardWidget::nameControls()
{
    // Each card's controls say their queue: a screen reader on the dashboard hears "Copy the
    // connect command of emails", not one "Copy" per card.
    const QString name =
        m_card.queue.environment.isEmpty() || m_card.queue.environment == u"default"
            ? m_card.queue.name
            : tr("%1 in %2").arg(m_card.queue.name, m_card.queue.environment);
    const QString cardName = tr("Queue %1").arg(name);
    if (accessibleName() == cardName)
        return; // named already
    setAccessibleName(cardName);
    m_commandLine->setAccessibleName(tr("Connect command of %1").arg(name));
    m_copy->setAccessibleName(tr("Copy the connect command of %1").arg(name));
    m_platform->setAccessibleName(tr("Platform of the connect command of %1").arg(name));
    const std::pair<const char *, QString> buttons[] = {
        {"Configure", tr("Configure %1").arg(name)},
        {"Workers", tr("Workers of %1").arg(name)},
        {"Tasks", tr("Tasks of %1").arg(name)},
        {"Charts", tr("Charts of %1").arg(name)},
        {"pauseResume", tr("Pause or resume %1").arg(name)},
        {"moreActions", tr("More actions for %1").arg(name)}};
    for (const auto &[objectName, text] : buttons) {
        if (auto *button = findChild<QToolButton *>(QLatin1String(objectName)))
            button->setAccessibleName(text);
    }
}

void QueueCardWidget::copyCommand()
{
    const QString command = connectCommand();
    if (command.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(command);
    m_copy->setText(tr("Copied"));
    QTimer::singleShot(1500, this, [this] { m_copy->setText(tr("Copy")); });
}

void QueueCardWidget::setScheduleNote(const QString &note)
{
    m_scheduleNote->setText(note);
    m_scheduleNote->setVisible(!note.isEmpty());
}

QString QueueCardWidget::scheduleNote() const
{
    return m_scheduleNote->text();
}

} // namespace QueueDeck::Ui
