// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

// The desktop app's messages (queuedeck.ui): what the window could not do and the user did not
// see, e.g. settings it could not keep. Info and above by default; debug on request
// (QT_LOGGING_RULES="queuedeck.ui.debug=true").
Q_DECLARE_LOGGING_CATEGORY(lcUi)
