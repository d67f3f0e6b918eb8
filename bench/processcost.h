// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// What a process spends, read before and after a workload and divided by its operations: CPU
// time, context switches and (where `perf` can count them) system calls. These hold on a loaded
// machine where rates do not, so every benchmark prints them beside its rates.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryFile>
#include <QThread>

#include <csignal>
#include <memory>
#include <optional>

#include <sys/resource.h>
#include <unistd.h>

namespace QueueDeck::Bench {

// A reading of one process's counters.
struct CostReading
{
    qint64 cpuNs = 0;       // user + system time of all its threads
    qint64 voluntary = 0;   // context switches: waits (sleeps in the kernel)
    qint64 involuntary = 0; // context switches: preemptions
    bool valid = false;
};

// Counts the system calls of a process with `perf stat -e raw_syscalls:sys_enter -p PID`
// (Debian's linux-perf; optional). Without perf, or where the kernel refuses it, there is no count
// and the report says so.
class SyscallCounter
{
public:
    explicit SyscallCounter(qint64 pid)
    {
        const QString perf = QStandardPaths::findExecutable(QStringLiteral("perf"));
        if (perf.isEmpty() || !m_output.open()) {
            m_why = QStringLiteral("perf not installed");
            return;
        }
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process->start(perf, {QStringLiteral("stat"), QStringLiteral("-x,"), QStringLiteral("-e"),
                                QStringLiteral("raw_syscalls:sys_enter"), QStringLiteral("-o"),
                                m_output.fileName(), QStringLiteral("-p"), QString::number(pid)});
        if (!m_process->waitForStarted(5000)) {
            m_why = QStringLiteral("perf did not start");
            m_process.reset();
            return;
        }
        // perf prints nothing once attached; the measured process is idle until the workload
        // starts, so a short settling time only adds idle calls (few) to the count.
        QThread::msleep(400);
    }
    // Ends the count; the number of system calls, or nothing (why() says why).
    std::optional<qint64> stop()
    {
        if (!m_process)
            return std::nullopt;
        ::kill(pid_t(m_process->processId()), SIGINT);
        m_process->waitForFinished(10000);
        m_process.reset();
        QFile file(m_output.fileName());
        if (!file.open(QIODevice::ReadOnly)) {
            m_why = QStringLiteral("perf wrote no count");
            return std::nullopt;
        }
        for (const QByteArray &line : file.readAll().split('\n')) {
            const QList<QByteArray> fields = line.split(',');
            if (fields.size() > 2 && fields[2].startsWith("raw_syscalls:sys_enter")) {
                bool ok = false;
                const qint64 count = fields[0].toLongLong(&ok);
                if (ok)
                    return count;
                m_why =
                    QStringLiteral("perf could not count (%1)").arg(QString::fromUtf8(fields[0]));
                return std::nullopt;
            }
        }
        m_why = QStringLiteral("perf wrote no count");
        return std::nullopt;
    }
    QString why() const { return m_why; }

private:
    std::unique_ptr<QProcess> m_process;
    QTemporaryFile m_output;
    QString m_why;
};

// All threads of another process: CPU from each thread's schedstat (nanoseconds), context
// switches from each thread's status. Threads that end within the window take their share with
// them (the server's threads live as long as it does).
inline CostReading readProcess(qint64 pid)
{
    CostReading reading;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    const QStringList threads = tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &thread : threads) {
        QFile schedstat(tasks.filePath(thread + QStringLiteral("/schedstat")));
        if (schedstat.open(QIODevice::ReadOnly))
            reading.cpuNs += schedstat.readAll().split(' ').value(0).toLongLong();
        QFile status(tasks.filePath(thread + QStringLiteral("/status")));
        if (!status.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("voluntary_ctxt_switches:"))
                reading.voluntary += line.mid(24).trimmed().toLongLong();
            else if (line.startsWith("nonvoluntary_ctxt_switches:"))
                reading.involuntary += line.mid(27).trimmed().toLongLong();
        }
    }
    reading.valid = !threads.isEmpty();
    return reading;
}

// This process as a whole, threads that ended included.
inline CostReading readSelf()
{
    rusage usage{};
    CostReading reading;
    if (::getrusage(RUSAGE_SELF, &usage) != 0)
        return reading;
    const auto ns = [](const timeval &t) {
        return qint64(t.tv_sec) * 1'000'000'000 + t.tv_usec * 1000;
    };
    reading.cpuNs = ns(usage.ru_utime) + ns(usage.ru_stime);
    reading.voluntary = usage.ru_nvcsw;
    reading.involuntary = usage.ru_nivcsw;
    reading.valid = true;
    return reading;
}

// The cost of one process over a workload, per operation.
class CostMeter
{
public:
    // pid 0: this process. countSyscalls: attach perf for the window (it costs the measured
    // process a little CPU per call, so the CPU figure of such a run is a little high).
    CostMeter(QString who, qint64 pid, bool countSyscalls) : m_who(std::move(who)), m_pid(pid)
    {
        if (countSyscalls)
            m_syscalls = std::make_unique<SyscallCounter>(pid == 0 ? qint64(::getpid()) : pid);
        m_before = read();
    }
    // Ends the window; a readable line of the cost per operation.
    QString finish(qint64 operations)
    {
        const CostReading after = read();
        std::optional<qint64> calls;
        QString noCalls = QStringLiteral("syscalls not counted (run with --syscalls)");
        if (m_syscalls) {
            calls = m_syscalls->stop();
            if (!calls)
                noCalls = QStringLiteral("syscalls not counted: ") + m_syscalls->why();
        }
        if (operations <= 0 || !m_before.valid || !after.valid)
            return m_who + QStringLiteral(": no samples (no operation completed)");
        const double n = double(operations);
        m_cpuUsPerOp = (after.cpuNs - m_before.cpuNs) / 1000.0 / n;
        m_switchesPerOp =
            (after.voluntary + after.involuntary - m_before.voluntary - m_before.involuntary) / n;
        if (calls)
            m_syscallsPerOp = *calls / n;
        m_measured = true;
        QString line = QStringLiteral("%1 %2 µs CPU, %3 cs (%4 waits + %5 preempted)")
                           .arg(m_who)
                           .arg(m_cpuUsPerOp, 0, 'f', 1)
                           .arg(m_switchesPerOp, 0, 'f', 2)
                           .arg((after.voluntary - m_before.voluntary) / n, 0, 'f', 2)
                           .arg((after.involuntary - m_before.involuntary) / n, 0, 'f', 2);
        line += calls ? QStringLiteral(", %1 syscalls per op").arg(*calls / n, 0, 'f', 1)
                      : QStringLiteral(" per op; ") + noCalls;
        return line;
    }
    // The figures of the last finish(); nothing before it or when it had no samples.
    std::optional<double> cpuUsPerOp() const
    {
        return m_measured ? std::optional(m_cpuUsPerOp) : std::nullopt;
    }
    std::optional<double> switchesPerOp() const
    {
        return m_measured ? std::optional(m_switchesPerOp) : std::nullopt;
    }
    std::optional<double> syscallsPerOp() const { return m_syscallsPerOp; }

private:
    CostReading read() const { return m_pid == 0 ? readSelf() : readProcess(m_pid); }

    QString m_who;
    qint64 m_pid;
    std::unique_ptr<SyscallCounter> m_syscalls;
    CostReading m_before;
    double m_cpuUsPerOp = 0;
    double m_switchesPerOp = 0;
    std::optional<double> m_syscallsPerOp;
    bool m_measured = false;
};

} // namespace QueueDeck::Bench
