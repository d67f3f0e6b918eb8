// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

#include <utility>

class QComboBox;

namespace QueueDeck::Ui {

// Puts the queues (id → label) in a selector after its first `fixed` items ("All queues"),
// touching only what changed, so that an open list and the selection stay. Emits no signal of
// the selector; returns true when the selected queue is gone (the first item is then selected).
bool setQueueChoices(QComboBox *combo, const QList<std::pair<QString, QString>> &queues, int fixed);

} // namespace QueueDeck::Ui
