// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Test support: a real PostgreSQL server of its own for a test process. initdb in a temporary
// directory (as the postgres user when the tests run as root: PostgreSQL refuses root), trust
// authentication, a free port on 127.0.0.1, the socket in the temporary directory. The server
// process is a child of the test (no pg_ctl daemon): it is stopped by its PID when the harness
// ends, and it is told to quit by the kernel (parent-death signal) should the test process die
// first, e.g. on a crash or a Qt Test timeout.
//
// Test-only settings: fsync off (a test never survives a power loss anyway), so that the many
// small transactions of the engine's tests do not wait for a loaded disk.

#include <QByteArray>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>

#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

namespace QueueDeck::Testing {

// The cluster key the tests' PostgreSQL stores seal join tokens with (a real node reads or makes
// its own: ClusterKey).
inline QByteArray testClusterKey()
{
    return QByteArray(32, 'k');
}

class PostgresHarness
{
public:
    PostgresHarness() = default;
    ~PostgresHarness() { stop(); }
    PostgresHarness(const PostgresHarness &) = delete;
    PostgresHarness &operator=(const PostgresHarness &) = delete;

    // One server shared by every test of this process, started on first use and stopped when
    // the process ends.
    static PostgresHarness &shared()
    {
        static PostgresHarness harness;
        if (!harness.isRunning() && harness.m_error.isEmpty() && harness.start())
            qAddPostRoutine([] { harness.stop(); }); // while Qt is still there to wait for it
        return harness;
    }

    // The directory of initdb, postgres and psql: $QUEUEDECK_PG_BINDIR, else the newest
    // /usr/lib/postgresql/<version>/bin (Debian's postgresql-15).
    static QString binDirectory()
    {
        const QString fromEnvironment = qEnvironmentVariable("QUEUEDECK_PG_BINDIR");
        if (!fromEnvironment.isEmpty())
            return fromEnvironment;
        QDir versions(QStringLiteral("/usr/lib/postgresql"));
        QStringList found = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        std::sort(found.begin(), found.end(),
                  [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
        for (const QString &version : found) {
            const QString bin = versions.filePath(version + u"/bin");
            if (QFile::exists(bin + u"/initdb"))
                return bin;
        }
        return {};
    }

    bool start()
    {
        m_error.clear();
        const QString bin = binDirectory();
        if (bin.isEmpty())
            return fail(QStringLiteral("PostgreSQL's initdb was not found; install the Debian "
                                       "package postgresql-15 (or set QUEUEDECK_PG_BINDIR)"));
        if (!m_dir.isValid())
            return fail(QStringLiteral("no temporary directory"));
        m_runAsPostgres = ::geteuid() == 0;
        if (m_runAsPostgres) {
            const passwd *user = ::getpwnam("postgres");
            if (!user)
                return fail(QStringLiteral("running as root, but there is no postgres user to "
                                           "run PostgreSQL as (it comes with postgresql-15)"));
            if (::chown(QFile::encodeName(m_dir.path()).constData(), user->pw_uid, user->pw_gid) !=
                0)
                return fail(QStringLiteral("cannot give the temporary directory to postgres"));
        }
        const QString data = m_dir.filePath(QStringLiteral("data"));
        QProcess initdb;
        initdb.setProcessChannelMode(QProcess::MergedChannels);
        startAs(initdb, bin + u"/initdb",
                {QStringLiteral("-D"), data, QStringLiteral("-A"), QStringLiteral("trust"),
                 QStringLiteral("-U"), QStringLiteral("postgres"), QStringLiteral("-E"),
                 QStringLiteral("UTF8"), QStringLiteral("--locale=C"), QStringLiteral("--no-sync")},
                true);
        if (!initdb.waitForFinished(120000) || initdb.exitStatus() != QProcess::NormalExit ||
            initdb.exitCode() != 0)
            return fail(QStringLiteral("initdb failed: ") +
                        QString::fromLocal8Bit(initdb.readAll()));
        // A port taken between asking and binding makes the server exit: try another one.
        for (int attempt = 0; attempt < 5; ++attempt) {
            m_port = freePort();
            if (startServer(bin, data))
                return true;
        }
        return fail(QStringLiteral("PostgreSQL did not start: ") + log());
    }

    // Fast shutdown by PID, waited for.
    void stop()
    {
        if (m_server.state() == QProcess::NotRunning)
            return;
        ::kill(pid_t(m_server.processId()), SIGINT);
        if (!m_server.waitForFinished(30000)) {
            ::kill(pid_t(m_server.processId()), SIGQUIT);
            if (!m_server.waitForFinished(10000)) {
                m_server.kill();
                m_server.waitForFinished();
            }
        }
    }

    // Starts the stopped server again on the same data and port (the database going away and
    // coming back).
    bool restart()
    {
        m_error.clear();
        if (isRunning())
            return true;
        if (startServer(binDirectory(), m_dir.filePath(QStringLiteral("data"))))
            return true;
        return fail(QStringLiteral("PostgreSQL did not start again: ") + log());
    }

    bool isRunning() const { return m_server.state() == QProcess::Running; }
    qint64 pid() const { return m_server.processId(); }
    quint16 port() const { return m_port; }
    QString error() const { return m_error; }
    QString log() const
    {
        QFile file(m_dir.filePath(QStringLiteral("server.log")));
        return file.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(file.readAll()) : QString();
    }

    // The URL of a database of this server (user postgres, no password: trust).
    QString url(const QString &database) const
    {
        return QStringLiteral("postgresql://postgres@127.0.0.1:%1/%2").arg(m_port).arg(database);
    }

    // Runs SQL with psql on the database postgres; false (and the output in error()) on failure.
    bool psql(const QString &sql, QString *output = nullptr,
              const QString &database = QStringLiteral("postgres"))
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::SeparateChannels);
        process.start(binDirectory() + u"/psql",
                      {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"),
                       QStringLiteral("-t"), QStringLiteral("-v"),
                       QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"), url(database),
                       QStringLiteral("-c"), sql});
        if (!process.waitForFinished(60000) || process.exitCode() != 0) {
            m_error = QString::fromLocal8Bit(process.readAllStandardError());
            return false;
        }
        if (output)
            *output = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
        return true;
    }

    // A new empty database; its URL, or empty (and error()) when it could not be made.
    QString createDatabase()
    {
        static std::atomic<int> counter = 0;
        const QString name =
            QStringLiteral("qd_%1_%2").arg(QCoreApplication::applicationPid()).arg(++counter);
        if (!psql(QStringLiteral("CREATE DATABASE %1").arg(name)))
            return {};
        return url(name);
    }

private:
    bool fail(const QString &message)
    {
        m_error = message;
        qWarning("PostgreSQL harness: %s", qPrintable(message));
        return false;
    }

    void startAs(QProcess &process, const QString &program, const QStringList &arguments,
                 bool dieWithParent)
    {
        QStringList prefix;
        if (m_runAsPostgres)
            prefix << QStringLiteral("--reuid=postgres") << QStringLiteral("--regid=postgres")
                   << QStringLiteral("--init-groups");
        if (dieWithParent)
            prefix << QStringLiteral("--pdeathsig") << QStringLiteral("SIGQUIT");
        if (prefix.isEmpty()) {
            process.start(program, arguments);
            return;
        }
        process.start(QStringLiteral("setpriv"),
                      prefix + QStringList{QStringLiteral("--"), program} + arguments);
    }

    // A port the system has free on 127.0.0.1 now (asked for by binding to port 0).
    static quint16 freePort()
    {
        const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        quint16 port = 0;
        if (::bind(probe, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
            ::getsockname(probe, reinterpret_cast<sockaddr *>(&address), &length) == 0)
            port = ntohs(address.sin_port);
        ::close(probe);
        return port;
    }

    bool startServer(const QString &bin, const QString &data)
    {
        m_server.setStandardOutputFile(m_dir.filePath(QStringLiteral("server.log")),
                                       QIODevice::Append);
        m_server.setStandardErrorFile(m_dir.filePath(QStringLiteral("server.log")),
                                      QIODevice::Append);
        startAs(m_server, bin + u"/postgres",
                {QStringLiteral("-D"), data, QStringLiteral("-p"), QString::number(m_port),
                 QStringLiteral("-k"), m_dir.path(), QStringLiteral("-c"),
                 QStringLiteral("listen_addresses=127.0.0.1"), QStringLiteral("-c"),
                 QStringLiteral("fsync=off"), QStringLiteral("-c"),
                 QStringLiteral("max_connections=200")},
                true);
        if (!m_server.waitForStarted(10000))
            return false;
        // Ready when pg_isready says so; bounded, and given up at once if the server exited.
        const QDeadlineTimer deadline(60000);
        while (!deadline.hasExpired()) {
            if (m_server.state() != QProcess::Running)
                return false;
            QProcess ready;
            ready.start(bin + u"/pg_isready",
                        {QStringLiteral("-q"), QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                         QStringLiteral("-p"), QString::number(m_port), QStringLiteral("-t"),
                         QStringLiteral("2")});
            if (ready.waitForFinished(10000) && ready.exitCode() == 0)
                return true;
            m_server.waitForFinished(50); // returns at once if the server exits meanwhile
        }
        stop();
        return false;
    }

    QTemporaryDir m_dir{QDir::tempPath() + QStringLiteral("/queuedeck-pg-XXXXXX")};
    QProcess m_server;
    quint16 m_port = 0;
    bool m_runAsPostgres = false;
    QString m_error;
};

} // namespace QueueDeck::Testing
