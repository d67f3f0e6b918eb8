// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QString>

#include <expected>

namespace QueueDeck::Cli {

// Why a command stopped early: the command line was wrong (exit 64), the server refused or could
// not be reached (exit 1 or 69), or --help was asked for and printed (exit 0).
struct CommandError
{
    enum class Kind {
        Usage,
        Refused,
        HelpPrinted,
    };
    Kind kind = Kind::Usage;
    Error error;

    static CommandError usage(QString message)
    {
        return {Kind::Usage, Error{ErrorCode::InvalidArgument, std::move(message), {}}};
    }
    static CommandError refused(Error error) { return {Kind::Refused, std::move(error)}; }
    static CommandError helpPrinted() { return {Kind::HelpPrinted, {}}; }
};

// What a command returns: its exit code, or why it stopped.
template <typename T> using CommandResult = std::expected<T, CommandError>;

inline std::unexpected<CommandError> usageError(QString message)
{
    return std::unexpected(CommandError::usage(std::move(message)));
}

} // namespace QueueDeck::Cli
