// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "uilog.h"

Q_LOGGING_CATEGORY(lcUi, "queuedeck.ui", QtInfoMsg)
