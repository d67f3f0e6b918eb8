// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// QueueDeck's figures against the peers' from one report of the peer harness
// (../shared/bench/peers, results/*.json), condition by condition. The floors of the project's own
// benchmarks are these ratios (issue 13's targets), never absolute rates: a rate moves with the
// machine and its load, a ratio taken in the same condition on the same machine much less.

#include "benchcondition.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <expected>
#include <optional>

namespace QueueDeck::Bench {

// A figure both sides report.
enum class Figure {
    SingleEnqueueRate,        // W1, one awaited enqueue at a time: tasks/s
    BatchEnqueueRate,         // W1, batches of 100: tasks/s
    DrainRate,                // W2, tasks/s
    WakeUpP99Ms,              // W3 p99 at 500/s: ms
    SingleEnqueueServerCpuUs, // server CPU µs per one-by-one enqueue
    DrainServerCpuUs,         // server CPU µs per drained task
};

// One harness report: the median of each figure per system, and its condition.
struct PeerRun
{
    Condition condition = Condition::Idle;
    QString source;                              // the file, for the printed lines
    QMap<QString, QMap<Figure, double>> systems; // a figure absent: no samples
    std::optional<double> figure(const QString &system, Figure figure) const;
};

// Reads a harness report. `condition`: the one to assume (the `COND=` of --peers); without it the
// report's meta.condition names it, and a report that names none or another one is an error.
std::expected<PeerRun, QString> parsePeerRun(const QByteArray &json, const QString &source,
                                             std::optional<Condition> condition = std::nullopt);
// `--peers [COND=]FILE`: reads and parses the file.
std::expected<PeerRun, QString> loadPeerRun(const QString &argument);

// A target: QueueDeck's figure divided by the reference's must be at least (or at most) `bound`.
struct Target
{
    enum class Reference { Beanstalkd, BestPeerBatch };
    enum class Direction { AtLeast, AtMost };
    Figure figure;
    QString title;
    Reference reference;
    Direction direction;
    double bound;
};

// Issue 13's targets: one-by-one enqueue ≥ 1.0× beanstalkd, drain ≥ 1.0×, p99 ≤ 1.0×, batch ≥ 3×
// the best peer's batch, server CPU per one-by-one enqueue and per drained task ≤ 1.5×.
const QList<Target> &targets();

struct Verdict
{
    enum class Outcome { Met, Missed, NoSamples, NoPeerFigure };
    Outcome outcome = Outcome::NoSamples;
    std::optional<double> ours;
    std::optional<double> peer;
    std::optional<double> ratio;
    QString peerName;
    QString text; // one readable line: the figures, the ratio, and met / MISSED / why neither
};

// Judges `ours` (nothing: the run collected no samples) against the reference in `run` (nullptr:
// no report for this condition was given). Only a ratio that holds is "met".
Verdict judge(const Target &target, std::optional<double> ours, const PeerRun *run);

// The peer run of `condition` among `runs`, or nullptr.
const PeerRun *runFor(const QList<PeerRun> &runs, Condition condition);

} // namespace QueueDeck::Bench
