// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck: the headless QueueDeck command. `qdeck serve` runs the queue server on a data directory.

#include "engine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTextStream>
#include <QTimer>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int s_signalPipe[2] = {-1, -1};

void handleSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(s_signalPipe[1], &byte, 1);
}

// SIGTERM and SIGINT end the event loop through a socket pair, so shutdown runs on the main thread.
void installShutdownSignals(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(s_signalPipe[0], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [&app] {
        char byte;
        [[maybe_unused]] const auto got = ::read(s_signalPipe[0], &byte, 1);
        app.quit();
    });
    struct sigaction action = {};
    action.sa_handler = handleSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

int serve(QCoreApplication &app, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Run the QueueDeck queue server."));
    parser.addHelpOption();
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QStringLiteral("Directory for the database and lock (default: %1)."),
        QStringLiteral("dir"));
    const QCommandLineOption durability(
        QStringLiteral("durability"),
        QStringLiteral("normal (survives the process dying, default) or full "
                       "(survives power loss)."),
        QStringLiteral("level"), QStringLiteral("normal"));
    parser.addOptions({dataDir, durability});
    parser.process(arguments);

    QueueDeck::EngineOptions options;
    options.dataDirectory = parser.isSet(dataDir)
                                ? parser.value(dataDir)
                                : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QString level = parser.value(durability);
    if (level != u"normal" && level != u"full") {
        QTextStream(stderr) << "qdeck: --durability must be normal or full (got " << level << ")\n";
        return 2;
    }
    options.durability =
        level == u"full" ? QueueDeck::Durability::Full : QueueDeck::Durability::Normal;

    QueueDeck::Engine engine(options);
    if (auto started = engine.start(); !started) {
        QTextStream(stderr) << "qdeck: " << started.error().message << '\n';
        return 1;
    }
    QTextStream(stdout) << "QueueDeck server running on "
                        << QDir(options.dataDirectory).absolutePath() << " (durability " << level
                        << "); press Ctrl+C to stop.\n";
    installShutdownSignals(app);
    const int code = app.exec();
    engine.stop();
    QTextStream(stdout) << "QueueDeck server stopped.\n";
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("queuedeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(QUEUEDECK_VERSION));
    const QStringList arguments = app.arguments();
    const QString command = arguments.value(1);
    if (command == u"serve") {
        QStringList rest = arguments;
        rest.removeAt(1);
        return serve(app, rest);
    }
    if (command == u"--version" || command == u"version") {
        QTextStream(stdout) << "qdeck " << QUEUEDECK_VERSION << '\n';
        return 0;
    }
    QTextStream(command.isEmpty() || command == u"--help" ? stdout : stderr)
        << "usage: qdeck serve [--data-dir DIR] [--durability normal|full]\n"
        << "       qdeck --version\n";
    return command.isEmpty() || command == u"--help" ? 0 : 2;
}
