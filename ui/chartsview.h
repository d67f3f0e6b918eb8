// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/metrictypes.h"

#include <QWidget>

#include <deque>

class QButtonGroup;
class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace QueueDeck::Ui {

// Charts of one queue or of the whole server: depth and running, and wait latency p50 / p95 /
// p99. Live shows the last five minutes and moves on with every sample; 1 h, 24 h and 7 d show
// the server's rollups, which survive restarts. Points come from outside (setSeries for what
// was asked with wanted(), addSample for each live second), so the view never waits on anything.
class ChartsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartsView)
public:
    enum class Range { Live, Hour, Day, Week };
    static constexpr int LiveSeconds = 300;

    explicit ChartsView(QWidget *parent = nullptr);
    ~ChartsView() override;

    // The choices of the scope selector (queue id → label); the whole server comes first.
    void setQueues(const QList<std::pair<QString, QString>> &queues);
    // "" is the whole server.
    QString scope() const;
    void setScope(const QString &queueId);
    Range range() const { return m_range; }
    void setRange(Range range);

    // The points of (scope, range) as the server has them: replaces what is shown.
    void setSeries(const QString &scope, Range range, const MetricSeries &series);
    // One live second of the current scope; kept when the range is Live, else ignored.
    // runs: the scope's unfinished runs (active + waiting, docs/runs.md) at that second, drawn as
    // "Runs" while live; -1 when not known.
    void addSample(const QString &scope, const MetricSample &sample, qint64 runs = -1);

    // For tests: the points of a series by its name ("Depth", "Running", "Runs", "p50", "p95",
    // "p99").
    QList<QPointF> points(const QString &seriesName) const;

    static QString rangeName(Range range); // "5m", "1h", "24h", "7d": the API's names

Q_SIGNALS:
    // The scope or range changed: fetch (scope, range) and hand it to setSeries.
    void wanted(const QString &scope, QueueDeck::Ui::ChartsView::Range range);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void redraw();
    void redrawIfShown(); // hidden: drawn when shown
    void applyPalette();
    void requestCurrent();

    QComboBox *m_scope;
    QButtonGroup *m_ranges;
    QLabel *m_summary;
    QChart *m_depthChart;
    QChart *m_waitChart;
    QChartView *m_depthView;
    QChartView *m_waitView;
    QLineSeries *m_depth;
    QLineSeries *m_running;
    QLineSeries *m_runs;
    QLineSeries *m_p50;
    QLineSeries *m_p95;
    QLineSeries *m_p99;
    QDateTimeAxis *m_depthTime;
    QDateTimeAxis *m_waitTime;
    QValueAxis *m_depthValues;
    QValueAxis *m_waitValues;
    Range m_range = Range::Live;
    std::deque<MetricSample> m_samples;
    std::deque<QPointF> m_runPoints; // live only: (time, unfinished runs)
    qint64 m_stepMs = 1000;
    qint64 m_waitUnitMs = 1; // what one unit of the wait axis is: ms, s, min or h
    MetricSeries m_summaryOf;
    bool m_stale = false;
};

} // namespace QueueDeck::Ui
