// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck worker list|drain|remove (`qdeck worker start` is the worker agent: workercommand.cpp)
#include "commandsupport.h"
#include "resourcecommands.h"
#include "texttable.h"

namespace QueueDeck::Cli {

namespace {

CommandResult<int> listWorkers(const QCommandLineParser &parser, Client::QueueDeckClient &client,
                               bool json)
{
    const auto workers = answer(client.listWorkers(parser.value(QStringLiteral("queue"))));
    if (!workers)
        return std::unexpected(workers.error());
    if (json)
        return printJson(jsonArray(*workers)), 0;
    TextTable table({QStringLiteral("ID"), QStringLiteral("HOST"), QStringLiteral("QUEUES"),
                     QStringLiteral("STATE"), QStringLiteral("HEARTBEAT"),
                     QStringLiteral("RUNNING"), QStringLiteral("DONE"), QStringLiteral("FAILED"),
                     QStringLiteral("LABELS")});
    for (const WorkerInfo &w : *workers) {
        QStringList labels;
        for (auto it = w.labels.cbegin(); it != w.labels.cend(); ++it)
            labels.append(it.key() + u'=' + it.value());
        table.add({w.id, w.hostname, w.queueIds.join(u','), workerStateName(w.state),
                   ago(w.lastHeartbeatMs),
                   QStringLiteral("%1 / %2").arg(w.running).arg(w.concurrency),
                   QString::number(w.done), QString::number(w.failed), labels.join(u' ')});
    }
    table.print();
    return 0;
}

CommandResult<int> drainWorker(const QString &id, Client::QueueDeckClient &client, bool json)
{
    const auto worker = answer(client.drainWorker(id));
    if (!worker)
        return std::unexpected(worker.error());
    if (json)
        return printJson(Codec::toJson(*worker)), 0;
    out() << id << " is draining: it finishes its " << worker->running
          << " running task(s) and takes nothing new\n";
    return 0;
}

CommandResult<int> removeWorker(const QString &id, Client::QueueDeckClient &client, bool json)
{
    if (const auto removed = answer(client.deregisterWorker(id)); !removed)
        return std::unexpected(removed.error());
    if (json)
        return printJson(QJsonObject{{QStringLiteral("deregistered"), true}}), 0;
    out() << id << " removed: its slot is free and its running tasks go back to the queue\n";
    return 0;
}

} // namespace

CommandResult<int> workersCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("queue"), QStringLiteral("only the workers of this queue"),
                      QStringLiteral("id")});
    QStringList rest = arguments;
    rest.removeAt(1);
    const auto positional = parse(parser, rest, 1);
    if (!positional)
        return std::unexpected(positional.error());
    const bool json = parser.isSet(QStringLiteral("json"));
    const auto client = clientFor(parser);
    if (!client)
        return std::unexpected(client.error());
    if (verb == u"list")
        return listWorkers(parser, **client, json);
    const QString id = positional->value(1);
    if (id.isEmpty())
        return usageError(QStringLiteral("give the worker id"));
    if (verb == u"drain")
        return drainWorker(id, **client, json);
    if (verb == u"remove")
        return removeWorker(id, **client, json);
    return usageError(
        QStringLiteral("qdeck worker start|list|drain|remove (got \"%1\")").arg(verb));
}

} // namespace QueueDeck::Cli
