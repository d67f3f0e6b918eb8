// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "protocol/error.h"

#include <array>

namespace QueueDeck {

namespace {

struct CodeEntry
{
    ErrorCode code;
    const char *name;
    int status;
};

constexpr std::array<CodeEntry, 12> s_codes{{
    {ErrorCode::InvalidArgument, "INVALID_ARGUMENT", 400},
    {ErrorCode::Unauthenticated, "UNAUTHENTICATED", 401},
    {ErrorCode::PermissionDenied, "PERMISSION_DENIED", 403},
    {ErrorCode::NotFound, "NOT_FOUND", 404},
    {ErrorCode::MethodNotAllowed, "METHOD_NOT_ALLOWED", 405},
    {ErrorCode::AlreadyExists, "ALREADY_EXISTS", 409},
    {ErrorCode::FailedPrecondition, "FAILED_PRECONDITION", 409},
    {ErrorCode::PayloadTooLarge, "PAYLOAD_TOO_LARGE", 413},
    {ErrorCode::HeadersTooLarge, "HEADERS_TOO_LARGE", 431},
    {ErrorCode::ResourceExhausted, "RESOURCE_EXHAUSTED", 429},
    {ErrorCode::Unavailable, "UNAVAILABLE", 503},
    {ErrorCode::Internal, "INTERNAL", 500},
}};

const CodeEntry &entryFor(ErrorCode code)
{
    for (const auto &entry : s_codes) {
        if (entry.code == code)
            return entry;
    }
    return s_codes.back();
}

} // namespace

int httpStatus(ErrorCode code)
{
    return entryFor(code).status;
}

QString errorCodeName(ErrorCode code)
{
    return QString::fromLatin1(entryFor(code).name);
}

std::optional<ErrorCode> errorCodeFromName(QStringView name)
{
    for (const auto &entry : s_codes) {
        if (name == QLatin1StringView(entry.name))
            return entry.code;
    }
    return std::nullopt;
}

} // namespace QueueDeck
