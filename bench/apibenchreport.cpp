// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "apibenchreport.h"

#include <QFile>
#include <QJsonDocument>

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

namespace {
ConditionReport *s_report = nullptr;
} // namespace

void setCurrentReport(ConditionReport *report)
{
    s_report = report;
}

ConditionReport &currentReport()
{
    return *s_report;
}

QJsonValue number(std::optional<double> value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

void print(const Row &row)
{
    out() << "| " << s_report->condition << " | " << row.workload << " | " << row.result << " | "
          << row.serverCost << " | " << row.clientCost << " |\n";
    out().flush();
    s_report->rows.append(QJsonObject{{QStringLiteral("workload"), row.workload},
                                      {QStringLiteral("result"), row.result},
                                      {QStringLiteral("rate"), number(row.rate)},
                                      {QStringLiteral("unit"), row.unit},
                                      {QStringLiteral("server"), row.server},
                                      {QStringLiteral("client"), row.client}});
}

QJsonObject costFigures(const QueueDeck::Bench::CostMeter &meter)
{
    return {{QStringLiteral("cpu_us_per_op"), number(meter.cpuUsPerOp())},
            {QStringLiteral("context_switches_per_op"), number(meter.switchesPerOp())},
            {QStringLiteral("syscalls_per_op"), number(meter.syscallsPerOp())}};
}

bool judgeTargets(ConditionReport &report, const QueueDeck::Bench::PeerRun *peers)
{
    bool missed = false;
    bool any = false;
    for (const QueueDeck::Bench::Target &target : QueueDeck::Bench::targets()) {
        if (!report.figures.contains(target.figure))
            continue; // its workload did not run
        if (!any)
            out() << "\nTargets, " << report.condition << ":\n\n";
        any = true;
        const QueueDeck::Bench::Verdict verdict =
            QueueDeck::Bench::judge(target, report.figures.value(target.figure), peers);
        missed |= verdict.outcome == QueueDeck::Bench::Verdict::Outcome::Missed;
        out() << "- [" << report.condition << "] " << verdict.text << "\n";
        static const char *const outcomes[] = {"met", "missed", "no samples", "no peer figure"};
        report.targets.append(QJsonObject{
            {QStringLiteral("target"), target.title},
            {QStringLiteral("outcome"), QLatin1StringView(outcomes[int(verdict.outcome)])},
            {QStringLiteral("queuedeck"), number(verdict.ours)},
            {QStringLiteral("peer"), verdict.peerName},
            {QStringLiteral("peer_figure"), number(verdict.peer)},
            {QStringLiteral("ratio"), number(verdict.ratio)},
            {QStringLiteral("text"), verdict.text}});
    }
    if (any)
        out() << "\n";
    out().flush();
    return !missed;
}

QString writeJsonReport(const QString &path, bool quick, const QJsonArray &conditions)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(
            QJsonDocument(QJsonObject{{QStringLiteral("program"), QStringLiteral("qdeck-apibench")},
                                      {QStringLiteral("quick"), quick},
                                      {QStringLiteral("conditions"), conditions}})
                .toJson()) < 0)
        return QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
    return {};
}
