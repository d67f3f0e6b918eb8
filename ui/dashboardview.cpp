// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "dashboardview.h"

#include "dashboardfeed.h"
#include "queuecardwidget.h"

#include <QComboBox>
#include <QDateTime>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QSet>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

namespace {

constexpr int MinCardWidth = 340;

} // namespace

DashboardView::DashboardView(QWidget *parent)
    : QWidget(parent), m_banner(new QLabel(this)), m_environment(new QComboBox(this)),
      m_scroll(new QScrollArea(this)), m_grid(new QWidget), m_gridLayout(new QGridLayout(m_grid))
{
    m_banner->setWordWrap(true);
    m_banner->setVisible(false);
    m_banner->setStyleSheet(
        QStringLiteral("background: #d64545; color: white; padding: 6px; font-weight: bold"));

    auto *chips = new QHBoxLayout;
    const QStringList titles{tr("Active Workers"), tr("Queues"),     tr("Capacity"),
                             tr("Throughput"),     tr("Error rate"), tr("Last Updated")};
    for (const QString &title : titles) {
        auto *chip = new QFrame(this);
        chip->setFrameShape(QFrame::StyledPanel);
        auto *caption = new QLabel(title, chip);
        caption->setForegroundRole(QPalette::PlaceholderText);
        auto *value = new QLabel(QStringLiteral("—"), chip);
        QFont big = value->font();
        big.setPointSizeF(big.pointSizeF() * 1.5);
        big.setBold(true);
        value->setFont(big);
        auto *layout = new QVBoxLayout(chip);
        layout->addWidget(caption);
        layout->addWidget(value);
        chips->addWidget(chip);
        m_chips.insert(title, value);
    }

    m_gridLayout->setAlignment(Qt::AlignTop);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setFocusPolicy(Qt::NoFocus); // the keyboard goes to the cards; they scroll into view
    m_scroll->setWidget(m_grid);
    connect(m_scroll->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &DashboardView::refreshCardsInView);

    m_environment->setObjectName(QStringLiteral("environmentFilter"));
    m_environment->setAccessibleName(tr("Environment shown"));
    m_environment->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_environment->addItem(tr("All environments"), QString());
    connect(m_environment, &QComboBox::activated, this,
            [this] { Q_EMIT environmentChosen(environment()); });
    auto *filterLabel = new QLabel(tr("&Environment:"), this);
    filterLabel->setBuddy(m_environment);
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(filterLabel);
    filterRow->addWidget(m_environment);
    filterRow->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(filterRow);
    layout->addLayout(chips);
    layout->addWidget(m_scroll, 1);
}

void DashboardView::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    for (QueueCardWidget *card : std::as_const(m_cards))
        card->setReadOnly(readOnly);
}

void DashboardView::setChips(const DashboardSnapshot &s)
{
    const QLocale locale; // thousands separators and decimal point of the user's locale
    m_chips[tr("Active Workers")]->setText(locale.toString(s.activeWorkers));
    m_chips[tr("Queues")]->setText(locale.toString(s.queueCount));
    m_chips[tr("Capacity")]->setText(
        s.capacityUnlimited
            ? tr("%1 / unlimited").arg(locale.toString(s.slotsUsed))
            : tr("%1 / %2").arg(locale.toString(s.slotsUsed), locale.toString(s.capacity)));
    m_chips[tr("Throughput")]->setText(tr("%1/s").arg(locale.toString(s.throughput, 'f', 1)));
    m_chips[tr("Error rate")]->setText(tr("%1 %").arg(locale.toString(s.errorRate * 100, 'f', 1)));
    m_chips[tr("Last Updated")]->setText(
        s.updatedAtMs > 0
            ? QDateTime::fromMSecsSinceEpoch(s.updatedAtMs).toString(QStringLiteral("HH:mm:ss"))
            : QStringLiteral("—"));
}

void DashboardView::setCard(const QueueCard &card)
{
    m_environmentOf.insert(card.queue.id, card.queue.environment);
    QueueCardWidget *widget = m_cards.value(card.queue.id);
    const bool isNew = !widget;
    if (!widget) {
        widget = new QueueCardWidget(m_grid);
        connect(widget, &QueueCardWidget::actionRequested, this, &DashboardView::cardAction);
        connect(widget, &QueueCardWidget::commandWanted, this, &DashboardView::commandWanted);
        widget->setReadOnly(m_readOnly);
        m_cards.insert(card.queue.id, widget);
    }
    widget->setCard(card, isNew || inView(widget));
}

void DashboardView::setSnapshot(const DashboardSnapshot &s)
{
    setChips(s);
    QStringList order;
    order.reserve(s.cards.size());
    for (const QueueCard &card : s.cards) {
        order.append(card.queue.id);
        setCard(card);
    }
    keepCards(order);
}

void DashboardView::applyUpdate(const DashboardSnapshot &s, const Client::DashboardUpdate &update)
{
    setChips(s);
    for (const QueueCard &card : update.added)
        setCard(card);
    for (const QueueCard &card : update.changed)
        setCard(card);
    // The others kept their figures: only their trends move on by this second.
    for (const QueueCard &card : s.cards) {
        if (QueueCardWidget *widget = m_cards.value(card.queue.id))
            widget->advanceTrend(card.last.atMs);
    }
    const bool cardsMissing =
        std::any_of(s.cards.cbegin(), s.cards.cend(),
                    [this](const QueueCard &card) { return !m_cards.contains(card.queue.id); });
    if (cardsMissing) { // shown before by a whole dashboard of another choice: set them whole
        for (const QueueCard &card : s.cards) {
            if (!m_cards.contains(card.queue.id))
                setCard(card);
        }
    }
    if (update.orderChanged || !update.removed.isEmpty() || cardsMissing ||
        m_order.size() != s.cards.size()) {
        QStringList order;
        order.reserve(s.cards.size());
        for (const QueueCard &card : s.cards)
            order.append(card.queue.id);
        keepCards(order);
    }
}

void DashboardView::keepCards(const QStringList &order)
{
    if (m_cards.size() > order.size()) { // some queues are gone
        const QSet<QString> present(order.cbegin(), order.cend());
        for (auto it = m_cards.begin(); it != m_cards.end();) {
            if (present.contains(it.key())) {
                ++it;
                continue;
            }
            it.value()->deleteLater();
            m_environmentOf.remove(it.key());
            it = m_cards.erase(it);
        }
    }
    if (order != m_order) {
        m_order = order;
        m_columns = 0; // lay out again
        layoutCards();
    }
}

void DashboardView::setConnectCommand(const QString &queueId, const QString &command,
                                      const QString &platform)
{
    if (QueueCardWidget *widget = m_cards.value(queueId))
        widget->setConnectCommand(command, platform);
}

void DashboardView::setGuide(QWidget *guide)
{
    guide->setParent(this);
    static_cast<QVBoxLayout *>(layout())->insertWidget(2, guide); // under banner and filter
}

void DashboardView::setConnected(bool connected, const QString &reason)
{
    m_banner->setText(
        connected ? QString()
                  : tr("Lost the connection to the server (%1) — reconnecting…").arg(reason));
    m_banner->setVisible(!connected);
}

void DashboardView::setEnvironments(const QStringList &names)
{
    const QString current = environment();
    while (m_environment->count() > 1)
        m_environment->removeItem(1);
    for (const QString &name : names)
        m_environment->addItem(name, name);
    // A chosen environment that is gone stays chosen until the window chooses again.
    if (!current.isEmpty() && m_environment->findData(current) < 0)
        m_environment->addItem(current, current);
    m_environment->setCurrentIndex(qMax(0, m_environment->findData(current)));
}

void DashboardView::setEnvironment(const QString &environment)
{
    if (!environment.isEmpty() && m_environment->findData(environment) < 0)
        m_environment->addItem(environment, environment);
    m_environment->setCurrentIndex(qMax(0, m_environment->findData(environment)));
}

QString DashboardView::environment() const
{
    return m_environment->currentData().toString();
}

QStringList DashboardView::groupHeaders() const
{
    QStringList out;
    for (auto it = m_headers.cbegin(); it != m_headers.cend(); ++it) {
        if (!it.value()->isHidden())
            out.append(it.key());
    }
    out.sort();
    return out;
}

QString DashboardView::chip(const QString &title) const
{
    const QLabel *value = m_chips.value(title);
    return value ? value->text() : QString();
}

bool DashboardView::bannerShown() const
{
    return !m_banner->isHidden();
}

void DashboardView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    layoutCards();
    refreshCardsInView();
}

void DashboardView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refreshCardsInView();
}

bool DashboardView::inView(const QWidget *card) const
{
    if (!isVisible())
        return false;
    const QRect viewport(
        QPoint(m_scroll->horizontalScrollBar()->value(), m_scroll->verticalScrollBar()->value()),
        m_scroll->viewport()->size());
    // Not placed yet (geometry empty) counts as in view: it is about to be.
    return card->geometry().isEmpty() || card->geometry().intersects(viewport);
}

void DashboardView::refreshCardsInView()
{
    for (QueueCardWidget *card : std::as_const(m_cards)) {
        if (inView(card))
            card->refreshIfStale();
    }
}

void DashboardView::layoutCards()
{
    // As many columns as fit, sharing the width evenly: the grid fills the window at any size.
    const QMargins margins = m_gridLayout->contentsMargins();
    const int spacing = m_gridLayout->horizontalSpacing();
    const int available = width() - margins.left() - margins.right() - 24;
    // A card is never narrower than its buttons need (German words are longer).
    int cardWidth = MinCardWidth;
    for (const QueueCardWidget *card : std::as_const(m_cards))
        cardWidth = qMax(cardWidth, card->minimumSizeHint().width());
    const int columns = qMax(1, (available + spacing) / (cardWidth + spacing));
    if (columns == m_columns)
        return;
    for (int column = 0; column < qMax(columns, m_columns); ++column)
        m_gridLayout->setColumnStretch(column, column < columns ? 1 : 0);
    m_columns = columns;
    for (QueueCardWidget *widget : std::as_const(m_cards))
        m_gridLayout->removeWidget(widget);
    for (QLabel *header : std::as_const(m_headers)) {
        m_gridLayout->removeWidget(header);
        header->hide();
    }
    // Cards come ordered by environment, then name: with more than one environment shown, each
    // group gets a header row of its own.
    QSet<QString> shown;
    for (const QString &id : std::as_const(m_order))
        shown.insert(m_environmentOf.value(id));
    const bool grouped = shown.size() > 1;
    int row = 0;
    int column = 0;
    QString group;
    for (qsizetype i = 0; i < m_order.size(); ++i) {
        const QString environment = m_environmentOf.value(m_order[i]);
        if (grouped && (i == 0 || environment != group)) {
            if (column > 0)
                ++row;
            column = 0;
            group = environment;
            QLabel *&header = m_headers[environment];
            if (!header) {
                header = new QLabel(m_grid);
                QFont bold = header->font();
                bold.setBold(true);
                bold.setPointSizeF(bold.pointSizeF() * 1.2);
                header->setFont(bold);
                header->setText(tr("Environment %1").arg(environment));
            }
            m_gridLayout->addWidget(header, row++, 0, 1, columns);
            header->show();
        }
        QueueCardWidget *widget = m_cards.value(m_order[i]);
        m_gridLayout->addWidget(widget, row, column);
        widget->setMinimumWidth(cardWidth);
        widget->show();
        if (++column == columns) {
            column = 0;
            ++row;
        }
    }
    // The rows keep their natural height; the row after the last takes what is left over.
    const int rows = row + (column > 0 ? 1 : 0);
    for (int r = 0; r <= qMax(rows, m_gridLayout->rowCount() - 1); ++r)
        m_gridLayout->setRowStretch(r, r == rows ? 1 : 0);
}

} // namespace QueueDeck::Ui
