// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "commandsupport.h"

#include "httpclientconnection.h"
#include "serverlist.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSettings>
#include <QStandardPaths>

#include <cstdio>
#include <unistd.h>

namespace QueueDeck::Cli {

namespace {

// Where the server is and which token to use: flags, then QUEUEDECK_SERVER / QUEUEDECK_TOKEN,
// then the config file, then the local server's admin token.
struct Connection
{
    Client::ServerList servers;
    QString token;
    QString serverFingerprint;
    QString caFile;
};

CommandResult<Connection> connectionFrom(const QCommandLineParser &parser, TokenSource source)
{
    const QString configPath =
        parser.isSet(QStringLiteral("config"))
            ? parser.value(QStringLiteral("config"))
            : QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
                  .filePath(QStringLiteral("queuedeck/qdeck.conf"));
    QSettings config(configPath, QSettings::IniFormat);
    Connection c;
    // Several URLs (the nodes of a cluster): --server repeated or comma-separated.
    QStringList server = parser.values(QStringLiteral("server"));
    if (server.isEmpty() && qEnvironmentVariableIsSet("QUEUEDECK_SERVER"))
        server.append(qEnvironmentVariable("QUEUEDECK_SERVER"));
    if (server.isEmpty())
        server = config.value(QStringLiteral("server")).toStringList(); // commas make a list
    if (server.isEmpty())
        server.append(QStringLiteral("http://127.0.0.1:7070"));
    auto servers = Client::ServerList::parse(server);
    if (!servers)
        return usageError(servers.error().message);
    c.servers = *servers;

    // Trust of an https server: flag, environment, config file (server-fingerprint=, ca-file=).
    const auto setting = [&](const char *name, const char *variable) {
        const QString option = QString::fromLatin1(name);
        if (parser.isSet(option))
            return parser.value(option);
        if (qEnvironmentVariableIsSet(variable))
            return qEnvironmentVariable(variable);
        return config.value(option).toString();
    };
    c.serverFingerprint = setting("server-fingerprint", "QUEUEDECK_SERVER_FINGERPRINT");
    c.caFile = setting("ca-file", "QUEUEDECK_CA_FILE");
    if (const QString problem = Client::checkTlsTrust(c.serverFingerprint, c.caFile);
        !problem.isEmpty())
        return usageError(problem);

    if (source == TokenSource::ChildTask) {
        c.token = qEnvironmentVariable("QUEUEDECK_CHILD_TOKEN");
        if (c.token.isEmpty())
            return usageError(QStringLiteral("QUEUEDECK_CHILD_TOKEN is not set: run this from a "
                                             "handler started by qdeck worker start"));
        return c;
    }
    QString tokenFile = parser.value(QStringLiteral("token-file"));
    if (tokenFile.isEmpty())
        c.token = qEnvironmentVariable("QUEUEDECK_TOKEN");
    if (c.token.isEmpty() && tokenFile.isEmpty())
        c.token = config.value(QStringLiteral("token")).toString();
    if (c.token.isEmpty() && tokenFile.isEmpty())
        tokenFile = QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
                        .filePath(QStringLiteral("queuedeck/admin-token"));
    if (c.token.isEmpty()) {
        QFile file(tokenFile);
        if (file.open(QIODevice::ReadOnly))
            c.token = QString::fromUtf8(file.readAll()).trimmed();
        else if (parser.isSet(QStringLiteral("token-file")))
            return usageError(QStringLiteral("cannot read the token file %1: %2")
                                  .arg(tokenFile, file.errorString()));
    }
    if (c.token.isEmpty())
        return usageError(
            QStringLiteral("no token: set QUEUEDECK_TOKEN, pass --token-file, or put token= in %1")
                .arg(configPath));
    return c;
}

} // namespace

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

QString ago(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("—");
    const qint64 s = (QDateTime::currentMSecsSinceEpoch() - ms) / 1000;
    if (s < 120)
        return QStringLiteral("%1 s ago").arg(qMax<qint64>(0, s));
    if (s < 7200)
        return QStringLiteral("%1 min ago").arg(s / 60);
    if (s < 172800)
        return QStringLiteral("%1 h ago").arg(s / 3600);
    return QStringLiteral("%1 d ago").arg(s / 86400);
}

QString time(qint64 ms)
{
    return ms > 0
               ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
               : QStringLiteral("—");
}

void printJson(const QJsonValue &value)
{
    const QJsonDocument document =
        value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    out() << document.toJson(QJsonDocument::Indented);
}

// Options every command takes.
void addCommonOptions(QCommandLineParser &parser)
{
    parser.addHelpOption();
    parser.addOption({QStringLiteral("server"),
                      QStringLiteral("the QueueDeck server (default: QUEUEDECK_SERVER, the "
                                     "config file, http://127.0.0.1:7070); the nodes of a cluster "
                                     "repeated or comma-separated: the first that answers is used"),
                      QStringLiteral("url")});
    parser.addOption({QStringLiteral("token-file"),
                      QStringLiteral("read the token from this file (default: QUEUEDECK_TOKEN, "
                                     "the config file, the local server's admin token)"),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("server-fingerprint"),
                      QStringLiteral("trust exactly the https server certificate with this "
                                     "SHA-256 fingerprint (default: QUEUEDECK_SERVER_FINGERPRINT, "
                                     "the config file)"),
                      QStringLiteral("sha256:…")});
    parser.addOption({QStringLiteral("ca-file"),
                      QStringLiteral("trust the CA certificates in this PEM file (default: "
                                     "QUEUEDECK_CA_FILE, the config file)"),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("config"),
                      QStringLiteral("an INI file with server=, token= and optionally "
                                     "server-fingerprint= or ca-file= (default: "
                                     "~/.config/queuedeck/qdeck.conf)"),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("print JSON for scripts")});
}

CommandResult<QStringList> parse(QCommandLineParser &parser, const QStringList &arguments,
                                 int positionals)
{
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        return std::unexpected(CommandError::helpPrinted());
    }
    const QStringList positional = parser.positionalArguments();
    if (positionals >= 0 && positional.size() < positionals)
        return usageError(QStringLiteral("missing arguments; see --help"));
    return positional;
}

namespace {

// The first of several servers that answers at all (whatever it answers: a refusal or a 503 is
// the command's to report); the first one when none does.
QUrl firstAnswering(const Connection &c)
{
    if (c.servers.size() < 2)
        return c.servers.current();
    for (const QUrl &url : c.servers.urls()) {
        bool answered = false;
        Client::ClientOptions options{url, {}};
        options.serverFingerprint = c.serverFingerprint;
        options.caFile = c.caFile;
        options.blocking = true;
        options.retries = 0;
        options.timeoutMs = 5000;
        options.onAnswer = [&answered](const QByteArray &, const QString &, int, const QByteArray &,
                                       const QByteArray &) { answered = true; };
        Client::QueueDeckClient probe(options);
        probe.call("GET", QStringLiteral("/api/v1/health")).waitForFinished();
        if (answered)
            return url;
        err() << "qdeck: " << url.toString() << " does not answer; trying the next server\n"
              << Qt::flush;
    }
    return c.servers.current();
}

} // namespace

CommandResult<std::unique_ptr<Client::QueueDeckClient>> clientFor(const QCommandLineParser &parser,
                                                                  TokenSource source)
{
    const auto connection = connectionFrom(parser, source);
    if (!connection)
        return std::unexpected(connection.error());
    const Connection &c = *connection;
    Client::ClientOptions options{firstAnswering(c), c.token};
    options.serverFingerprint = c.serverFingerprint;
    options.caFile = c.caFile;
    options.blocking = true; // one awaited call after another
    return std::make_unique<Client::QueueDeckClient>(options);
}

CommandResult<int> integerOption(const QCommandLineParser &parser, const QString &name,
                                 int fallback)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok)
        return usageError(QStringLiteral("--%1 must be a whole number (got \"%2\")")
                              .arg(name, parser.value(name)));
    return value;
}

CommandResult<bool> confirm(const QString &question, const QCommandLineParser &parser)
{
    if (parser.isSet(QStringLiteral("yes")))
        return true;
    if (!::isatty(STDIN_FILENO))
        return usageError(question + QStringLiteral(" Pass --yes to do it without asking."));
    err() << question << " [y/N] " << Qt::flush;
    QTextStream in(stdin);
    return in.readLine().trimmed().toLower().startsWith(u'y');
}

} // namespace QueueDeck::Cli
