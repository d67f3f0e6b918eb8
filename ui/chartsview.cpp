// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "chartsview.h"

#include "durationformat.h"
#include "queuechoices.h"

#include <QApplication>
#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

namespace QueueDeck::Ui {

namespace {

// 1, 2 or 5 times a power of ten, at least `value` and at least `floor`.
double niceCeiling(double value, double floor)
{
    value = qMax(value, floor);
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * power >= value)
            return step * power;
    }
    return 10 * power;
}

qint64 rangeMs(ChartsView::Range range)
{
    switch (range) {
    case ChartsView::Range::Live:
        return qint64(ChartsView::LiveSeconds) * 1000;
    case ChartsView::Range::Hour:
        return 3600'000;
    case ChartsView::Range::Day:
        return 24 * 3600'000LL;
    case ChartsView::Range::Week:
        return 7 * 24 * 3600'000LL;
    }
    return 0;
}

QLineSeries *addSeries(QChart *chart, const QString &name, const QColor &color)
{
    auto *series = new QLineSeries(chart);
    series->setName(name);
    QPen pen(color);
    pen.setWidthF(2);
    series->setPen(pen);
    series->setUseOpenGL(false);
    chart->addSeries(series);
    return series;
}

QChart *makeChart(const QString &title)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation); // live data moves each second: no jumps
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setBackgroundRoundness(4);
    return chart;
}

} // namespace

ChartsView::ChartsView(QWidget *parent)
    : QWidget(parent), m_scope(new QComboBox(this)), m_ranges(new QButtonGroup(this)),
      m_summary(new QLabel(this)), m_depthChart(makeChart(tr("Depth and running"))),
      m_waitChart(makeChart(tr("Wait latency"))), m_depthView(new QChartView(m_depthChart, this)),
      m_waitView(new QChartView(m_waitChart, this)),
      m_depth(addSeries(m_depthChart, tr("Depth"), QColor(0x3b, 0x82, 0xf6))),
      m_running(addSeries(m_depthChart, tr("Running"), QColor(0x16, 0xa3, 0x4a))),
      m_runs(addSeries(m_depthChart, tr("Runs"), QColor(0x8b, 0x5c, 0xf6))),
      m_p50(addSeries(m_waitChart, tr("p50"), QColor(0x14, 0xb8, 0xa6))),
      m_p95(addSeries(m_waitChart, tr("p95"), QColor(0xf5, 0x9e, 0x0b))),
      m_p99(addSeries(m_waitChart, tr("p99"), QColor(0xdc, 0x26, 0x26))),
      m_depthTime(new QDateTimeAxis), m_waitTime(new QDateTimeAxis), m_depthValues(new QValueAxis),
      m_waitValues(new QValueAxis)
{
    m_depth->setObjectName(QStringLiteral("Depth"));
    m_running->setObjectName(QStringLiteral("Running"));
    m_runs->setObjectName(QStringLiteral("Runs"));
    m_p50->setObjectName(QStringLiteral("p50"));
    m_p95->setObjectName(QStringLiteral("p95"));
    m_p99->setObjectName(QStringLiteral("p99"));

    m_depthChart->addAxis(m_depthTime, Qt::AlignBottom);
    m_depthChart->addAxis(m_depthValues, Qt::AlignLeft);
    m_waitChart->addAxis(m_waitTime, Qt::AlignBottom);
    m_waitChart->addAxis(m_waitValues, Qt::AlignLeft);
    for (QLineSeries *series : {m_depth, m_running, m_runs}) {
        series->attachAxis(m_depthTime);
        series->attachAxis(m_depthValues);
    }
    for (QLineSeries *series : {m_p50, m_p95, m_p99}) {
        series->attachAxis(m_waitTime);
        series->attachAxis(m_waitValues);
    }
    m_depthValues->setLabelFormat(QStringLiteral("%d"));
    m_waitValues->setLabelFormat(QStringLiteral("%d"));
    m_waitValues->setTitleText(tr("ms"));
    for (QDateTimeAxis *axis : {m_depthTime, m_waitTime})
        axis->setTickCount(6);
    for (QValueAxis *axis : {m_depthValues, m_waitValues}) {
        axis->setTickType(QValueAxis::TicksDynamic); // round steps: 0, 10, 20, not 12.5
        axis->setTickAnchor(0);
    }

    // Values on hover: the nearest point of the line under the mouse.
    for (QLineSeries *series : {m_depth, m_running, m_runs, m_p50, m_p95, m_p99}) {
        connect(
            series, &QLineSeries::hovered, this, [this, series](const QPointF &point, bool state) {
                if (!state) {
                    QToolTip::hideText();
                    return;
                }
                const QString time =
                    QDateTime::fromMSecsSinceEpoch(qint64(point.x()))
                        .toString(m_range == Range::Week ? QStringLiteral("ddd d MMM HH:mm")
                                                         : QStringLiteral("HH:mm:ss"));
                const bool latency = series == m_p50 || series == m_p95 || series == m_p99;
                QToolTip::showText(
                    QCursor::pos(),
                    latency
                        ? tr("%1 wait: %2 at %3")
                              .arg(series->name(),
                                   DurationFormat::format(qRound64(point.y() * m_waitUnitMs)), time)
                        : tr("%1: %2 at %3").arg(series->name()).arg(qRound64(point.y())).arg(time),
                    this);
            });
    }

    for (QChartView *view : {m_depthView, m_waitView}) {
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(220);
    }

    m_scope->setObjectName(QStringLiteral("chartScope"));
    m_scope->setAccessibleName(tr("Queue shown in the charts"));
    m_depthView->setAccessibleName(tr("Depth and running chart"));
    m_waitView->setAccessibleName(tr("Wait latency chart"));
    // The charts answer the mouse only: the keyboard passes them by.
    m_depthView->setFocusPolicy(Qt::NoFocus);
    m_waitView->setFocusPolicy(Qt::NoFocus);
    m_scope->addItem(tr("All queues"), QString());
    m_scope->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_scope, &QComboBox::activated, this, [this] {
        m_samples.clear();
        m_runPoints.clear();
        requestCurrent();
    });

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:"), this));
    bar->addWidget(m_scope);
    bar->addSpacing(12);
    const std::pair<Range, QString> ranges[] = {{Range::Live, tr("Live")},
                                                {Range::Hour, tr("1 h")},
                                                {Range::Day, tr("24 h")},
                                                {Range::Week, tr("7 d")}};
    for (const auto &[range, label] : ranges) {
        auto *button = new QPushButton(label, this);
        button->setCheckable(true);
        button->setChecked(range == Range::Live);
        button->setObjectName(QStringLiteral("range") + rangeName(range));
        m_ranges->addButton(button, int(range));
        bar->addWidget(button);
    }
    m_ranges->setExclusive(true);
    connect(m_ranges, &QButtonGroup::idClicked, this, [this](int id) { setRange(Range(id)); });
    bar->addStretch(1);
    bar->addWidget(m_summary);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_depthView, 1);
    layout->addWidget(m_waitView, 1);

    applyPalette();
    redraw();
}

ChartsView::~ChartsView() = default;

QString ChartsView::rangeName(Range range)
{
    switch (range) {
    case Range::Live:
        return QStringLiteral("5m");
    case Range::Hour:
        return QStringLiteral("1h");
    case Range::Day:
        return QStringLiteral("24h");
    case Range::Week:
        return QStringLiteral("7d");
    }
    return {};
}

void ChartsView::setQueues(const QList<std::pair<QString, QString>> &queues)
{
    if (setQueueChoices(m_scope, queues, 1)) { // the queue shown is gone: the whole server
        m_samples.clear();
        m_runPoints.clear();
        requestCurrent();
    }
}

QString ChartsView::scope() const
{
    return m_scope->currentData().toString();
}

void ChartsView::setScope(const QString &queueId)
{
    const int index = m_scope->findData(queueId);
    if (index < 0 || index == m_scope->currentIndex())
        return;
    m_scope->setCurrentIndex(index);
    m_samples.clear();
    m_runPoints.clear();
    requestCurrent();
}

void ChartsView::setRange(Range range)
{
    if (auto *button = m_ranges->button(int(range)))
        button->setChecked(true);
    if (range == m_range)
        return;
    m_range = range;
    m_samples.clear();
    m_runPoints.clear();
    requestCurrent();
}

void ChartsView::requestCurrent()
{
    redraw();
    Q_EMIT wanted(scope(), m_range);
}

void ChartsView::setSeries(const QString &forScope, Range range, const MetricSeries &series)
{
    if (forScope != scope() || range != m_range)
        return; // an answer to a question no longer asked
    // Live samples that arrived while the answer travelled are newer: keep them after it.
    std::deque<MetricSample> newer;
    const qint64 lastAt = series.points.isEmpty() ? 0 : series.points.last().atMs;
    for (const MetricSample &sample : m_samples) {
        if (sample.atMs > lastAt)
            newer.push_back(sample);
    }
    m_samples.assign(series.points.cbegin(), series.points.cend());
    m_samples.insert(m_samples.end(), newer.cbegin(), newer.cend());
    m_stepMs = qMax<qint64>(1000, series.stepMs);
    m_summaryOf = series;
    redrawIfShown();
}

void ChartsView::addSample(const QString &forScope, const MetricSample &sample, qint64 runs)
{
    if (m_range != Range::Live || forScope != scope() || sample.atMs <= 0)
        return;
    if (!m_samples.empty() && sample.atMs <= m_samples.back().atMs)
        return; // the same second again
    m_samples.push_back(sample);
    while (m_samples.size() > size_t(LiveSeconds) + 1)
        m_samples.pop_front();
    if (runs >= 0)
        m_runPoints.push_back({double(sample.atMs), double(runs)});
    while (!m_runPoints.empty() && m_runPoints.front().x() < double(m_samples.front().atMs))
        m_runPoints.pop_front();
    redrawIfShown();
}

QList<QPointF> ChartsView::points(const QString &seriesName) const
{
    // From the data itself: the series hold the same once drawn (a hidden view draws when shown).
    if (seriesName == u"Runs")
        return QList<QPointF>(m_runPoints.cbegin(), m_runPoints.cend());
    QList<QPointF> out;
    out.reserve(qsizetype(m_samples.size()));
    for (const MetricSample &s : m_samples) {
        const double value = seriesName == u"Depth"     ? double(s.depth)
                             : seriesName == u"Running" ? double(s.running)
                             : seriesName == u"p50"     ? double(s.waitP50Ms)
                             : seriesName == u"p95"     ? double(s.waitP95Ms)
                                                        : double(s.waitP99Ms);
        out.append({double(s.atMs), value});
    }
    return out;
}

void ChartsView::redrawIfShown()
{
    if (isVisible())
        redraw();
    else
        m_stale = true;
}

void ChartsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        redraw();
}

void ChartsView::redraw()
{
    m_stale = false;
    QList<QPointF> depth, running, p50, p95, p99;
    depth.reserve(qsizetype(m_samples.size()));
    running.reserve(qsizetype(m_samples.size()));
    p50.reserve(qsizetype(m_samples.size()));
    p95.reserve(qsizetype(m_samples.size()));
    p99.reserve(qsizetype(m_samples.size()));
    qint64 maxCount = 0;
    qint64 maxWait = 0;
    for (const MetricSample &s : m_samples) {
        const double x = double(s.atMs);
        depth.append({x, double(s.depth)});
        running.append({x, double(s.running)});
        maxCount = qMax(maxCount, qMax(s.depth, s.running));
        maxWait = qMax(maxWait, s.waitP99Ms);
    }
    // The wait axis counts in the unit its highest value reads best in: "19.5" s, not 19498 ms.
    m_waitUnitMs = maxWait >= 2 * 3600'000 ? 3600'000
                   : maxWait >= 2 * 60'000 ? 60'000
                   : maxWait >= 2'000      ? 1'000
                                           : 1;
    for (const MetricSample &s : m_samples) {
        const double x = double(s.atMs);
        const double unit = double(m_waitUnitMs);
        p50.append({x, double(s.waitP50Ms) / unit});
        p95.append({x, double(s.waitP95Ms) / unit});
        p99.append({x, double(s.waitP99Ms) / unit});
    }
    m_waitValues->setTitleText(m_waitUnitMs == 3600'000 ? tr("h")
                               : m_waitUnitMs == 60'000 ? tr("min")
                               : m_waitUnitMs == 1'000  ? tr("s")
                                                        : tr("ms"));
    m_waitValues->setLabelFormat(m_waitUnitMs == 1 ? QStringLiteral("%d") : QStringLiteral("%.1f"));
    // replace() swaps the points at once: one repaint, no flicker.
    m_depth->replace(depth);
    m_running->replace(running);
    // Runs over time are known live only (from each second's queue counts).
    m_runs->replace(QList<QPointF>(m_runPoints.cbegin(), m_runPoints.cend()));
    m_runs->setVisible(m_range == Range::Live && !m_runPoints.empty());
    for (const QPointF &point : m_runPoints)
        maxCount = qMax(maxCount, qint64(point.y()));
    m_p50->replace(p50);
    m_p95->replace(p95);
    m_p99->replace(p99);

    const qint64 span = rangeMs(m_range);
    // Live ends at the newest sample; history at now, or at its last point when the server's
    // clock runs ahead of this computer's.
    const qint64 newest = m_samples.empty() ? 0 : m_samples.back().atMs;
    const qint64 end = m_range == Range::Live && newest > 0
                           ? newest
                           : qMax(QDateTime::currentMSecsSinceEpoch(), newest + m_stepMs);
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(end - span);
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(end);
    const QString format = m_range == Range::Week   ? QStringLiteral("ddd d")
                           : m_range == Range::Live ? QStringLiteral("HH:mm:ss")
                                                    : QStringLiteral("HH:mm");
    for (QDateTimeAxis *axis : {m_depthTime, m_waitTime}) {
        axis->setFormat(format);
        axis->setRange(from, to);
    }
    const double countTop = niceCeiling(double(maxCount) * 1.1, 5);
    const double waitTop = m_waitUnitMs == 1
                               ? niceCeiling(double(maxWait) * 1.1, 10)
                               : niceCeiling(double(maxWait) / double(m_waitUnitMs) * 1.1, 1);
    m_depthValues->setRange(0, countTop);
    m_depthValues->setTickInterval(niceCeiling(countTop / 5, 1));
    m_waitValues->setRange(0, waitTop);
    m_waitValues->setTickInterval(m_waitUnitMs == 1 ? niceCeiling(waitTop / 5, 1)
                                                    : qMax(0.1, waitTop / 5));

    if (m_range == Range::Live) {
        const MetricSample last = m_samples.empty() ? MetricSample{} : m_samples.back();
        const QLocale locale;
        m_summary->setText(tr("now: depth %1 · running %2 · wait p95 %3")
                               .arg(locale.toString(last.depth), locale.toString(last.running),
                                    DurationFormat::format(last.waitP95Ms)));
    } else {
        m_summary->setText(tr("over the range: wait p50 %1 · p95 %2 · p99 %3")
                               .arg(DurationFormat::format(m_summaryOf.waitP50Ms),
                                    DurationFormat::format(m_summaryOf.waitP95Ms),
                                    DurationFormat::format(m_summaryOf.waitP99Ms)));
    }
}

void ChartsView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void ChartsView::applyPalette()
{
    const QPalette p = palette();
    for (QChart *chart : {m_depthChart, m_waitChart}) {
        chart->setBackgroundBrush(p.base());
        chart->setPlotAreaBackgroundVisible(false);
        chart->setTitleBrush(p.text());
        chart->legend()->setLabelColor(p.text().color());
        const QList<QAbstractAxis *> axes = chart->axes();
        for (QAbstractAxis *axis : axes) {
            axis->setLabelsBrush(p.text());
            axis->setTitleBrush(p.text());
            axis->setLinePenColor(p.mid().color());
            axis->setGridLineColor(p.midlight().color());
        }
    }
    for (QChartView *view : {m_depthView, m_waitView})
        view->setBackgroundBrush(p.window());
}

} // namespace QueueDeck::Ui
