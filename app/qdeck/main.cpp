// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck: the headless QueueDeck command.

#include "admincommands.h"
#include "protocol/headlesseventloop.h"
#include "servecommand.h"
#include "workercommand.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QueueDeck::useHeadlessEventLoop();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("queuedeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QUEUEDECK_VERSION));
    const QStringList arguments = app.arguments();
    const QString command = arguments.value(1);
    if (command == u"serve") {
        QStringList rest = arguments;
        rest.removeAt(1);
        return QueueDeck::Cli::serve(app, rest);
    }
    if (QueueDeck::Cli::isAdminCommand(arguments))
        return QueueDeck::Cli::admin(arguments);
    if (command == u"worker") {
        QStringList rest = arguments;
        rest.removeAt(1);
        return QueueDeck::Cli::worker(app, rest);
    }
    if (command == u"--version" || command == u"version") {
        QTextStream(stdout) << "qdeck " << QUEUEDECK_VERSION << '\n';
        return 0;
    }
    const bool help = command.isEmpty() || command == u"--help" || command == u"help";
    QTextStream(help ? stdout : stderr)
        << (help ? QString() : QStringLiteral("qdeck: unknown command \"%1\"\n").arg(command))
        << "usage: qdeck serve [--listen HOST:PORT] [--public-url URL] [--data-dir DIR] "
           "[--durability normal|full]\n"
        << "                   [--tls-cert FILE --tls-key FILE | --insecure-http] [--config FILE]\n"
        << "                   [--log-format plain|json] [--reset-admin-token] [--restore BACKUP]\n"
        << "       QUEUEDECK_TOKEN=… qdeck worker start --queue-id ID --server URL "
           "[--concurrency N]\n"
        << "                   [--server-fingerprint sha256:… | --ca-file PEM] -- COMMAND\n"
        << "       qdeck enqueue --queue ID --type T [--payload JSON | --payload-file F | --lines] "
           "[--wait]\n"
        << "       qdeck queue list|create|show|update|pause|resume|purge|rotate-token\n"
        << "       qdeck worker list|drain|remove    qdeck task show|list|logs|cancel|retry\n"
        << "       qdeck dead list|retry|delete      qdeck token create|list|revoke\n"
        << "       qdeck schedule create|list|show|update|pause|resume|trigger|backfill|fires|"
           "preview|delete\n"
        << "       qdeck run show|cancel RUN_ID    qdeck run child --type T (from a handler)\n"
        << "       qdeck admin backup FILE (a consistent copy of a running server's database)\n"
        << "       qdeck --version\n"
        << "Run 'qdeck COMMAND --help' for details, e.g. 'qdeck queue --help'. Server and token: "
           "--server/--token-file,\nQUEUEDECK_SERVER/QUEUEDECK_TOKEN, "
           "~/.config/queuedeck/qdeck.conf, "
           "or the local server's admin token.\n";
    return help ? 0 : 2;
}
