// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "workercommand.h"

#include "shutdownsignals.h"
#include "tokenfile.h"
#include "workeragent.h"

#include "httpclientconnection.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTextStream>

namespace QueueDeck::Cli {

namespace {

int usageError(const QString &message)
{
    QTextStream(stderr) << "qdeck worker: " << message << '\n';
    return ExitUsage;
}

} // namespace

int worker(QCoreApplication &app, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs tasks of QueueDeck queues: one handler process per task, the task's "
                       "payload on its stdin.\nThe join token comes from QUEUEDECK_TOKEN or "
                       "--token-file, never from the command line.\n\nExit codes: 0 drained and "
                       "stopped, 64 usage or queue error, 75 no free worker slot, 77 token "
                       "refused."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("start"), QStringLiteral("start a worker"));
    parser.addPositionalArgument(
        QStringLiteral("-- command"),
        QStringLiteral("the handler, run once per task (exit 0: done, last stdout line as JSON "
                       "result; 65: failed for good; other: failed, retried)"));
    const QCommandLineOption queue(QStringLiteral("queue-id"),
                                   QStringLiteral("a queue to run tasks of (repeatable)"),
                                   QStringLiteral("id"));
    const QCommandLineOption server(
        QStringLiteral("server"),
        QStringLiteral("the QueueDeck server, e.g. https://q.example; the nodes of a cluster "
                       "repeated or separated by commas, tried in turn when one fails (default: "
                       "QUEUEDECK_SERVER, server= in the config file)"),
        QStringLiteral("url"));
    const QCommandLineOption configFile(
        QStringLiteral("config"),
        QStringLiteral("an INI file with server= (one URL or several, comma-separated) "
                       "(default: ~/.config/queuedeck/qdeck.conf)"),
        QStringLiteral("file"));
    const QCommandLineOption tokenFile(QStringLiteral("token-file"),
                                       QStringLiteral("read join tokens from this file (mode "
                                                      "0600): QUEUE_ID TOKEN per line, for a "
                                                      "worker on several queues"),
                                       QStringLiteral("file"));
    const QCommandLineOption concurrency(QStringLiteral("concurrency"),
                                         QStringLiteral("tasks run at once (default 1)"),
                                         QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption label(QStringLiteral("label"),
                                   QStringLiteral("a label tasks can require (repeatable)"),
                                   QStringLiteral("key=value"));
    const QCommandLineOption name(QStringLiteral("name"),
                                  QStringLiteral("the worker id (default: host-pid-random); a "
                                                 "worker started again with it takes its slot"),
                                  QStringLiteral("name"));
    const QCommandLineOption mode(
        QStringLiteral("handler-mode"),
        QStringLiteral("exec: a process per task (default); stream: one process, "
                       "JSON lines in and out, many tasks at once"),
        QStringLiteral("mode"), QStringLiteral("exec"));
    const QCommandLineOption fingerprint(
        QStringLiteral("server-fingerprint"),
        QStringLiteral("trust exactly the server certificate with this SHA-256 fingerprint "
                       "(default: QUEUEDECK_SERVER_FINGERPRINT; the connect command carries it)"),
        QStringLiteral("sha256:…"));
    const QCommandLineOption caFile(
        QStringLiteral("ca-file"),
        QStringLiteral("trust the CA certificates in this PEM file besides the system's (default: "
                       "QUEUEDECK_CA_FILE)"),
        QStringLiteral("file"));
    parser.addOptions({queue, server, configFile, tokenFile, concurrency, label, name, mode,
                       fingerprint, caFile});
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.value(0) != u"start")
        return usageError(QStringLiteral("say what to do: qdeck worker start --queue-id ID "
                                         "--server URL -- COMMAND"));

    WorkerConfig config;
    config.command = positional.mid(1);
    if (config.command.isEmpty())
        return usageError(QStringLiteral("give the handler after --, e.g. -- ./handle-task"));
    config.queueIds = parser.values(queue);
    if (config.queueIds.isEmpty())
        return usageError(QStringLiteral("--queue-id is required"));
    QStringList serverValues = parser.values(server);
    if (serverValues.isEmpty() && qEnvironmentVariableIsSet("QUEUEDECK_SERVER"))
        serverValues.append(qEnvironmentVariable("QUEUEDECK_SERVER"));
    if (serverValues.isEmpty()) {
        const QString path =
            parser.isSet(configFile)
                ? parser.value(configFile)
                : QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
                      .filePath(QStringLiteral("queuedeck/qdeck.conf"));
        if (parser.isSet(configFile) && !QFileInfo(path).isReadable())
            return usageError(QStringLiteral("cannot read the config file %1").arg(path));
        // An INI value with commas reads as a list.
        serverValues =
            QSettings(path, QSettings::IniFormat).value(QStringLiteral("server")).toStringList();
    }
    auto servers = Client::ServerList::parse(serverValues);
    if (!servers)
        return usageError(servers.error().message);
    config.servers = *servers;
    bool ok = false;
    config.concurrency = parser.value(concurrency).toInt(&ok);
    if (!ok || config.concurrency < 1 || config.concurrency > 1000)
        return usageError(QStringLiteral("--concurrency must be a whole number from 1 to 1000"));
    for (const QString &pair : parser.values(label)) {
        const qsizetype equals = pair.indexOf(u'=');
        if (equals <= 0)
            return usageError(QStringLiteral("--label takes key=value (got \"%1\")").arg(pair));
        config.labels.insert(pair.left(equals), pair.mid(equals + 1));
    }
    config.name = parser.value(name);
    if (parser.value(mode) != u"exec" && parser.value(mode) != u"stream")
        return usageError(QStringLiteral("--handler-mode must be exec or stream (got %1)")
                              .arg(parser.value(mode)));
    config.streamMode = parser.value(mode) == u"stream";

    config.joinToken = qEnvironmentVariable("QUEUEDECK_TOKEN");
    if (parser.isSet(tokenFile)) {
        auto tokens = TokenFile::read(parser.value(tokenFile));
        if (!tokens)
            return usageError(tokens.error().message);
        if (!tokens->defaultToken.isEmpty())
            config.joinToken = tokens->defaultToken;
        for (const QString &queueId : std::as_const(config.queueIds)) {
            const QString token = tokens->byQueue.value(queueId);
            if (!token.isEmpty())
                config.joinTokens.insert(queueId, token);
            else if (config.joinToken.isEmpty())
                return usageError(QStringLiteral("no join token for queue %1: add a line \"%1 "
                                                 "TOKEN\" to %2")
                                      .arg(queueId, parser.value(tokenFile)));
        }
        // The Authorization header carries the first queue's token when there is no other.
        if (config.joinToken.isEmpty())
            config.joinToken = config.joinTokens.value(config.queueIds.first());
    }
    if (config.joinToken.isEmpty())
        return usageError(QStringLiteral("no token: set QUEUEDECK_TOKEN (the queue's connect "
                                         "command does) or pass --token-file"));

    config.serverFingerprint = parser.isSet(fingerprint)
                                   ? parser.value(fingerprint)
                                   : qEnvironmentVariable("QUEUEDECK_SERVER_FINGERPRINT");
    config.caFile =
        parser.isSet(caFile) ? parser.value(caFile) : qEnvironmentVariable("QUEUEDECK_CA_FILE");
    if (const QString problem = Client::checkTlsTrust(config.serverFingerprint, config.caFile);
        !problem.isEmpty())
        return usageError(problem);
    for (const QUrl &url : config.servers.urls()) {
        if ((!config.serverFingerprint.isEmpty() || !config.caFile.isEmpty()) &&
            url.scheme() != u"https")
            return usageError(QStringLiteral("a server fingerprint or CA file needs an https:// "
                                             "server (got %1)")
                                  .arg(url.toString()));
    }

    WorkerAgent agent(config);
    int exitCode = 0;
    QObject::connect(&agent, &WorkerAgent::finished, &app, [&app, &exitCode](int code) {
        exitCode = code;
        app.quit();
    });
    onShutdownSignal(&agent, [&agent] { agent.drain(); });
    agent.start();
    app.exec();
    return exitCode;
}

} // namespace QueueDeck::Cli
