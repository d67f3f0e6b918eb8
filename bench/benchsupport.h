// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Helpers shared by the benchmark programs.

#include "protocol/error.h"
#include "protocol/wiretypes.h"

#include <QFuture>

#include <cstdio>
#include <cstdlib>

namespace QueueDeck::Bench {

// The value of a reply; a failure ends the benchmark with its message (a figure measured
// around an error would be meaningless).
template <typename T> T must(QFuture<Result<T>> future, const char *what)
{
    future.waitForFinished();
    auto result = future.result();
    if (!result) {
        std::fprintf(stderr, "%s failed: %s\n", what, qPrintable(result.error().message));
        std::exit(1);
    }
    if constexpr (!std::is_void_v<T>)
        return *result;
}

// The payload of the peer harness: {"i": index, "t": a fixed time}.
inline EnqueueRequest benchTask(int i)
{
    EnqueueRequest request;
    request.type = QStringLiteral("bench");
    request.payload = "{\"i\":" + QByteArray::number(i) + ",\"t\":1700000000000000}";
    return request;
}

} // namespace QueueDeck::Bench
