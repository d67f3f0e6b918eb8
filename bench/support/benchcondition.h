// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// The condition a benchmark runs under, named as the peer harness names it, so that a figure is
// only ever compared with a peer's figure from the same condition:
//   idle       nothing added;
//   busy-core  a CPU hog (a child process spinning at the same priority) for the whole run;
//   pin0       this process and everything it starts afterwards on CPU 0 (sched_setaffinity).

#include <QList>
#include <QString>
#include <QStringList>

#include <expected>
#include <optional>

#include <sched.h>
#include <sys/types.h>

namespace QueueDeck::Bench {

enum class Condition { Idle, BusyCore, Pin0 };

// "idle", "busy-core", "pin0".
QString conditionName(Condition condition);
std::optional<Condition> conditionFromName(QStringView name);
// The condition a peer harness report describes in its meta.condition ("idle machine", "one CPU
// kept busy by a hog process", "pinned to CPU 0"); nothing for a combination or anything else.
std::optional<Condition> conditionFromHarness(QStringView description);
// The conditions asked for by `--condition idle|busy-core|pin0` or `--conditions all` (default:
// idle alone); an error message for an unknown name or both switches at once.
std::expected<QList<Condition>, QString> conditionsFromArguments(const QStringList &arguments);

// Puts a condition in place for its lifetime; construct it before the servers and client threads
// of a run start, so that they inherit it. Not copyable; one at a time per process.
class ConditionScope
{
public:
    explicit ConditionScope(Condition condition);
    ~ConditionScope();
    ConditionScope(const ConditionScope &) = delete;
    ConditionScope &operator=(const ConditionScope &) = delete;

    Condition condition() const { return m_condition; }
    // Empty when the condition is in place; otherwise why not (the run must not be labelled
    // with it then).
    QString error() const { return m_error; }

private:
    Condition m_condition;
    QString m_error;
    pid_t m_hog = 0;
    cpu_set_t m_savedAffinity;
    bool m_pinned = false;
};

} // namespace QueueDeck::Bench
