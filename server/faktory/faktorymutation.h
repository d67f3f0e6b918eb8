// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "protocol/wiretypes.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace QueueDeck::Faktory {

// One MUTATE command: `MUTATE {"cmd":…,"target":…,"filter":{…}}` (docs/faktory.md, "MUTATE").
//
// Faktory keeps three sorted sets of jobs that are not in a queue; in QueueDeck they are task
// states of the listener's environment:
//   retries    scheduled tasks that failed before (attempts > 0), waiting out their backoff
//   scheduled  scheduled tasks that never ran (a job pushed with `at`)
//   dead       dead and cancelled tasks (finished without success, retryable)
// A plain value: parsing and matching have no I/O, so a fuzz target can drive them.
class FaktoryMutation final
{
public:
    enum class Command { Clear, Kill, Discard, Requeue };
    enum class Target { Retries, Scheduled, Dead };

    // A refusal says what to change.
    static Result<FaktoryMutation> parse(QByteArrayView argument);

    Command command() const { return m_command; }
    Target target() const { return m_target; }
    bool hasFilter() const { return m_hasFilter; }
    // The task states the target set is made of.
    QList<TaskState> states() const;
    // Whether a task of one of states() is in the target set.
    bool inTarget(const TaskInfo &task) const;
    // Whether the filter takes the task (always, without a filter or for clear). Every filter
    // field given must match: jobtype the task's type, jids its jid, regexp its job as JSON.
    bool matches(const TaskInfo &task) const;
    // The filter's jobtype, for narrowing the task listing; empty when none applies.
    QString jobtype() const { return m_command == Command::Clear ? QString() : m_jobtype; }

    // Redis's glob (SCAN MATCH) that Faktory's `regexp` filter is: `*` any run, `?` any one
    // character, `[abc]`, `[^a]`, `[a-z]`, and `\` taking the next character as it is. The
    // whole text must match.
    static bool globMatch(QByteArrayView pattern, QByteArrayView text);

private:
    Command m_command = Command::Clear;
    Target m_target = Target::Dead;
    bool m_hasFilter = false;
    QString m_jobtype;
    QStringList m_jids;
    QByteArray m_pattern;
};

} // namespace QueueDeck::Faktory
