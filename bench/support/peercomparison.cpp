// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "peercomparison.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace QueueDeck::Bench {

std::optional<double> PeerRun::figure(const QString &system, Figure figure) const
{
    const auto found = systems.constFind(system);
    if (found == systems.cend())
        return std::nullopt;
    const auto value = found->constFind(figure);
    if (value == found->cend())
        return std::nullopt;
    return *value;
}

namespace {

// The median of a summary entry; nothing when the harness collected no value (null) or the
// entry is missing.
std::optional<double> median(const QJsonObject &summary, const char *key)
{
    const QJsonValue entry = summary.value(QLatin1StringView(key));
    if (!entry.isObject())
        return std::nullopt;
    const QJsonValue value = entry.toObject().value(QLatin1StringView("median"));
    if (!value.isDouble())
        return std::nullopt;
    return value.toDouble();
}

QString formatted(Figure figure, double value)
{
    switch (figure) {
    case Figure::SingleEnqueueRate:
    case Figure::BatchEnqueueRate:
    case Figure::DrainRate:
        return QStringLiteral("%1/s").arg(qRound64(value));
    case Figure::WakeUpP99Ms:
        return QStringLiteral("%1 ms").arg(value, 0, 'f', 2);
    case Figure::SingleEnqueueServerCpuUs:
    case Figure::DrainServerCpuUs:
        return QStringLiteral("%1 µs").arg(value, 0, 'f', 1);
    }
    return {};
}

bool isPeer(const QString &system)
{
    // QueueDeck's own rows and the harness's in-memory HTTP mock are not peers.
    return !system.startsWith(u"queuedeck") && system != u"http-mock";
}

} // namespace

std::expected<PeerRun, QString> parsePeerRun(const QByteArray &json, const QString &source,
                                             std::optional<Condition> condition)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return std::unexpected(QStringLiteral("%1: not JSON (%2 at byte %3)")
                                   .arg(source, error.errorString())
                                   .arg(error.offset));
    const QJsonObject root = document.object();
    const QJsonObject meta = root.value(QLatin1StringView("meta")).toObject();
    const QJsonObject systems = root.value(QLatin1StringView("systems")).toObject();
    if (!root.contains(QLatin1StringView("systems")) || systems.isEmpty())
        return std::unexpected(
            QStringLiteral("%1: no \"systems\": not a report of the peer harness").arg(source));
    PeerRun run;
    run.source = source;
    if (condition) {
        run.condition = *condition;
    } else {
        const QJsonValue described = meta.value(QLatin1StringView("condition"));
        if (!described.isString())
            return std::unexpected(
                QStringLiteral("%1 names no condition (an older report): give it as "
                               "--peers idle=%1, busy-core=… or pin0=…")
                    .arg(source));
        const auto named = conditionFromHarness(described.toString());
        if (!named)
            return std::unexpected(QStringLiteral("%1: condition \"%2\" is none of idle, "
                                                  "busy-core, pin0")
                                       .arg(source, described.toString()));
        run.condition = *named;
    }
    const double n = meta.value(QLatin1StringView("n")).toDouble(0);
    for (auto it = systems.constBegin(); it != systems.constEnd(); ++it) {
        const QJsonObject summary =
            it.value().toObject().value(QLatin1StringView("summary")).toObject();
        QMap<Figure, double> figures;
        const auto put = [&figures](Figure figure, std::optional<double> value) {
            if (value)
                figures.insert(figure, *value);
        };
        put(Figure::SingleEnqueueRate, median(summary, "w1_single.rate"));
        put(Figure::BatchEnqueueRate, median(summary, "w1_batch.rate"));
        put(Figure::DrainRate, median(summary, "w2.rate"));
        put(Figure::WakeUpP99Ms, median(summary, "w3.p99_ms"));
        put(Figure::SingleEnqueueServerCpuUs, median(summary, "w1_single.server_cpu_us_per_job"));
        std::optional<double> drainCpu = median(summary, "w2.server_cpu_us_per_task");
        if (!drainCpu && n > 0) {
            // Reports from before the per-task figure: the drain's CPU seconds over its N tasks.
            if (const auto seconds = median(summary, "w2.server_cpu_s"))
                drainCpu = *seconds * 1e6 / n;
        }
        put(Figure::DrainServerCpuUs, drainCpu);
        run.systems.insert(it.key(), figures);
    }
    return run;
}

std::expected<PeerRun, QString> loadPeerRun(const QString &argument)
{
    QString path = argument;
    std::optional<Condition> condition;
    if (const qsizetype equals = argument.indexOf(u'='); equals > 0) {
        const QString name = argument.left(equals);
        condition = conditionFromName(name);
        if (!condition)
            return std::unexpected(
                QStringLiteral("--peers %1: unknown condition \"%2\": use idle, busy-core or pin0")
                    .arg(argument, name));
        path = argument.mid(equals + 1);
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::unexpected(
            QStringLiteral("--peers: cannot read %1: %2").arg(path, file.errorString()));
    return parsePeerRun(file.readAll(), path, condition);
}

const QList<Target> &targets()
{
    using R = Target::Reference;
    using D = Target::Direction;
    static const QList<Target> list{
        {Figure::SingleEnqueueRate, QStringLiteral("one-by-one enqueue"), R::Beanstalkd, D::AtLeast,
         1.0},
        {Figure::BatchEnqueueRate, QStringLiteral("batch enqueue"), R::BestPeerBatch, D::AtLeast,
         3.0},
        {Figure::DrainRate, QStringLiteral("drain"), R::Beanstalkd, D::AtLeast, 1.0},
        {Figure::WakeUpP99Ms, QStringLiteral("wake-up p99"), R::Beanstalkd, D::AtMost, 1.0},
        {Figure::SingleEnqueueServerCpuUs, QStringLiteral("server CPU per one-by-one enqueue"),
         R::Beanstalkd, D::AtMost, 1.5},
        {Figure::DrainServerCpuUs, QStringLiteral("server CPU per drained task"), R::Beanstalkd,
         D::AtMost, 1.5},
    };
    return list;
}

Verdict judge(const Target &target, std::optional<double> ours, const PeerRun *run)
{
    Verdict verdict;
    verdict.ours = ours;
    const QString bound = QStringLiteral("%1 %2x")
                              .arg(target.direction == Target::Direction::AtLeast ? u"≥" : u"≤")
                              .arg(target.bound, 0, 'f', 1);
    const QString reference = target.reference == Target::Reference::Beanstalkd
                                  ? QStringLiteral("beanstalkd")
                                  : QStringLiteral("the best peer's batch");
    const QString head = QStringLiteral("%1: target %2 %3").arg(target.title, bound, reference);
    if (!ours) {
        verdict.outcome = Verdict::Outcome::NoSamples;
        verdict.text = head + QStringLiteral(" — QueueDeck collected no samples: not judged");
        return verdict;
    }
    if (!run) {
        verdict.outcome = Verdict::Outcome::NoPeerFigure;
        verdict.text = head + QStringLiteral(" — QueueDeck %1; no peer report for this condition: "
                                             "not judged")
                                  .arg(formatted(target.figure, *ours));
        return verdict;
    }
    if (target.reference == Target::Reference::Beanstalkd) {
        verdict.peerName = QStringLiteral("beanstalkd");
        verdict.peer = run->figure(verdict.peerName, target.figure);
    } else {
        for (auto it = run->systems.cbegin(); it != run->systems.cend(); ++it) {
            const auto value = it->constFind(target.figure);
            if (!isPeer(it.key()) || value == it->cend())
                continue;
            if (!verdict.peer || *value > *verdict.peer) {
                verdict.peer = *value;
                verdict.peerName = it.key();
            }
        }
    }
    if (!verdict.peer || *verdict.peer <= 0) {
        verdict.outcome = Verdict::Outcome::NoPeerFigure;
        const QString missing =
            target.reference == Target::Reference::Beanstalkd
                ? (run->systems.contains(QStringLiteral("beanstalkd"))
                       ? QStringLiteral("beanstalkd collected no samples for it in %1")
                       : QStringLiteral("%1 has no beanstalkd row"))
                : QStringLiteral("no peer in %1 has a batch figure");
        verdict.text = head + QStringLiteral(" — QueueDeck %1; %2: not judged")
                                  .arg(formatted(target.figure, *ours), missing.arg(run->source));
        return verdict;
    }
    verdict.ratio = *ours / *verdict.peer;
    const bool met = target.direction == Target::Direction::AtLeast
                         ? *verdict.ratio >= target.bound
                         : *verdict.ratio <= target.bound;
    verdict.outcome = met ? Verdict::Outcome::Met : Verdict::Outcome::Missed;
    verdict.text = head + QStringLiteral(" — QueueDeck %1, %2 %3: %4x, %5")
                              .arg(formatted(target.figure, *ours), verdict.peerName,
                                   formatted(target.figure, *verdict.peer))
                              .arg(*verdict.ratio, 0, 'f', 2)
                              .arg(met ? QStringLiteral("met") : QStringLiteral("MISSED"));
    return verdict;
}

const PeerRun *runFor(const QList<PeerRun> &runs, Condition condition)
{
    for (const PeerRun &run : runs) {
        if (run.condition == condition)
            return &run;
    }
    return nullptr;
}

} // namespace QueueDeck::Bench
