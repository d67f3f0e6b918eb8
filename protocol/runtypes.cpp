// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "runtypes.h"

#include <array>

namespace QueueDeck {

namespace {
constexpr std::array<const char *, 4> s_runStateNames{"waiting", "active", "succeeded", "failed"};
} // namespace

QString runStateName(RunState state)
{
    return QString::fromLatin1(s_runStateNames.at(std::size_t(state)));
}

std::optional<RunState> runStateFromName(QStringView name)
{
    for (std::size_t i = 0; i < s_runStateNames.size(); ++i) {
        if (name == QLatin1StringView(s_runStateNames[i]))
            return RunState(i);
    }
    return std::nullopt;
}

} // namespace QueueDeck
