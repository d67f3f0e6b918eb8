// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "queuechoices.h"

#include <QComboBox>
#include <QSignalBlocker>

namespace QueueDeck::Ui {

bool setQueueChoices(QComboBox *combo, const QList<std::pair<QString, QString>> &queues, int fixed)
{
    const QSignalBlocker block(combo);
    const QString current = combo->currentData().toString();
    const bool hadQueue = combo->currentIndex() >= fixed;
    for (qsizetype i = 0; i < queues.size(); ++i) {
        const int row = int(i) + fixed;
        const auto &[id, label] = queues[i];
        if (row < combo->count() && combo->itemData(row).toString() == id) {
            if (combo->itemText(row) != label)
                combo->setItemText(row, label);
            continue;
        }
        if (const int existing = combo->findData(id); existing >= fixed)
            combo->removeItem(existing);
        combo->insertItem(row, label, id);
    }
    while (combo->count() > queues.size() + fixed)
        combo->removeItem(combo->count() - 1);
    const int index = hadQueue ? combo->findData(current) : combo->currentIndex();
    combo->setCurrentIndex(qMax(0, index));
    return hadQueue && index < fixed;
}

} // namespace QueueDeck::Ui
