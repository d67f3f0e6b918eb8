// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "peercomparison.h"
#include "processcost.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QTextStream>

#include <optional>

// What qdeck-apibench reports: the Markdown rows as it goes, the verdicts on the peer targets,
// and the JSON report at the end. The workloads measure; this prints and keeps what they found.

// Standard output, shared by the table and the verdicts.
QTextStream &out();

// One row of the report: the rate and, per operation, what each side spent; the figures again as
// numbers for the JSON report (absent: no samples).
struct Row
{
    QString workload;
    QString result;
    QString serverCost;
    QString clientCost;
    std::optional<double> rate;
    QString unit;
    QJsonObject server;
    QJsonObject client;
};

// What one condition's run measured: its rows, the figures the peer targets judge, the verdicts.
struct ConditionReport
{
    QString condition;
    QJsonArray rows;
    QMap<QueueDeck::Bench::Figure, std::optional<double>> figures; // nothing: no samples
    QJsonArray targets;
};

// The report the rows printed from now on go to.
void setCurrentReport(ConditionReport *report);
ConditionReport &currentReport();

QJsonValue number(std::optional<double> value);
QJsonObject costFigures(const QueueDeck::Bench::CostMeter &meter);

// Prints the row under the current report's condition and keeps it for the JSON report.
void print(const Row &row);

// The peer targets for the figures this condition measured; true when none was missed (a target
// not judged, for want of samples or of a peer report, is not a miss, and is said so).
bool judgeTargets(ConditionReport &report, const QueueDeck::Bench::PeerRun *peers);

// Writes the JSON report of every condition's run; an error message, or an empty string.
QString writeJsonReport(const QString &path, bool quick, const QJsonArray &conditions);
