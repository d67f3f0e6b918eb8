// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck enqueue, qdeck task show|list|logs|cancel|retry, qdeck dead list|retry|delete
#include "commandsupport.h"
#include "resourcecommands.h"
#include "texttable.h"

#include <QFile>
#include <QJsonDocument>

#include <cstdio>
#include <unistd.h>

namespace QueueDeck::Cli {

namespace {

void printTasks(const QList<TaskInfo> &tasks, const QString &nextCursor)
{
    TextTable table({QStringLiteral("ID"), QStringLiteral("STATE"), QStringLiteral("TYPE"),
                     QStringLiteral("ATTEMPTS"), QStringLiteral("ENQUEUED"),
                     QStringLiteral("ERROR")});
    for (const TaskInfo &t : tasks)
        table.add({t.id, taskStateName(t.state), t.type,
                   QStringLiteral("%1 / %2").arg(t.attempts).arg(t.maxAttempts),
                   ago(t.enqueuedAtMs), t.lastError.left(60)});
    table.print();
    if (!nextCursor.isEmpty())
        out() << "(more: --cursor " << nextCursor << ")\n";
}

void printTask(const TaskInfo &t)
{
    out() << t.id << "  " << taskStateName(t.state) << "  " << t.type << "  queue " << t.queueId
          << '\n';
    out() << "  enqueued " << time(t.enqueuedAtMs) << ", attempts " << t.attempts << " / "
          << t.maxAttempts << ", priority " << t.priority << '\n';
    if (t.startedAtMs)
        out() << "  started " << time(*t.startedAtMs)
              << (t.leasedBy.isEmpty() ? QString() : QStringLiteral(" on ") + t.leasedBy) << '\n';
    if (t.finishedAtMs)
        out() << "  finished " << time(*t.finishedAtMs) << '\n';
    if (!t.lastError.isEmpty())
        out() << "  error: " << t.lastError << '\n';
    out() << "  payload: " << t.payload << '\n';
    if (!t.result.isEmpty())
        out() << "  result: " << t.result << '\n';
}

bool finished(TaskState state)
{
    return state == TaskState::Succeeded || state == TaskState::Dead ||
           state == TaskState::Cancelled;
}

CommandResult<int> listTasks(const QString &queueId, bool dead, const QCommandLineParser &parser,
                             Client::QueueDeckClient &client, bool json)
{
    if (queueId.isEmpty())
        return usageError(QStringLiteral("--queue is required"));
    TaskFilter filter;
    if (dead) {
        filter.state = TaskState::Dead;
    } else if (parser.isSet(QStringLiteral("state"))) {
        filter.state = taskStateFromName(parser.value(QStringLiteral("state")));
        if (!filter.state)
            return usageError(QStringLiteral("--state must be scheduled, queued, running, "
                                             "succeeded, dead or cancelled"));
    }
    filter.type = parser.value(QStringLiteral("type"));
    filter.text = parser.value(QStringLiteral("search"));
    const auto limit = integerOption(parser, QStringLiteral("limit"), 50);
    if (!limit)
        return std::unexpected(limit.error());
    filter.limit = *limit;
    filter.cursor = parser.value(QStringLiteral("cursor"));
    const auto page = answer(client.listTasks(queueId, filter));
    if (!page)
        return std::unexpected(page.error());
    if (json)
        return printJson(QJsonObject{{QStringLiteral("items"), jsonArray(page->items)},
                                     {QStringLiteral("next_cursor"), page->nextCursor}}),
               0;
    printTasks(page->items, page->nextCursor);
    return 0;
}

// qdeck dead retry|delete --all --queue ID
CommandResult<int> changeAllDead(const QString &verb, const QString &queueId,
                                 const QCommandLineParser &parser, Client::QueueDeckClient &client,
                                 bool json)
{
    if (queueId.isEmpty())
        return usageError(QStringLiteral("--all needs --queue"));
    if (verb == u"delete") {
        const auto confirmed =
            confirm(QStringLiteral("Delete every dead task of %1?").arg(queueId), parser);
        if (!confirmed)
            return std::unexpected(confirmed.error());
        if (!*confirmed)
            return ExitFailed;
    }
    BulkRequest request;
    request.action = verb == u"retry" ? BulkAction::Retry : BulkAction::Delete;
    request.filter.state = TaskState::Dead;
    const auto affected = answer(client.bulkTasks(queueId, request));
    if (!affected)
        return std::unexpected(affected.error());
    if (json)
        return printJson(QJsonObject{{QStringLiteral("affected"), *affected}}), 0;
    out() << *affected
          << (verb == u"retry" ? " dead tasks queued again\n" : " dead tasks deleted\n");
    return 0;
}

CommandResult<int> showTask(const QString &id, Client::QueueDeckClient &client, bool json)
{
    const auto task = answer(client.task(id));
    if (!task)
        return std::unexpected(task.error());
    if (json)
        return printJson(Codec::toJson(*task)), 0;
    printTask(*task);
    return 0;
}

CommandResult<int> printLogs(const QString &id, const QCommandLineParser &parser,
                             Client::QueueDeckClient &client, bool json)
{
    qint64 after = 0;
    Q_FOREVER
    {
        const auto lines = answer(client.taskLogs(id, after, 1000));
        if (!lines)
            return std::unexpected(lines.error());
        for (const LogLine &line : *lines) {
            if (json)
                out() << QJsonDocument(QJsonObject{{QStringLiteral("at"), time(line.atMs)},
                                                   {QStringLiteral("stream"), line.stream},
                                                   {QStringLiteral("line"), line.text}})
                             .toJson(QJsonDocument::Compact)
                      << '\n';
            else
                out() << (line.stream == u"stderr" ? "! " : "  ") << line.text << '\n';
            after = line.id;
        }
        out().flush();
        if (lines->size() == 1000)
            continue;
        if (!parser.isSet(QStringLiteral("follow")))
            return 0;
        const auto task = answer(client.task(id, 1));
        if (!task)
            return std::unexpected(task.error());
        if (finished(task->state)) {
            const auto last = answer(client.taskLogs(id, after, 1000));
            if (!last)
                return std::unexpected(last.error());
            for (const LogLine &line : *last)
                out() << (line.stream == u"stderr" ? "! " : "  ") << line.text << '\n';
            return 0;
        }
    }
}

// cancel, retry or delete each task named; a refusal of one is reported and the rest go on.
CommandResult<int> changeEach(const QString &verb, const QStringList &ids,
                              Client::QueueDeckClient &client, bool json)
{
    QJsonArray done;
    int failures = 0;
    for (const QString &id : ids) {
        Result<QJsonValue> changed;
        if (verb == u"delete") {
            const Result<void> deleted = client.deleteTask(id).result();
            if (deleted)
                changed = QJsonValue(id);
            else
                changed = std::unexpected(deleted.error());
            if (changed && !json)
                out() << id << " deleted\n";
        } else {
            const Result<TaskInfo> task =
                (verb == u"cancel" ? client.cancelTask(id) : client.retryTask(id)).result();
            if (task)
                changed = QJsonValue(Codec::toJson(*task));
            else
                changed = std::unexpected(task.error());
            if (task && !json)
                out() << id << ' ' << taskStateName(task->state) << '\n';
        }
        if (changed) {
            done.append(*changed);
        } else {
            ++failures;
            err() << id << ": " << changed.error().message << '\n';
        }
    }
    if (json)
        printJson(done);
    return failures ? ExitFailed : 0;
}

CommandResult<QByteArray> payloadOf(const QByteArray &text, const QString &where)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return usageError(QStringLiteral("%1 is not JSON: %2").arg(where, error.errorString()));
    const QByteArray wrapped = QJsonDocument(document.array()).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

// qdeck enqueue --lines: one task per line of stdin, sent 500 at a time.
CommandResult<int> enqueueLines(const EnqueueRequest &base, const QString &queueId,
                                Client::QueueDeckClient &client, bool json)
{
    const bool progress = ::isatty(STDERR_FILENO) && !json;
    QFile input;
    input.open(stdin, QIODevice::ReadOnly);
    QList<EnqueueRequest> batch;
    qint64 sent = 0;
    QStringList ids;
    const auto flush = [&]() -> CommandResult<void> {
        if (batch.isEmpty())
            return {};
        const auto got = answer(client.enqueueBatch(queueId, batch));
        if (!got)
            return std::unexpected(got.error());
        sent += got->size();
        if (json)
            ids += *got;
        batch.clear();
        if (progress)
            err() << "\renqueued " << sent << Qt::flush;
        return {};
    };
    qint64 lineNumber = 0;
    while (!input.atEnd()) {
        const QByteArray line = input.readLine().trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        EnqueueRequest request = base;
        QJsonParseError error;
        QJsonDocument::fromJson('[' + line + ']', &error);
        if (error.error == QJsonParseError::NoError) {
            const auto payload = payloadOf(line, QStringLiteral("line %1").arg(lineNumber));
            if (!payload)
                return std::unexpected(payload.error());
            request.payload = *payload;
        } else {
            request.payload = QJsonDocument(QJsonArray{QString::fromUtf8(line)})
                                  .toJson(QJsonDocument::Compact)
                                  .chopped(1)
                                  .mid(1);
        }
        batch.append(request);
        if (batch.size() == 500) {
            if (const auto flushed = flush(); !flushed)
                return std::unexpected(flushed.error());
        }
    }
    if (const auto flushed = flush(); !flushed)
        return std::unexpected(flushed.error());
    if (progress)
        err() << '\n';
    if (json)
        printJson(QJsonObject{{QStringLiteral("ids"), QJsonArray::fromStringList(ids)}});
    else
        out() << sent << " tasks enqueued to " << queueId << '\n';
    return 0;
}

} // namespace

CommandResult<int> taskCommand(const QStringList &arguments, bool dead)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("queue"), QStringLiteral("the queue"), QStringLiteral("id")});
    parser.addOption({QStringLiteral("state"), QStringLiteral("only tasks in this state"),
                      QStringLiteral("state")});
    parser.addOption({QStringLiteral("type"), QStringLiteral("only tasks of this type"),
                      QStringLiteral("type")});
    parser.addOption({QStringLiteral("search"), QStringLiteral("text in the id or the payload"),
                      QStringLiteral("text")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("at most this many (1–1000)"),
                      QStringLiteral("n"), QStringLiteral("50")});
    parser.addOption(
        {QStringLiteral("cursor"), QStringLiteral("continue a listing"), QStringLiteral("cursor")});
    parser.addOption({QStringLiteral("all"), QStringLiteral("every dead task of the queue")});
    parser.addOption({QStringLiteral("follow"), QStringLiteral("keep printing new log lines")});
    parser.addOption({QStringLiteral("yes"), QStringLiteral("do not ask")});
    QStringList rest = arguments;
    rest.removeAt(1);
    const auto positional = parse(parser, rest, 1);
    if (!positional)
        return std::unexpected(positional.error());
    const bool json = parser.isSet(QStringLiteral("json"));
    const auto client = clientFor(parser);
    if (!client)
        return std::unexpected(client.error());
    const QStringList ids = positional->mid(1);
    const QString queueId = parser.value(QStringLiteral("queue"));

    if (verb == u"list")
        return listTasks(queueId, dead, parser, **client, json);
    if (dead && (verb == u"retry" || verb == u"delete") && parser.isSet(QStringLiteral("all")))
        return changeAllDead(verb, queueId, parser, **client, json);
    if (ids.isEmpty())
        return usageError(dead ? QStringLiteral("give task ids, or --all --queue ID")
                               : QStringLiteral("give a task id"));
    if (verb == u"show" && !dead)
        return showTask(ids.first(), **client, json);
    if (verb == u"logs" && !dead)
        return printLogs(ids.first(), parser, **client, json);
    if (verb == u"cancel" || verb == u"retry" || verb == u"delete") {
        if (verb == u"cancel" && dead)
            return usageError(QStringLiteral("qdeck dead list|retry|delete"));
        return changeEach(verb, ids, **client, json);
    }
    return usageError(
        dead ? QStringLiteral("qdeck dead list|retry|delete (got \"%1\")").arg(verb)
             : QStringLiteral("qdeck task show|list|logs|cancel|retry (got \"%1\")").arg(verb));
}

CommandResult<int> enqueueCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("queue"), QStringLiteral("the queue"), QStringLiteral("id")});
    parser.addOption(
        {QStringLiteral("type"), QStringLiteral("the task type"), QStringLiteral("type")});
    parser.addOption(
        {QStringLiteral("payload"), QStringLiteral("the payload, JSON"), QStringLiteral("json")});
    parser.addOption({QStringLiteral("payload-file"),
                      QStringLiteral("read the payload from a file"), QStringLiteral("file")});
    parser.addOption({QStringLiteral("lines"),
                      QStringLiteral("one task per line of stdin (JSON, or text as a string)")});
    parser.addOption(
        {QStringLiteral("priority"), QStringLiteral("higher runs first"), QStringLiteral("n")});
    parser.addOption({QStringLiteral("delay"), QStringLiteral("run no sooner than in this many s"),
                      QStringLiteral("s")});
    parser.addOption({QStringLiteral("idempotency-key"),
                      QStringLiteral("the same key while unfinished: the same task"),
                      QStringLiteral("key")});
    parser.addOption({QStringLiteral("concurrency-key"),
                      QStringLiteral("tasks sharing it obey the queue's max_per_key"),
                      QStringLiteral("key")});
    parser.addOption({QStringLiteral("label"),
                      QStringLiteral("a worker label the task requires (repeatable)"),
                      QStringLiteral("key=value")});
    parser.addOption({QStringLiteral("wait"), QStringLiteral("wait for the result")});
    const QStringList rest = arguments.mid(0, 1) + arguments.mid(2);
    if (const auto parsed = parse(parser, rest, 0); !parsed)
        return std::unexpected(parsed.error());
    const bool json = parser.isSet(QStringLiteral("json"));
    const QString queueId = parser.value(QStringLiteral("queue"));
    const QString type = parser.value(QStringLiteral("type"));
    if (queueId.isEmpty() || type.isEmpty())
        return usageError(QStringLiteral("--queue and --type are required"));
    const int sources = int(parser.isSet(QStringLiteral("payload"))) +
                        int(parser.isSet(QStringLiteral("payload-file"))) +
                        int(parser.isSet(QStringLiteral("lines")));
    if (sources > 1)
        return usageError(QStringLiteral("give one of --payload, --payload-file and --lines"));

    EnqueueRequest base;
    base.type = type;
    const auto priority = integerOption(parser, QStringLiteral("priority"), 0);
    if (!priority)
        return std::unexpected(priority.error());
    base.priority = *priority;
    if (parser.isSet(QStringLiteral("delay"))) {
        const auto delay = integerOption(parser, QStringLiteral("delay"), 0);
        if (!delay)
            return std::unexpected(delay.error());
        base.delayMs = qint64(*delay) * 1000;
    }
    base.idempotencyKey = parser.value(QStringLiteral("idempotency-key"));
    base.concurrencyKey = parser.value(QStringLiteral("concurrency-key"));
    for (const QString &pair : parser.values(QStringLiteral("label"))) {
        const qsizetype equals = pair.indexOf(u'=');
        if (equals <= 0)
            return usageError(QStringLiteral("--label takes key=value (got \"%1\")").arg(pair));
        base.requiredLabels.insert(pair.left(equals), pair.mid(equals + 1));
    }
    const auto client = clientFor(parser);
    if (!client)
        return std::unexpected(client.error());

    if (parser.isSet(QStringLiteral("lines"))) {
        if (parser.isSet(QStringLiteral("wait")) || !base.idempotencyKey.isEmpty())
            return usageError(QStringLiteral("--lines takes neither --wait nor --idempotency-key"));
        return enqueueLines(base, queueId, **client, json);
    }

    EnqueueRequest request = base;
    if (parser.isSet(QStringLiteral("payload"))) {
        const auto payload = payloadOf(parser.value(QStringLiteral("payload")).toUtf8(),
                                       QStringLiteral("--payload"));
        if (!payload)
            return std::unexpected(payload.error());
        request.payload = *payload;
    } else if (parser.isSet(QStringLiteral("payload-file"))) {
        QFile file(parser.value(QStringLiteral("payload-file")));
        if (!file.open(QIODevice::ReadOnly))
            return usageError(
                QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString()));
        const auto payload = payloadOf(file.readAll(), file.fileName());
        if (!payload)
            return std::unexpected(payload.error());
        request.payload = *payload;
    } else {
        request.payload = "{}";
    }
    auto task = answer((*client)->enqueue(queueId, request));
    if (parser.isSet(QStringLiteral("wait"))) {
        while (task && !finished(task->state))
            task = answer((*client)->task(task->id, 30));
    }
    if (!task)
        return std::unexpected(task.error());
    if (json)
        return printJson(Codec::toJson(*task)), 0;
    if (parser.isSet(QStringLiteral("wait"))) {
        printTask(*task);
        return task->state == TaskState::Succeeded ? 0 : ExitFailed;
    }
    out() << task->id << (task->created ? "" : " (already there: same idempotency key)") << '\n';
    return 0;
}

} // namespace QueueDeck::Cli
