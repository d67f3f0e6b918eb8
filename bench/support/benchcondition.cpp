// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "benchcondition.h"

#include <QDir>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace QueueDeck::Bench {

QString conditionName(Condition condition)
{
    switch (condition) {
    case Condition::Idle:
        return QStringLiteral("idle");
    case Condition::BusyCore:
        return QStringLiteral("busy-core");
    case Condition::Pin0:
        return QStringLiteral("pin0");
    }
    return {};
}

std::optional<Condition> conditionFromName(QStringView name)
{
    for (Condition condition : {Condition::Idle, Condition::BusyCore, Condition::Pin0}) {
        if (name == conditionName(condition))
            return condition;
    }
    return std::nullopt;
}

std::optional<Condition> conditionFromHarness(QStringView description)
{
    const QString text = description.trimmed().toString();
    if (text == u"idle machine")
        return Condition::Idle;
    if (text == u"one CPU kept busy by a hog process")
        return Condition::BusyCore;
    if (text == u"pinned to CPU 0")
        return Condition::Pin0;
    return std::nullopt;
}

std::expected<QList<Condition>, QString> conditionsFromArguments(const QStringList &arguments)
{
    const qsizetype one = arguments.indexOf(QStringLiteral("--condition"));
    const qsizetype all = arguments.indexOf(QStringLiteral("--conditions"));
    if (one >= 0 && all >= 0)
        return std::unexpected(QStringLiteral("give either --condition NAME or --conditions all"));
    if (all >= 0) {
        if (arguments.value(all + 1) != u"all")
            return std::unexpected(
                QStringLiteral("--conditions takes \"all\" (for one condition: --condition NAME)"));
        return QList<Condition>{Condition::Idle, Condition::BusyCore, Condition::Pin0};
    }
    if (one < 0)
        return QList<Condition>{Condition::Idle};
    const QString name = arguments.value(one + 1);
    if (const auto condition = conditionFromName(name))
        return QList<Condition>{*condition};
    return std::unexpected(
        QStringLiteral("unknown condition \"%1\": use idle, busy-core or pin0").arg(name));
}

namespace {

// Every thread of this process: sched_setaffinity acts on one thread, and the client library's
// threads may already run.
bool setAffinityOfAllThreads(const cpu_set_t &set, QString *error)
{
    const QStringList threads =
        QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &thread : threads) {
        if (::sched_setaffinity(pid_t(thread.toInt()), sizeof set, &set) != 0 && errno != ESRCH) {
            *error = QStringLiteral("sched_setaffinity: %1")
                         .arg(QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
    }
    return true;
}

} // namespace

ConditionScope::ConditionScope(Condition condition) : m_condition(condition)
{
    CPU_ZERO(&m_savedAffinity);
    if (condition == Condition::BusyCore) {
        const pid_t parent = ::getpid();
        const pid_t child = ::fork();
        if (child < 0) {
            m_error = QStringLiteral("fork: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        if (child == 0) {
            // The hog: it ends with the benchmark, however that ends.
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent)
                ::_exit(0);
            volatile unsigned long spin = 0;
            for (;;)
                spin = spin + 1;
        }
        m_hog = child;
        return;
    }
    if (condition == Condition::Pin0) {
        if (::sched_getaffinity(0, sizeof m_savedAffinity, &m_savedAffinity) != 0) {
            m_error = QStringLiteral("sched_getaffinity: %1")
                          .arg(QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        cpu_set_t zero;
        CPU_ZERO(&zero);
        CPU_SET(0, &zero);
        m_pinned = setAffinityOfAllThreads(zero, &m_error);
    }
}

ConditionScope::~ConditionScope()
{
    if (m_hog > 0) {
        ::kill(m_hog, SIGKILL);
        ::waitpid(m_hog, nullptr, 0);
    }
    if (m_pinned) {
        QString ignored; // the run is over; a thread that cannot be moved back stays on CPU 0
        setAffinityOfAllThreads(m_savedAffinity, &ignored);
    }
}

} // namespace QueueDeck::Bench
