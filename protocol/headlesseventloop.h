// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

namespace QueueDeck {

// Makes the QCoreApplication created after this call run on Qt's own UNIX event dispatcher
// instead of the GLib one. Call it first thing in main() of a headless program (qdeck and the
// benchmarks), before the application object exists; the desktop GUI keeps GLib, which its
// platform integration may rely on.
void useHeadlessEventLoop();

} // namespace QueueDeck
