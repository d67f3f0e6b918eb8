// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Test support: the real `qdeck serve` as a child process on a free loopback port with a
// temporary data directory.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace QueueDeck::Testing {

class ServerProcess
{
public:
    explicit ServerProcess(QStringList extraArguments = {}) : m_extra(std::move(extraArguments)) {}
    ~ServerProcess() { stop(); }

    bool start()
    {
        m_process.setProgram(QStringLiteral(QDECK_PATH));
        m_process.setArguments(QStringList{QStringLiteral("serve"), QStringLiteral("--listen"),
                                           QStringLiteral("127.0.0.1:0"),
                                           QStringLiteral("--data-dir"), dataDir()} +
                               m_extra);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        // Its log goes to a file: a pipe nobody reads while a test blocks on an answer fills up
        // and stops the server in the middle of a write.
        m_process.setStandardErrorFile(logPath(), QIODevice::Append);
        if (!m_loggingRules.isEmpty()) {
            QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
            environment.insert(QStringLiteral("QT_LOGGING_RULES"), m_loggingRules);
            m_process.setProcessEnvironment(environment);
        }
        m_process.start();
        if (!m_process.waitForStarted(10000))
            return false;
        static const QRegularExpression serving(
            QStringLiteral("serving on (\\S+) \\(port (\\d+)\\)"));
        QByteArray output;
        while (m_process.waitForReadyRead(10000)) {
            output += m_process.readAllStandardOutput();
            const auto match = serving.match(QString::fromUtf8(output));
            if (match.hasMatch()) {
                m_url = match.captured(1);
                m_port = match.captured(2).toUShort();
                break;
            }
        }
        if (m_port == 0) {
            qWarning("qdeck serve did not start: %s %s", output.constData(),
                     errorOutput().constData());
            return false;
        }
        QFile token(QDir(dataDir()).filePath(QStringLiteral("admin-token")));
        if (!token.open(QIODevice::ReadOnly))
            return false;
        m_adminToken = QString::fromUtf8(token.readAll()).trimmed();
        return true;
    }

    // SIGTERM and wait; the exit code, or -1 when it did not stop.
    int stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return m_process.exitCode();
        m_process.terminate();
        if (!m_process.waitForFinished(15000)) {
            m_process.kill();
            m_process.waitForFinished();
            return -1;
        }
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }

    // QT_LOGGING_RULES for the server from the next start, e.g. "queuedeck.api.debug=true".
    void setLoggingRules(const QString &rules) { m_loggingRules = rules; }
    // Everything the server wrote to stderr (its log), over all its starts.
    QByteArray errorOutput() const
    {
        QFile log(logPath());
        return log.open(QIODevice::ReadOnly) ? log.readAll() : QByteArray();
    }

    bool isRunning() const { return m_process.state() == QProcess::Running; }
    qint64 processId() const { return m_process.processId(); }
    QString url() const { return m_url; }
    quint16 port() const { return m_port; }
    QString adminToken() const { return m_adminToken; }
    QString dataDir() const { return m_sharedDataDir.isEmpty() ? m_dir.path() : m_sharedDataDir; }
    // Serves the data directory of another server (stopped first: one server per directory)
    // from the next start on.
    void useDataDir(const QString &path) { m_sharedDataDir = path; }

private:
    QTemporaryDir m_dir;
    QStringList m_extra;
    QProcess m_process;
    QString m_url;
    quint16 m_port = 0;
    QString m_adminToken;
    QString m_loggingRules;
    QString m_sharedDataDir;

    QTemporaryDir m_logDir; // apart from the data directory, which tests look into
    QString logPath() const { return m_logDir.filePath(QStringLiteral("server.log")); }
};

} // namespace QueueDeck::Testing
