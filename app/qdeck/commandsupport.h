// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// What the commands for people and scripts share: the output streams, the options every command
// takes, where the server is and which token to use, and how a reply becomes a value.

#include "commanderror.h"
#include "protocol/codec.h"
#include "queuedeckclient.h"

#include <QCommandLineParser>
#include <QFuture>
#include <QJsonArray>
#include <QTextStream>

#include <memory>

namespace QueueDeck::Cli {

inline constexpr int ExitFailed = 1;       // the server refused
inline constexpr int ExitUsage = 64;       // EX_USAGE
inline constexpr int ExitUnreachable = 69; // EX_UNAVAILABLE

QTextStream &out();
QTextStream &err();

// "12 s ago", "3 min ago"…, or "—" for no time.
QString ago(qint64 ms);
// Local "yyyy-MM-dd HH:mm:ss", or "—" for no time.
QString time(qint64 ms);
void printJson(const QJsonValue &value);
template <typename T> QJsonArray jsonArray(const QList<T> &items)
{
    QJsonArray array;
    for (const T &item : items)
        array.append(Codec::toJson(item));
    return array;
}

// The value of a finished reply, or the server's refusal.
template <typename T> CommandResult<T> answer(QFuture<Result<T>> reply)
{
    Result<T> result = reply.result();
    if (!result)
        return std::unexpected(CommandError::refused(result.error()));
    if constexpr (std::is_void_v<T>)
        return {};
    else
        return std::move(*result);
}

// Options every command takes.
void addCommonOptions(QCommandLineParser &parser);
// Parses; prints the help when asked (HelpPrinted). The positional arguments, at least
// `positionals` of them (-1: any number).
CommandResult<QStringList> parse(QCommandLineParser &parser, const QStringList &arguments,
                                 int positionals);
// Which token a command acts with: the operator's (--token-file, QUEUEDECK_TOKEN, the config
// file, the local server's admin token), or the child token a worker agent gives the handler it
// starts (QUEUEDECK_CHILD_TOKEN; docs/runs.md).
enum class TokenSource {
    Operator,
    ChildTask,
};
// A blocking client for the server and token the options, environment and config file name.
CommandResult<std::unique_ptr<Client::QueueDeckClient>>
clientFor(const QCommandLineParser &parser, TokenSource source = TokenSource::Operator);
CommandResult<int> integerOption(const QCommandLineParser &parser, const QString &name,
                                 int fallback);
// Asks on the terminal unless --yes was given; without a terminal, that is a usage error.
CommandResult<bool> confirm(const QString &question, const QCommandLineParser &parser);

} // namespace QueueDeck::Cli
