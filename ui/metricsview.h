// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/typemetrics.h"

#include <QWidget>

class QBarCategoryAxis;
class QBarSeries;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTimer;
class QValueAxis;

namespace QueueDeck::Client {
class QueueDeckClient;
}

namespace QueueDeck::Ui {

class TypeMetricsModel;

// Metrics per task type (like a Metrics page): for one queue or all and a range (live = the
// last five minutes, 1 h, 24 h, 7 d), each type's processed, failed share, run time and wait
// p50/p95/p99 in a sortable table, and the run-time histogram of the selected type. Reloads when
// the scope or range changes, and every few seconds while shown.
class MetricsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MetricsView)
public:
    enum class Range { Live, Hour, Day, Week };

    // The client must outlive the view.
    explicit MetricsView(Client::QueueDeckClient *client, QWidget *parent = nullptr);

    void setQueues(const QList<std::pair<QString, QString>> &queues); // id → label
    QString scope() const;
    void setScope(const QString &queueId);
    void setRange(Range range);
    void reload();

    // For tests.
    QTableView *table() const { return m_table; }
    TypeMetricsModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QChartView *histogramView() const { return m_histogramView; }
    // The selected type's histogram as shown: bucket label → count.
    QList<std::pair<QString, qint64>> histogram() const;

Q_SIGNALS:
    void loaded(); // a report arrived and is shown

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void showReport(const TypeMetricsReport &report);
    void showHistogram();
    void applyPalette();

    Client::QueueDeckClient *m_client;
    QComboBox *m_scope;
    QComboBox *m_range;
    QLabel *m_status;
    QTableView *m_table;
    TypeMetricsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QChart *m_histogramChart;
    QChartView *m_histogramView;
    QBarSeries *m_bars;
    QBarCategoryAxis *m_bucketAxis;
    QValueAxis *m_countAxis;
    QTimer *m_refresh;
    QString m_selectedType; // kept across reloads; "" with m_otherSelected for "other"
    bool m_otherSelected = false;
    int m_generation = 0; // answers to an older request are dropped
};

} // namespace QueueDeck::Ui
