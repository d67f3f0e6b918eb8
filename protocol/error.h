// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>

#include <expected>

namespace QueueDeck {

// The error codes of the wire contract (design §6). Each maps to exactly one HTTP status.
enum class ErrorCode {
    InvalidArgument,
    Unauthenticated,
    PermissionDenied,
    NotFound,
    MethodNotAllowed,
    AlreadyExists,
    FailedPrecondition,
    PayloadTooLarge,
    HeadersTooLarge,
    ResourceExhausted,
    Unavailable,
    Internal,
};

// An error as a value: a code and a message that tells the reader what to change.
struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
    QJsonObject details;
};

template <typename T> using Result = std::expected<T, Error>;

inline std::unexpected<Error> makeError(ErrorCode code, QString message, QJsonObject details = {})
{
    return std::unexpected(Error{code, std::move(message), std::move(details)});
}

int httpStatus(ErrorCode code);
QString errorCodeName(ErrorCode code);
// The code named on the wire, or nothing when the name is unknown.
std::optional<ErrorCode> errorCodeFromName(QStringView name);

} // namespace QueueDeck
