// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "runcommand.h"

#include "httpclientconnection.h"
#include "protocol/codec.h"
#include "protocol/runcodec.h"
#include "queuedeckclient.h"
#include "runsclient.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTextStream>

namespace QueueDeck::Cli {

namespace {

constexpr int ExitFailed = 1;
constexpr int ExitUsage = 64;
constexpr int ExitUnreachable = 69;

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

QString durationText(const std::optional<qint64> &ms)
{
    if (!ms)
        return QStringLiteral("-");
    if (*ms < 1000)
        return QStringLiteral("%1 ms").arg(*ms);
    if (*ms < 60'000)
        return QStringLiteral("%1 s").arg(double(*ms) / 1000.0, 0, 'f', 1);
    return QStringLiteral("%1 min %2 s").arg(*ms / 60'000).arg((*ms % 60'000) / 1000);
}

// The tree, root first, children indented under their parent.
void printRun(const RunInfo &run)
{
    out() << "run " << run.id << "  " << runStateName(run.state) << "  " << run.succeeded
          << " succeeded, " << run.failed << " failed, " << run.unfinished << " unfinished of "
          << run.total << "  " << durationText(run.durationMs) << '\n';
    QHash<QString, QList<const RunTask *>> children;
    for (const RunTask &task : run.tasks)
        children[task.parentId].append(&task);
    std::function<void(const RunTask &, int)> print = [&](const RunTask &task, int depth) {
        out() << QString(2 + depth * 2, u' ') << task.id << "  " << task.type << "  "
              << taskStateName(task.state) << "  " << durationText(task.durationMs);
        if (!task.lastError.isEmpty())
            out() << "  " << task.lastError.left(60);
        out() << '\n';
        for (const RunTask *child : children.value(task.id))
            print(*child, depth + 1);
    };
    if (!run.tasks.isEmpty())
        print(run.tasks.front(), 0);
    if (run.truncated)
        out() << "  … more tasks than one answer lists\n";
}

struct Usage
{
    QString message;
};

std::unique_ptr<Client::QueueDeckClient> clientFor(const QCommandLineParser &parser,
                                                   bool childToken)
{
    QString server = parser.value(QStringLiteral("server"));
    if (server.isEmpty())
        server = qEnvironmentVariable("QUEUEDECK_SERVER", QStringLiteral("http://127.0.0.1:7070"));
    Client::ClientOptions options{QUrl(server), {}};
    if (!options.server.isValid() ||
        (options.server.scheme() != u"http" && options.server.scheme() != u"https"))
        throw Usage{QStringLiteral("the server must be an http:// or https:// URL (got \"%1\")")
                        .arg(server)};
    options.serverFingerprint = parser.isSet(QStringLiteral("server-fingerprint"))
                                    ? parser.value(QStringLiteral("server-fingerprint"))
                                    : qEnvironmentVariable("QUEUEDECK_SERVER_FINGERPRINT");
    options.caFile = qEnvironmentVariable("QUEUEDECK_CA_FILE");
    if (const QString problem = Client::checkTlsTrust(options.serverFingerprint, options.caFile);
        !problem.isEmpty())
        throw Usage{problem};
    if (childToken) {
        options.token = qEnvironmentVariable("QUEUEDECK_CHILD_TOKEN");
        if (options.token.isEmpty())
            throw Usage{QStringLiteral("QUEUEDECK_CHILD_TOKEN is not set: run this from a "
                                       "handler started by qdeck worker start")};
    } else {
        QString tokenFile = parser.value(QStringLiteral("token-file"));
        if (tokenFile.isEmpty())
            options.token = qEnvironmentVariable("QUEUEDECK_TOKEN");
        if (options.token.isEmpty() && tokenFile.isEmpty())
            tokenFile = QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
                            .filePath(QStringLiteral("queuedeck/admin-token"));
        if (options.token.isEmpty()) {
            QFile file(tokenFile);
            if (file.open(QIODevice::ReadOnly))
                options.token = QString::fromUtf8(file.readAll()).trimmed();
        }
        if (options.token.isEmpty())
            throw Usage{QStringLiteral("no token: set QUEUEDECK_TOKEN or pass --token-file")};
    }
    options.blocking = true;
    return std::make_unique<Client::QueueDeckClient>(options);
}

template <typename T> Result<T> awaited(QFuture<Result<T>> future)
{
    future.waitForFinished();
    return future.result();
}

int report(const Error &error)
{
    err() << "qdeck run: " << errorCodeName(error.code) << ": " << error.message << '\n';
    return error.code == ErrorCode::Unavailable ? ExitUnreachable : ExitFailed;
}

} // namespace

int runCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("qdeck run show RUN_ID [--wait S]   a run's tree with states and durations\n"
                       "qdeck run cancel RUN_ID            cancel every unfinished task of it\n"
                       "qdeck run child --type T [--payload JSON] [--queue-id Q]\n"
                       "    from a handler: enqueue a child of the task it runs (uses "
                       "QUEUEDECK_SERVER, QUEUEDECK_TASK_ID and QUEUEDECK_CHILD_TOKEN)"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("verb"), QStringLiteral("show, cancel or child"));
    parser.addOptions({
        {QStringLiteral("server"), QStringLiteral("the server (default: QUEUEDECK_SERVER)"),
         QStringLiteral("url")},
        {QStringLiteral("token-file"),
         QStringLiteral("read the token from this file (default: QUEUEDECK_TOKEN, the local "
                        "server's admin token)"),
         QStringLiteral("file")},
        {QStringLiteral("server-fingerprint"),
         QStringLiteral("pin the https server's certificate (default: "
                        "QUEUEDECK_SERVER_FINGERPRINT)"),
         QStringLiteral("sha256:…")},
        {QStringLiteral("wait"),
         QStringLiteral("show: wait up to this many seconds (≤ 60) for "
                        "the run to finish"),
         QStringLiteral("seconds")},
        {QStringLiteral("type"), QStringLiteral("child: the task type"), QStringLiteral("type")},
        {QStringLiteral("payload"), QStringLiteral("child: the payload, JSON (default {})"),
         QStringLiteral("json")},
        {QStringLiteral("queue-id"),
         QStringLiteral("child: the queue (default: the parent's; else one in its child_queues)"),
         QStringLiteral("id")},
        {QStringLiteral("priority"), QStringLiteral("child: the priority, -100…100"),
         QStringLiteral("n")},
        {QStringLiteral("json"), QStringLiteral("print JSON for scripts")},
    });
    QStringList rest = arguments;
    rest.removeAt(1); // "run"
    if (!parser.parse(rest)) {
        err() << "qdeck run: " << parser.errorText() << '\n';
        return ExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    const QString verb = positional.value(0);
    const bool json = parser.isSet(QStringLiteral("json"));
    try {
        if (verb == u"show" || verb == u"cancel") {
            const QString runId = positional.value(1);
            if (runId.isEmpty())
                throw Usage{QStringLiteral("give the run id (its root task's id)")};
            auto client = clientFor(parser, false);
            Client::RunsClient runs(*client);
            if (verb == u"cancel") {
                auto cancelled = awaited(runs.cancel(runId));
                if (!cancelled)
                    return report(cancelled.error());
                out() << *cancelled << " unfinished tasks of run " << runId << " cancelled\n";
                return 0;
            }
            bool ok = true;
            const double waitS = parser.isSet(QStringLiteral("wait"))
                                     ? parser.value(QStringLiteral("wait")).toDouble(&ok)
                                     : 0;
            if (!ok || waitS < 0 || waitS > 60)
                throw Usage{QStringLiteral("--wait takes 0 to 60 seconds")};
            auto run = awaited(runs.run(runId, waitS));
            if (!run)
                return report(run.error());
            if (json)
                out() << QJsonDocument(Codec::toJson(*run)).toJson(QJsonDocument::Indented);
            else
                printRun(*run);
            return 0;
        }
        if (verb == u"child") {
            ChildEnqueue child;
            child.parentId = qEnvironmentVariable("QUEUEDECK_TASK_ID");
            if (child.parentId.isEmpty())
                throw Usage{QStringLiteral("QUEUEDECK_TASK_ID is not set: run this from a handler "
                                           "started by qdeck worker start")};
            child.task.type = parser.value(QStringLiteral("type"));
            if (child.task.type.isEmpty())
                throw Usage{QStringLiteral("give the child's --type")};
            if (parser.isSet(QStringLiteral("payload"))) {
                child.task.payload = parser.value(QStringLiteral("payload")).toUtf8();
                QJsonParseError error;
                QJsonDocument::fromJson('[' + child.task.payload + ']', &error);
                if (error.error != QJsonParseError::NoError)
                    throw Usage{
                        QStringLiteral("--payload is not JSON: %1").arg(error.errorString())};
            }
            child.task.priority = parser.value(QStringLiteral("priority")).toInt();
            child.queueId = parser.value(QStringLiteral("queue-id"));
            auto client = clientFor(parser, true);
            Client::RunsClient runs(*client);
            auto task = awaited(runs.enqueueChild(child));
            if (!task)
                return report(task.error());
            out() << (json ? QString::fromUtf8(Codec::taskText(*task)) : task->id) << '\n';
            return 0;
        }
        throw Usage{QStringLiteral("say show, cancel or child (got \"%1\"); see --help").arg(verb)};
    } catch (const Usage &usage) {
        err() << "qdeck run: " << usage.message << '\n';
        return ExitUsage;
    }
}

} // namespace QueueDeck::Cli
