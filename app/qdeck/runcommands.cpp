// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// `qdeck run show|cancel RUN_ID` for operators and scripts, and `qdeck run child` for handlers: it
// enqueues a child of the task the handler runs with the child token its worker agent put in
// QUEUEDECK_CHILD_TOKEN (docs/runs.md).

#include "commandsupport.h"
#include "protocol/runcodec.h"
#include "resourcecommands.h"
#include "runsclient.h"

#include <QJsonDocument>

#include <functional>

namespace QueueDeck::Cli {

namespace {

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

CommandResult<int> showOrCancel(const QString &verb, const QString &runId,
                                const QCommandLineParser &parser)
{
    if (runId.isEmpty())
        return usageError(QStringLiteral("give the run id (its root task's id)"));
    double waitS = 0;
    if (parser.isSet(QStringLiteral("wait"))) {
        bool ok = false;
        waitS = parser.value(QStringLiteral("wait")).toDouble(&ok);
        if (!ok || waitS < 0 || waitS > 60)
            return usageError(QStringLiteral("--wait takes 0 to 60 seconds (got \"%1\")")
                                  .arg(parser.value(QStringLiteral("wait"))));
    }
    const auto client = clientFor(parser);
    if (!client)
        return std::unexpected(client.error());
    Client::RunsClient runs(**client);
    if (verb == u"cancel") {
        const auto cancelled = answer(runs.cancel(runId));
        if (!cancelled)
            return std::unexpected(cancelled.error());
        out() << *cancelled << " unfinished tasks of run " << runId << " cancelled\n";
        return 0;
    }
    const auto run = answer(runs.run(runId, waitS));
    if (!run)
        return std::unexpected(run.error());
    if (parser.isSet(QStringLiteral("json")))
        printJson(Codec::toJson(*run));
    else
        printRun(*run);
    return 0;
}

CommandResult<int> enqueueChild(const QCommandLineParser &parser)
{
    ChildEnqueue child;
    child.parentId = qEnvironmentVariable("QUEUEDECK_TASK_ID");
    if (child.parentId.isEmpty())
        return usageError(QStringLiteral("QUEUEDECK_TASK_ID is not set: run this from a handler "
                                         "started by qdeck worker start"));
    child.task.type = parser.value(QStringLiteral("type"));
    if (child.task.type.isEmpty())
        return usageError(QStringLiteral("give the child's --type"));
    if (parser.isSet(QStringLiteral("payload"))) {
        child.task.payload = parser.value(QStringLiteral("payload")).toUtf8();
        QJsonParseError error;
        QJsonDocument::fromJson('[' + child.task.payload + ']', &error);
        if (error.error != QJsonParseError::NoError)
            return usageError(QStringLiteral("--payload is not JSON: %1").arg(error.errorString()));
    }
    const auto priority = integerOption(parser, QStringLiteral("priority"), 0);
    if (!priority)
        return std::unexpected(priority.error());
    child.task.priority = *priority;
    child.queueId = parser.value(QStringLiteral("queue-id"));
    const auto client = clientFor(parser, TokenSource::ChildTask);
    if (!client)
        return std::unexpected(client.error());
    const auto task = answer(Client::RunsClient(**client).enqueueChild(child));
    if (!task)
        return std::unexpected(task.error());
    out() << (parser.isSet(QStringLiteral("json")) ? QString::fromUtf8(Codec::taskText(*task))
                                                   : task->id)
          << '\n';
    return 0;
}

} // namespace

CommandResult<int> runCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("qdeck run show RUN_ID [--wait S]   a run's tree with states and durations\n"
                       "qdeck run cancel RUN_ID            cancel every unfinished task of it\n"
                       "qdeck run child --type T [--payload JSON] [--queue-id Q]\n"
                       "    from a handler: enqueue a child of the task it runs (uses "
                       "QUEUEDECK_SERVER, QUEUEDECK_TASK_ID and QUEUEDECK_CHILD_TOKEN)"));
    addCommonOptions(parser);
    parser.addPositionalArgument(QStringLiteral("verb"), QStringLiteral("show, cancel or child"));
    parser.addOptions({
        {QStringLiteral("wait"),
         QStringLiteral("show: wait up to this many seconds (≤ 60) for the run to finish"),
         QStringLiteral("seconds")},
        {QStringLiteral("type"), QStringLiteral("child: the task type"), QStringLiteral("type")},
        {QStringLiteral("payload"), QStringLiteral("child: the payload, JSON (default {})"),
         QStringLiteral("json")},
        {QStringLiteral("queue-id"),
         QStringLiteral("child: the queue (default: the parent's; else one in its child_queues)"),
         QStringLiteral("id")},
        {QStringLiteral("priority"), QStringLiteral("child: the priority, -100…100"),
         QStringLiteral("n")},
    });
    QStringList rest = arguments;
    rest.removeAt(1); // "run"
    const auto positional = parse(parser, rest, 0);
    if (!positional)
        return std::unexpected(positional.error());
    const QString verb = positional->value(0);
    if (verb == u"show" || verb == u"cancel")
        return showOrCancel(verb, positional->value(1), parser);
    if (verb == u"child")
        return enqueueChild(parser);
    return usageError(
        QStringLiteral("say show, cancel or child (got \"%1\"); see --help").arg(verb));
}

} // namespace QueueDeck::Cli
