// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// A `qdeck serve` started for one benchmark: a fresh data directory, a port the kernel picks, the
// admin token it wrote. It ends with the benchmark, however that ends. Its output goes to a file
// in its data directory, never to a pipe: nothing reads a pipe while a workload runs, and a server
// blocked on a full pipe stops answering.

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include <sys/prctl.h>

namespace QueueDeck::Bench {

struct Server
{
    // A postgresql:// URL: every server then keeps its data in that database, emptied first
    // (psql drops and makes its schema public again), one server at a time. Empty: SQLite.
    static inline QString database;

    QTemporaryDir dir;
    QProcess process;
    QString url;
    quint16 port = 0;
    QString adminToken;

    explicit Server(const QString &qdeck)
    {
        process.setProgram(qdeck);
        // The server ends with this program, however it ends.
        process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        QStringList arguments{QStringLiteral("serve"), QStringLiteral("--listen"),
                              QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                              dir.path()};
        if (!database.isEmpty()) {
            const int emptied = QProcess::execute(
                QStringLiteral("psql"),
                {QStringLiteral("-qX"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                 database, QStringLiteral("-c"),
                 QStringLiteral("DROP SCHEMA public CASCADE; CREATE SCHEMA public")});
            if (emptied != 0) {
                std::fprintf(stderr, "psql could not empty the database %s (exit %d)\n",
                             qPrintable(database), emptied);
                std::exit(1);
            }
            arguments << QStringLiteral("--database") << database;
        }
        process.setArguments(arguments);
        const QString log = dir.filePath(QStringLiteral("server.log"));
        process.setStandardOutputFile(log, QIODevice::Append);
        process.setStandardErrorFile(log, QIODevice::Append);
        process.start();
        static const QRegularExpression serving(
            QStringLiteral("serving on (\\S+) \\(port (\\d+)\\)"));
        QByteArray output;
        // Generous: under callgrind (bench/instructions.sh) on a loaded machine start-up is slow.
        QElapsedTimer startUp;
        startUp.start();
        QFile logFile(log);
        while (port == 0 && process.state() != QProcess::NotRunning &&
               startUp.elapsed() < 180'000) {
            process.waitForFinished(50); // returns at once if it ends; otherwise a short wait
            if (!logFile.isOpen() && !logFile.open(QIODevice::ReadOnly))
                continue;
            output += logFile.readAll();
            const auto match = serving.match(QString::fromUtf8(output));
            if (match.hasMatch()) {
                url = match.captured(1);
                port = match.captured(2).toUShort();
            }
        }
        // A node on PostgreSQL takes its port before it leads, and writes the token then.
        QFile token(dir.filePath(QStringLiteral("admin-token")));
        while (port != 0 && !token.exists() && process.state() != QProcess::NotRunning &&
               startUp.elapsed() < 180'000)
            process.waitForFinished(50);
        if (port == 0 || !token.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "qdeck serve did not start: %s\n", output.constData());
            std::exit(1);
        }
        adminToken = QString::fromUtf8(token.readAll()).trimmed();
    }
    ~Server()
    {
        process.terminate();
        process.waitForFinished(180000); // callgrind writes its profile at the end
    }
    qint64 rssKb() const
    {
        QFile status(QStringLiteral("/proc/%1/status").arg(process.processId()));
        status.open(QIODevice::ReadOnly);
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                return line.mid(6).trimmed().split(' ').first().toLongLong();
        }
        return -1;
    }
};

} // namespace QueueDeck::Bench
