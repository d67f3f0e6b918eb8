// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck queue list|create|show|update|pause|resume|purge|rotate-token
#include "commandsupport.h"
#include "resourcecommands.h"
#include "texttable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>

namespace QueueDeck::Cli {

namespace {

QString workersText(const QueueInfo &q)
{
    return q.settings.maxWorkers > 0
               ? QStringLiteral("%1 / %2").arg(q.counts.workersOnline).arg(q.settings.maxWorkers)
               : QString::number(q.counts.workersOnline);
}

void printQueue(const QueueInfo &q, const QString &command)
{
    out() << q.name << " (" << q.id << ") in " << q.environment << " — "
          << queueStatusName(q.status) << '\n';
    if (!q.settings.description.isEmpty())
        out() << "  " << q.settings.description << '\n';
    out() << "  workers " << workersText(q) << ", queued " << q.counts.queued << ", scheduled "
          << q.counts.scheduled << ", running " << q.counts.running << ", succeeded "
          << q.counts.succeeded << ", dead " << q.counts.dead << '\n';
    out() << "  concurrency "
          << (q.settings.concurrency ? QString::number(q.settings.concurrency)
                                     : QStringLiteral("unlimited"))
          << ", priority " << q.settings.priority << ", task timeout " << q.settings.taskTimeoutS
          << " s, max attempts " << q.settings.retry.maxAttempts << '\n';
    if (q.settings.maxActiveRuns > 0 || !q.settings.childQueues.isEmpty())
        out() << "  runs " << q.counts.activeRuns + q.counts.waitingRuns << " / "
              << (q.settings.maxActiveRuns ? QString::number(q.settings.maxActiveRuns)
                                           : QStringLiteral("unlimited"))
              << ", child queues "
              << (q.settings.childQueues.isEmpty() ? QStringLiteral("none")
                                                   : q.settings.childQueues.join(u", "))
              << '\n';
    if (!command.isEmpty())
        out() << "\nconnect a worker:\n  " << command << '\n';
}

// Prints the queue with the command that connects a worker to it.
CommandResult<int> printWithCommand(Client::QueueDeckClient &client, const QueueInfo &queue)
{
    const auto command = answer(client.workerCommand(queue.id));
    if (!command)
        return std::unexpected(command.error());
    printQueue(queue, command->value(QStringLiteral("command")).toString());
    return 0;
}

CommandResult<int> listQueues(const QCommandLineParser &parser, Client::QueueDeckClient &client,
                              bool json)
{
    const QString environment = parser.isSet(QStringLiteral("environment"))
                                    ? parser.value(QStringLiteral("environment"))
                                    : QString();
    const auto queues = answer(client.listQueues(environment));
    if (!queues)
        return std::unexpected(queues.error());
    if (json)
        return printJson(jsonArray(*queues)), 0;
    TextTable table({QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("ENV"),
                     QStringLiteral("STATUS"), QStringLiteral("WORKERS"), QStringLiteral("QUEUED"),
                     QStringLiteral("RUNNING"), QStringLiteral("DEAD")});
    for (const QueueInfo &q : *queues)
        table.add({q.id, q.name, q.environment, queueStatusName(q.status), workersText(q),
                   QString::number(q.counts.queued), QString::number(q.counts.running),
                   QString::number(q.counts.dead)});
    table.print();
    return 0;
}

// "q_a,q_b" (commas or spaces) → ["q_a", "q_b"]; "" → [] (no child queues).
QJsonArray queueIdList(const QString &text)
{
    QJsonArray ids;
    for (const QString &id :
         text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
        ids.append(id);
    return ids;
}

CommandResult<int> createOrUpdateQueue(const QString &verb, const QString &target,
                                       const QCommandLineParser &parser,
                                       Client::QueueDeckClient &client, bool json)
{
    QJsonObject body;
    for (const QString &pair : parser.values(QStringLiteral("set"))) {
        const qsizetype equals = pair.indexOf(u'=');
        if (equals <= 0)
            return usageError(QStringLiteral("--set takes key=value (got \"%1\")").arg(pair));
        const QString value = pair.mid(equals + 1);
        QJsonParseError error;
        const QJsonDocument parsed =
            QJsonDocument::fromJson(QByteArray('[' + value.toUtf8() + ']'), &error);
        if (pair.left(equals) == u"child_queues" && error.error != QJsonParseError::NoError) {
            body.insert(QStringLiteral("child_queues"), queueIdList(value));
            continue;
        }
        body.insert(pair.left(equals), error.error == QJsonParseError::NoError
                                           ? parsed.array().first()
                                           : QJsonValue(value));
    }
    // Run settings (docs/runs.md) as options of their own.
    if (parser.isSet(QStringLiteral("max-active-runs"))) {
        bool ok = false;
        const QString text = parser.value(QStringLiteral("max-active-runs"));
        const int runs = text.toInt(&ok);
        if (!ok || runs < 0)
            return usageError(QStringLiteral("--max-active-runs takes a whole number of runs, 0 "
                                             "for unlimited (got \"%1\")")
                                  .arg(text));
        body.insert(QStringLiteral("max_active_runs"), runs);
    }
    if (parser.isSet(QStringLiteral("child-queues")))
        body.insert(QStringLiteral("child_queues"),
                    queueIdList(parser.value(QStringLiteral("child-queues"))));
    CommandResult<QJsonObject> changed;
    if (verb == u"create") {
        body.insert(QStringLiteral("name"), target);
        changed = answer(client.call("POST",
                                     QStringLiteral("/api/v1/environments/%1/worker-queues")
                                         .arg(QString::fromLatin1(QUrl::toPercentEncoding(
                                             parser.value(QStringLiteral("environment"))))),
                                     body));
    } else {
        if (body.isEmpty())
            return usageError(QStringLiteral("say what to change: --set key=value"));
        changed = answer(client.call("PATCH",
                                     QStringLiteral("/api/v1/worker-queues/%1")
                                         .arg(QString::fromLatin1(QUrl::toPercentEncoding(target))),
                                     body));
    }
    if (!changed)
        return std::unexpected(changed.error());
    if (json)
        return printJson(*changed), 0;
    const auto queue = Codec::queueFromJson(*changed);
    if (!queue)
        return std::unexpected(CommandError::refused(queue.error()));
    return printWithCommand(client, *queue);
}

CommandResult<int> showQueue(const QString &target, Client::QueueDeckClient &client, bool json)
{
    const auto queue = answer(client.queue(target));
    if (!queue)
        return std::unexpected(queue.error());
    if (!json)
        return printWithCommand(client, *queue);
    const auto command = answer(client.workerCommand(queue->id));
    if (!command)
        return std::unexpected(command.error());
    QJsonObject object = Codec::toJson(*queue);
    object.insert(QStringLiteral("worker_command"), command->value(QStringLiteral("command")));
    return printJson(object), 0;
}

CommandResult<int> changeQueueState(const QString &verb, const QString &target,
                                    Client::QueueDeckClient &client, bool json)
{
    const auto queue = answer(verb == u"pause"    ? client.pauseQueue(target)
                              : verb == u"resume" ? client.resumeQueue(target)
                                                  : client.rotateJoinToken(target));
    if (!queue)
        return std::unexpected(queue.error());
    if (json)
        return printJson(Codec::toJson(*queue)), 0;
    if (verb == u"rotate-token") {
        const auto command = answer(client.workerCommand(queue->id));
        if (!command)
            return std::unexpected(command.error());
        out() << "new join token; workers already running keep working. New workers connect "
                 "with:\n  "
              << command->value(QStringLiteral("command")).toString() << '\n';
    } else {
        out() << queue->name << " is " << queueStatusName(queue->status).toLower() << '\n';
    }
    return 0;
}

CommandResult<int> purgeQueue(const QString &target, const QCommandLineParser &parser,
                              Client::QueueDeckClient &client, bool json)
{
    const auto queue = answer(client.queue(target));
    if (!queue)
        return std::unexpected(queue.error());
    const auto confirmed = confirm(QStringLiteral("Delete the %1 waiting tasks of %2?")
                                       .arg(queue->counts.queued + queue->counts.scheduled)
                                       .arg(queue->name),
                                   parser);
    if (!confirmed)
        return std::unexpected(confirmed.error());
    if (!*confirmed)
        return ExitFailed;
    const auto purged = answer(client.purgeQueue(target));
    if (!purged)
        return std::unexpected(purged.error());
    if (json)
        return printJson(QJsonObject{{QStringLiteral("purged"), *purged}}), 0;
    out() << *purged << " waiting tasks deleted\n";
    return 0;
}

} // namespace

CommandResult<int> queueCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("environment"), QStringLiteral("the environment"),
                      QStringLiteral("name"), QStringLiteral("default")});
    parser.addOption({QStringLiteral("set"),
                      QStringLiteral("a setting of design §4, e.g. max_workers=5 (repeatable)"),
                      QStringLiteral("key=value")});
    parser.addOption({QStringLiteral("max-active-runs"),
                      QStringLiteral("runs rooted in the queue active at once; 0 = unlimited"),
                      QStringLiteral("n")});
    parser.addOption({QStringLiteral("child-queues"),
                      QStringLiteral("queue ids where its tasks may enqueue children, "
                                     "comma-separated; \"\" for none"),
                      QStringLiteral("ids")});
    parser.addOption({QStringLiteral("yes"), QStringLiteral("do not ask")});
    parser.addPositionalArgument(QStringLiteral("queue"), QStringLiteral("a verb, then the queue"));
    QStringList rest = arguments;
    rest.removeAt(1);
    const auto positional = parse(parser, rest, 1);
    if (!positional)
        return std::unexpected(positional.error());
    const bool json = parser.isSet(QStringLiteral("json"));
    const auto client = clientFor(parser);
    if (!client)
        return std::unexpected(client.error());
    const QString target = positional->value(1);
    const auto needTarget = [&target](const char *what) -> CommandResult<void> {
        if (target.isEmpty())
            return usageError(QStringLiteral("give the %1").arg(QLatin1StringView(what)));
        return {};
    };

    if (verb == u"list")
        return listQueues(parser, **client, json);
    if (verb == u"create" || verb == u"update") {
        if (auto given = needTarget(verb == u"create" ? "queue's name" : "queue id"); !given)
            return std::unexpected(given.error());
        return createOrUpdateQueue(verb, target, parser, **client, json);
    }
    if (verb == u"show" || verb == u"pause" || verb == u"resume" || verb == u"rotate-token" ||
        verb == u"purge") {
        if (auto given = needTarget("queue id"); !given)
            return std::unexpected(given.error());
        if (verb == u"show")
            return showQueue(target, **client, json);
        if (verb == u"purge")
            return purgeQueue(target, parser, **client, json);
        return changeQueueState(verb, target, **client, json);
    }
    return usageError(QStringLiteral("qdeck queue list|create|show|update|pause|resume|purge|"
                                     "rotate-token (got \"%1\")")
                          .arg(verb));
}

} // namespace QueueDeck::Cli
