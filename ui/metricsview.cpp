// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "metricsview.h"

#include "durationformat.h"
#include "queuedeckclient.h"
#include "typemetricsclient.h"
#include "typemetricsmodel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

namespace QueueDeck::Ui {

namespace {

QString rangeName(int index)
{
    static const char *const names[] = {"5m", "1h", "24h", "7d"};
    return QString::fromLatin1(names[qBound(0, index, 3)]);
}

constexpr int RefreshMs = 5000;

} // namespace

MetricsView::MetricsView(Client::QueueDeckClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_scope(new QComboBox(this)), m_range(new QComboBox(this)),
      m_status(new QLabel(this)), m_table(new QTableView(this)),
      m_model(new TypeMetricsModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_histogramChart(new QChart), m_histogramView(new QChartView(m_histogramChart, this)),
      m_bars(new QBarSeries(this)), m_bucketAxis(new QBarCategoryAxis(this)),
      m_countAxis(new QValueAxis(this)), m_refresh(new QTimer(this))
{
    m_scope->setObjectName(QStringLiteral("metricsScope"));
    m_scope->setAccessibleName(tr("Queue"));
    m_scope->addItem(tr("All queues"), QString());
    m_range->setObjectName(QStringLiteral("metricsRange"));
    m_range->setAccessibleName(tr("Range"));
    m_range->addItems({tr("Live (5 min)"), tr("1 hour"), tr("24 hours"), tr("7 days")});
    m_status->setObjectName(QStringLiteral("metricsStatus"));

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(TypeMetricsModel::SortRole);
    m_table->setObjectName(QStringLiteral("typeMetricsTable"));
    m_table->setAccessibleName(tr("Metrics per task type"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TypeMetricsModel::Processed, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(TypeMetricsModel::Type, QHeaderView::Stretch);

    m_histogramChart->addSeries(m_bars);
    m_histogramChart->addAxis(m_bucketAxis, Qt::AlignBottom);
    m_histogramChart->addAxis(m_countAxis, Qt::AlignLeft);
    m_bars->attachAxis(m_bucketAxis);
    m_bars->attachAxis(m_countAxis);
    m_countAxis->setLabelFormat(QStringLiteral("%d"));
    m_countAxis->setTitleText(tr("Attempts"));
    m_bucketAxis->setTitleText(tr("Run time up to"));
    m_histogramChart->legend()->hide();
    m_histogramChart->setTitle(tr("Run time"));
    m_histogramView->setObjectName(QStringLiteral("runTimeHistogram"));
    m_histogramView->setAccessibleName(tr("Run-time histogram of the selected task type"));
    m_histogramView->setRenderHint(QPainter::Antialiasing);
    m_histogramView->setMinimumHeight(200);
    m_histogramView->setFocusPolicy(Qt::NoFocus); // a picture: nothing in it takes keys

    auto *controls = new QHBoxLayout;
    auto *scopeLabel = new QLabel(tr("&Queue:"), this);
    scopeLabel->setBuddy(m_scope);
    auto *rangeLabel = new QLabel(tr("&Range:"), this);
    rangeLabel->setBuddy(m_range);
    controls->addWidget(scopeLabel);
    controls->addWidget(m_scope);
    controls->addSpacing(12);
    controls->addWidget(rangeLabel);
    controls->addWidget(m_range);
    controls->addStretch();
    controls->addWidget(m_status);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("metricsSplitter"));
    splitter->addWidget(m_table);
    splitter->addWidget(m_histogramView);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);

    connect(m_scope, &QComboBox::currentIndexChanged, this, &MetricsView::reload);
    connect(m_range, &QComboBox::currentIndexChanged, this, &MetricsView::reload);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QModelIndexList rows = m_table->selectionModel()->selectedRows();
        if (!rows.isEmpty()) {
            m_selectedType = rows.first().data(TypeMetricsModel::TypeRole).toString();
            m_otherSelected = m_selectedType.isEmpty();
        }
        showHistogram();
    });
    m_refresh->setInterval(RefreshMs);
    connect(m_refresh, &QTimer::timeout, this, [this] {
        if (isVisible())
            reload();
    });
    m_refresh->start();
    applyPalette();
}

void MetricsView::setQueues(const QList<std::pair<QString, QString>> &queues)
{
    const QString current = scope();
    const QSignalBlocker blocker(m_scope);
    m_scope->clear();
    m_scope->addItem(tr("All queues"), QString());
    for (const auto &[id, label] : queues)
        m_scope->addItem(label, id);
    const int index = m_scope->findData(current);
    m_scope->setCurrentIndex(qMax(0, index));
    if (index < 0 && !current.isEmpty())
        reload(); // the queue shown is gone
}

QString MetricsView::scope() const
{
    return m_scope->currentData().toString();
}

void MetricsView::setScope(const QString &queueId)
{
    const int index = m_scope->findData(queueId);
    if (index >= 0)
        m_scope->setCurrentIndex(index);
}

void MetricsView::setRange(Range range)
{
    m_range->setCurrentIndex(int(range));
}

void MetricsView::reload()
{
    if (!m_client)
        return;
    const int generation = ++m_generation;
    QPointer<MetricsView> self = this;
    Client::TypeMetricsClient(*m_client)
        .typeMetrics(scope(), rangeName(m_range->currentIndex()))
        .then(this, [self, generation](const Result<TypeMetricsReport> &report) {
            if (!self || generation != self->m_generation)
                return;
            if (!report) {
                self->m_status->setText(
                    tr("Could not load the metrics: %1").arg(report.error().message));
                return;
            }
            self->showReport(*report);
        });
}

void MetricsView::showReport(const TypeMetricsReport &report)
{
    m_model->setRows(report.types);
    qint64 processed = 0;
    for (const TypeMetricsRow &row : report.types)
        processed += row.processed;
    m_status->setText(report.types.isEmpty()
                          ? tr("No tasks ran in this range.")
                          : tr("%n task type(s)", nullptr, int(report.types.size())) +
                                QStringLiteral(" · ") +
                                tr("%1 processed").arg(QLocale().toString(processed)));
    // Keep the selected type selected; else select the busiest.
    int selectRow = -1;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QString type = m_proxy->index(row, 0).data(TypeMetricsModel::TypeRole).toString();
        if ((m_otherSelected && type.isEmpty()) ||
            (!m_otherSelected && type == m_selectedType && !m_selectedType.isEmpty())) {
            selectRow = row;
            break;
        }
    }
    if (selectRow < 0 && m_proxy->rowCount() > 0)
        selectRow = 0;
    if (selectRow >= 0) {
        const QModelIndexList selected = m_table->selectionModel()->selectedRows();
        if (selected.isEmpty() || selected.first().row() != selectRow)
            m_table->selectRow(selectRow);
    }
    showHistogram();
    Q_EMIT loaded();
}

void MetricsView::showHistogram()
{
    m_bars->clear();
    m_bucketAxis->clear();
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const TypeMetricsRow *row =
        rows.isEmpty() ? nullptr : m_model->row(m_proxy->mapToSource(rows.first()).row());
    if (!row || row->runHistogram.isEmpty()) {
        m_histogramChart->setTitle(tr("Run time"));
        return;
    }
    m_histogramChart->setTitle(
        tr("Run time of %1").arg(row->other ? tr("other task types") : row->type));
    auto *set = new QBarSet(tr("Attempts"));
    QStringList labels;
    qint64 most = 0;
    // At most ten bars, so that every label can be read: neighbours are joined in pairs (a
    // joined bar counts every attempt up to its upper bound since the bar before).
    QList<HistogramBucket> buckets = row->runHistogram;
    while (buckets.size() > 10) {
        QList<HistogramBucket> joined;
        for (qsizetype i = 0; i < buckets.size(); i += 2) {
            HistogramBucket bucket = buckets[i];
            if (i + 1 < buckets.size()) {
                bucket.upToMs = buckets[i + 1].upToMs;
                bucket.count += buckets[i + 1].count;
            }
            joined.append(bucket);
        }
        buckets = joined;
    }
    for (const HistogramBucket &bucket : std::as_const(buckets)) {
        labels.append(tr("≤ %1").arg(DurationFormat::format(bucket.upToMs)));
        set->append(double(bucket.count));
        most = qMax(most, bucket.count);
    }
    set->setColor(palette().highlight().color());
    m_bars->append(set);
    m_bucketAxis->append(labels);
    // Whole attempts on round steps: 0, 5, 10 — never 2.5.
    double step = 1;
    for (double power = 1; double(most) / step > 5; power *= 10) {
        for (const double multiple : {1.0, 2.0, 5.0}) {
            step = multiple * power;
            if (double(most) / step <= 5)
                break;
        }
    }
    m_countAxis->setTickType(QValueAxis::TicksDynamic);
    m_countAxis->setTickAnchor(0);
    m_countAxis->setTickInterval(step);
    m_countAxis->setRange(0, std::ceil(double(qMax<qint64>(1, most)) / step) * step);
}

QList<std::pair<QString, qint64>> MetricsView::histogram() const
{
    QList<std::pair<QString, qint64>> out;
    if (m_bars->count() == 0)
        return out;
    const QBarSet *set = m_bars->barSets().first();
    const QStringList labels = m_bucketAxis->categories();
    for (int i = 0; i < set->count() && i < labels.size(); ++i)
        out.append({labels[i], qint64(set->at(i))});
    return out;
}

void MetricsView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void MetricsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    reload();
}

void MetricsView::applyPalette()
{
    const QPalette p = palette();
    m_histogramChart->setBackgroundBrush(p.base());
    m_histogramChart->setPlotAreaBackgroundVisible(false);
    m_histogramChart->setTitleBrush(p.text());
    for (QAbstractAxis *axis : m_histogramChart->axes()) {
        axis->setLabelsBrush(p.text());
        axis->setTitleBrush(p.text());
        axis->setLinePenColor(p.mid().color());
        axis->setGridLineColor(p.midlight().color());
    }
    m_histogramView->setBackgroundBrush(p.window());
    for (QBarSet *set : m_bars->barSets())
        set->setColor(p.highlight().color());
}

} // namespace QueueDeck::Ui
