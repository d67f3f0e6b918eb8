// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktorymutation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace QueueDeck::Faktory {

namespace {

constexpr qsizetype MaxPatternBytes = 4096;
constexpr qsizetype MaxJids = 10000;

Error refused(const QString &why)
{
    return Error{ErrorCode::InvalidArgument, QStringLiteral("MUTATE: ") + why, {}};
}

// Matches one character against the element of pattern at p (a class, an escape or a plain
// character); sets next to the position after that element. Returns whether it matched.
bool matchOne(QByteArrayView pattern, qsizetype p, char c, qsizetype *next)
{
    const char head = pattern[p];
    if (head == '?') {
        *next = p + 1;
        return true;
    }
    if (head == '\\' && p + 1 < pattern.size()) {
        *next = p + 2;
        return pattern[p + 1] == c;
    }
    if (head != '[') {
        *next = p + 1;
        return head == c;
    }
    // A class: [abc], [^abc], [a-z], \ escapes inside; an unclosed one runs to the end.
    qsizetype i = p + 1;
    const bool negated = i < pattern.size() && pattern[i] == '^';
    if (negated)
        ++i;
    bool found = false;
    while (i < pattern.size() && pattern[i] != ']') {
        if (pattern[i] == '\\' && i + 1 < pattern.size()) {
            found = found || pattern[i + 1] == c;
            i += 2;
        } else if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
            char low = pattern[i];
            char high = pattern[i + 2];
            if (low > high)
                std::swap(low, high);
            found = found || (c >= low && c <= high);
            i += 3;
        } else {
            found = found || pattern[i] == c;
            ++i;
        }
    }
    *next = i < pattern.size() ? i + 1 : i;
    return found != negated;
}

} // namespace

Result<FaktoryMutation> FaktoryMutation::parse(QByteArrayView argument)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(argument.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::unexpected(
            refused(QStringLiteral("give {\"cmd\":…,\"target\":…,\"filter\":{…}} as JSON")));
    const QJsonObject operation = document.object();
    FaktoryMutation mutation;
    const QString command = operation.value(u"cmd").toString();
    if (command == u"clear")
        mutation.m_command = Command::Clear;
    else if (command == u"kill")
        mutation.m_command = Command::Kill;
    else if (command == u"discard")
        mutation.m_command = Command::Discard;
    else if (command == u"requeue")
        mutation.m_command = Command::Requeue;
    else
        return std::unexpected(
            refused(QStringLiteral("cmd must be clear, kill, discard or requeue (got \"%1\")")
                        .arg(command.left(40))));
    const QString target = operation.value(u"target").toString();
    if (target == u"retries")
        mutation.m_target = Target::Retries;
    else if (target == u"scheduled")
        mutation.m_target = Target::Scheduled;
    else if (target == u"dead")
        mutation.m_target = Target::Dead;
    else
        return std::unexpected(
            refused(QStringLiteral("target must be retries, scheduled or dead (got \"%1\")")
                        .arg(target.left(40))));
    const QJsonValue filterValue = operation.value(u"filter");
    if (filterValue.isUndefined() || filterValue.isNull())
        return mutation;
    if (!filterValue.isObject())
        return std::unexpected(refused(QStringLiteral(
            "filter must be a hash with jobtype, jids (a list) or regexp, or be left out")));
    const QJsonObject filter = filterValue.toObject();
    mutation.m_hasFilter = true;
    mutation.m_jobtype = filter.value(u"jobtype").toString();
    const QJsonValue jids = filter.value(u"jids");
    if (!jids.isUndefined() && !jids.isNull()) {
        if (!jids.isArray() || jids.toArray().size() > MaxJids)
            return std::unexpected(refused(
                QStringLiteral("filter.jids must be a list of at most %1 jids").arg(MaxJids)));
        for (const QJsonValue &jid : jids.toArray()) {
            if (!jid.isString())
                return std::unexpected(refused(QStringLiteral("filter.jids must hold strings")));
            mutation.m_jids.append(jid.toString());
        }
    }
    mutation.m_pattern = filter.value(u"regexp").toString().toUtf8();
    if (mutation.m_pattern.size() > MaxPatternBytes)
        return std::unexpected(refused(
            QStringLiteral("filter.regexp may have at most %1 bytes").arg(MaxPatternBytes)));
    return mutation;
}

QList<TaskState> FaktoryMutation::states() const
{
    if (m_target == Target::Dead)
        return {TaskState::Dead, TaskState::Cancelled};
    return {TaskState::Scheduled};
}

bool FaktoryMutation::inTarget(const TaskInfo &task) const
{
    switch (m_target) {
    case Target::Retries:
        return task.state == TaskState::Scheduled && task.attempts > 0;
    case Target::Scheduled:
        return task.state == TaskState::Scheduled && task.attempts == 0;
    case Target::Dead:
        return task.state == TaskState::Dead || task.state == TaskState::Cancelled;
    }
    return false;
}

bool FaktoryMutation::matches(const TaskInfo &task) const
{
    if (m_command == Command::Clear || !m_hasFilter)
        return true;
    if (!m_jobtype.isEmpty() && task.type != m_jobtype)
        return false;
    if (!m_jids.isEmpty()) {
        QString jid = task.idempotencyKey;
        if (jid.isEmpty())
            jid = QJsonDocument::fromJson(task.payload).object().value(u"jid").toString();
        if (!m_jids.contains(jid))
            return false;
    }
    if (!m_pattern.isEmpty() && !globMatch(m_pattern, task.payload))
        return false;
    return true;
}

bool FaktoryMutation::globMatch(QByteArrayView pattern, QByteArrayView text)
{
    // Greedy with one point to come back to: the last `*` and the text position it took up to.
    qsizetype p = 0;
    qsizetype t = 0;
    qsizetype starP = -1;
    qsizetype starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            while (p < pattern.size() && pattern[p] == '*')
                ++p;
            starP = p;
            starT = t;
            continue;
        }
        qsizetype next = p;
        if (p < pattern.size() && matchOne(pattern, p, text[t], &next)) {
            p = next;
            ++t;
            continue;
        }
        if (starP < 0)
            return false;
        p = starP; // the `*` takes one more character
        t = ++starT;
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

} // namespace QueueDeck::Faktory
