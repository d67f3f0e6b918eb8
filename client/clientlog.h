// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

// The client library's messages, debug on request (QT_LOGGING_RULES="queuedeck.client*=true"):
// queuedeck.client for calls (retries), queuedeck.client.events for the event stream,
// queuedeck.client.dashboard for the dashboard feed.
Q_DECLARE_LOGGING_CATEGORY(lcClient)
Q_DECLARE_LOGGING_CATEGORY(lcClientEvents)
Q_DECLARE_LOGGING_CATEGORY(lcClientDashboard)
