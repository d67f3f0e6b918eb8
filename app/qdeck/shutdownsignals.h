// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

class QObject;

namespace QueueDeck::Cli {

// Runs handler on context's thread whenever SIGTERM or SIGINT arrives (through a socket pair, so
// nothing but a write happens in the signal handler itself).
void onShutdownSignal(QObject *context, std::function<void()> handler);

} // namespace QueueDeck::Cli
