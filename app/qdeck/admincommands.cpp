// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "admincommands.h"

#include "backupcommand.h"
#include "commandsupport.h"
#include "resourcecommands.h"

#include <QFile>

namespace QueueDeck::Cli {

// --- server administration --------------------------------------------------------------------

CommandResult<int> serverAdminCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("qdeck admin backup FILE: a consistent copy of the server's database, made "
                       "online by the server (into its data directory, then downloaded into FILE "
                       "and removed there). Start a server from it with qdeck serve --restore "
                       "FILE."));
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("keep-on-server"),
                      QStringLiteral("leave the server's copy in <data-dir>/backups")});
    parser.addOption({QStringLiteral("force"), QStringLiteral("overwrite FILE if it exists")});
    QStringList rest = arguments;
    rest.removeAt(1);
    const auto positional = parse(parser, rest, 1);
    if (!positional)
        return std::unexpected(positional.error());
    if (verb != u"backup")
        return usageError(QStringLiteral("qdeck admin backup FILE (got \"%1\")").arg(verb));
    const QString file = positional->value(1);
    if (file.isEmpty())
        return usageError(QStringLiteral("give the file to write the backup into"));
    if (QFile::exists(file) && !parser.isSet(QStringLiteral("force")))
        return usageError(
            QStringLiteral("%1 exists; choose another file or pass --force").arg(file));
    const auto client = clientFor(parser);
    if (!client)
        return std::unexpected(client.error());
    BackupCommand backup(**client, file, parser.isSet(QStringLiteral("keep-on-server")));
    const Result<QString> done = backup.run();
    if (!done)
        return std::unexpected(CommandError::refused(done.error()));
    out() << *done << '\n';
    return 0;
}

bool isAdminCommand(const QStringList &arguments)
{
    static const QStringList commands{QStringLiteral("enqueue"),  QStringLiteral("queue"),
                                      QStringLiteral("task"),     QStringLiteral("dead"),
                                      QStringLiteral("token"),    QStringLiteral("admin"),
                                      QStringLiteral("schedule"), QStringLiteral("run")};
    const QString command = arguments.value(1);
    if (command == u"worker")
        return arguments.value(2) == u"list" || arguments.value(2) == u"drain" ||
               arguments.value(2) == u"remove";
    return commands.contains(command);
}

namespace {

CommandResult<int> run(const QString &command, const QStringList &arguments)
{
    if (command == u"enqueue")
        return enqueueCommand(arguments);
    if (command == u"queue")
        return queueCommand(arguments);
    if (command == u"worker")
        return workersCommand(arguments);
    if (command == u"task")
        return taskCommand(arguments, false);
    if (command == u"dead")
        return taskCommand(arguments, true);
    if (command == u"token")
        return tokenCommand(arguments);
    if (command == u"admin")
        return serverAdminCommand(arguments);
    if (command == u"schedule")
        return scheduleCommand(arguments);
    if (command == u"run")
        return runCommand(arguments);
    return usageError(QStringLiteral("unknown command \"%1\"").arg(command));
}

} // namespace

int admin(const QStringList &arguments)
{
    const QString command = arguments.value(1);
    const CommandResult<int> exitCode = run(command, arguments);
    if (exitCode)
        return *exitCode;
    const CommandError &stopped = exitCode.error();
    switch (stopped.kind) {
    case CommandError::Kind::HelpPrinted:
        return 0;
    case CommandError::Kind::Usage:
        err() << "qdeck " << command << ": " << stopped.error.message << '\n';
        return ExitUsage;
    case CommandError::Kind::Refused:
        break;
    }
    err() << "qdeck " << command << ": " << errorCodeName(stopped.error.code) << ": "
          << stopped.error.message << '\n';
    return stopped.error.code == ErrorCode::Unavailable ? ExitUnreachable : ExitFailed;
}

} // namespace QueueDeck::Cli
