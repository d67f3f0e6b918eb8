// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

// The HTTP API's messages: queuedeck.api (defined in apidispatcher.cpp).
Q_DECLARE_LOGGING_CATEGORY(lcApi)
