// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "headlesseventloop.h"

#include <QByteArray>

namespace QueueDeck {

// Each turn of the GLib loop polls, checks and dispatches its sources through several calls and
// wakes itself through an eventfd it writes and reads again; Qt's UNIX dispatcher turns with one
// poll per wait. On the server's request path that is about four system calls fewer per request
// (the figure is in docs/performance.md). A program without widgets needs nothing GLib offers, so
// headless programs opt out of it. QT_NO_GLIB is read when the application object is made;
// processes started later (a worker's handlers) inherit it, which only matters to Qt programs among
// them and makes them pick the same, fully supported dispatcher.
void useHeadlessEventLoop()
{
    qputenv("QT_NO_GLIB", QByteArrayLiteral("1"));
}

} // namespace QueueDeck
