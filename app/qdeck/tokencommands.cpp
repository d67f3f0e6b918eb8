// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck token create|list|revoke: producer tokens (enqueue to named queues) and, with --viewer,
// read-only viewer tokens.
#include "commandsupport.h"
#include "resourcecommands.h"
#include "texttable.h"

#include <QUrl>

namespace QueueDeck::Cli {

namespace {

// qdeck token create|list|revoke --viewer: read-only tokens (qdv_), named, shown once.
CommandResult<int> viewerTokenCommand(const QString &verb, const QString &name, bool json,
                                      Client::QueueDeckClient &client)
{
    const QString base = QStringLiteral("/api/v1/viewer-tokens");
    if (verb == u"list") {
        const auto page = answer(client.call("GET", base));
        if (!page)
            return std::unexpected(page.error());
        const QJsonArray items = page->value(QStringLiteral("items")).toArray();
        if (json)
            return printJson(items), 0;
        TextTable table({QStringLiteral("NAME"), QStringLiteral("CREATED")});
        for (const QJsonValue &item : items)
            table.add({item[u"name"].toString(), item[u"created_at"].toString()});
        table.print();
        return 0;
    }
    if (name.isEmpty())
        return usageError(QStringLiteral("give the token's name"));
    if (verb == u"create") {
        const auto token =
            answer(client.call("POST", base, QJsonObject{{QStringLiteral("name"), name}}));
        if (!token)
            return std::unexpected(token.error());
        if (json)
            return printJson(*token), 0;
        out() << token->value(QStringLiteral("token")).toString() << '\n';
        err() << "shown once: keep it now. It reads everything and changes nothing.\n";
        return 0;
    }
    if (verb == u"revoke") {
        const auto revoked = answer(
            client.call("DELETE", base + u'/' + QString::fromUtf8(QUrl::toPercentEncoding(name))));
        if (!revoked)
            return std::unexpected(revoked.error());
        if (json)
            return printJson(QJsonObject{{QStringLiteral("revoked"), true}}), 0;
        out() << name << " revoked\n";
        return 0;
    }
    return usageError(
        QStringLiteral("qdeck token create|list|revoke --viewer (got \"%1\")").arg(verb));
}

CommandResult<int> listProducerTokens(Client::QueueDeckClient &client, bool json)
{
    const auto tokens = answer(client.listProducerTokens());
    if (!tokens)
        return std::unexpected(tokens.error());
    if (json)
        return printJson(jsonArray(*tokens)), 0;
    TextTable table({QStringLiteral("NAME"), QStringLiteral("QUEUES"), QStringLiteral("CREATED")});
    for (const ProducerToken &t : *tokens)
        table.add({t.name, t.queueIds.join(u','), time(t.createdAtMs)});
    table.print();
    return 0;
}

CommandResult<int> createProducerToken(const QString &name, const QCommandLineParser &parser,
                                       Client::QueueDeckClient &client, bool json)
{
    const QStringList queues = parser.values(QStringLiteral("queue"));
    if (queues.isEmpty())
        return usageError(QStringLiteral("name the queues it may use: --queue ID"));
    const auto token = answer(client.createProducerToken(name, queues));
    if (!token)
        return std::unexpected(token.error());
    if (json)
        return printJson(Codec::toJson(*token)), 0;
    out() << token->token << '\n';
    err() << "shown once: keep it now. It enqueues to and reads " << queues.join(u", ")
          << " only.\n";
    return 0;
}

} // namespace

CommandResult<int> tokenCommand(const QStringList &arguments)
{
    const QString verb = arguments.value(2);
    QCommandLineParser parser;
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("queue"),
                      QStringLiteral("a queue the token may enqueue to (repeatable)"),
                      QStringLiteral("id")});
    parser.addOption(
        {QStringLiteral("viewer"),
         QStringLiteral("a read-only viewer token (qdv_) instead of a producer token")});
    QStringList rest = arguments;
    rest.removeAt(1);
    const auto positional = parse(parser, rest, 1);
    if (!positional)
        return std::unexpected(positional.error());
    const bool json = parser.isSet(QStringLiteral("json"));
    const auto client = clientFor(parser);
    if (!client)
        return std::unexpected(client.error());
    if (parser.isSet(QStringLiteral("viewer")))
        return viewerTokenCommand(verb, positional->value(1), json, **client);
    if (verb == u"list")
        return listProducerTokens(**client, json);
    const QString name = positional->value(1);
    if (name.isEmpty())
        return usageError(QStringLiteral("give the token's name"));
    if (verb == u"create")
        return createProducerToken(name, parser, **client, json);
    if (verb == u"revoke") {
        if (const auto revoked = answer((*client)->revokeProducerToken(name)); !revoked)
            return std::unexpected(revoked.error());
        if (json)
            return printJson(QJsonObject{{QStringLiteral("revoked"), true}}), 0;
        out() << name << " revoked\n";
        return 0;
    }
    return usageError(QStringLiteral("qdeck token create|list|revoke (got \"%1\")").arg(verb));
}

} // namespace QueueDeck::Cli
