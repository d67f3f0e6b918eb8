// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QCoreApplication>
#include <QString>

namespace QueueDeck::Ui {

// Durations as a person reads and types them: "850 ms", "19.5 s", "5 min", "1 h 30 min",
// "7 days" (translated, with the locale's decimal point), and back from what a person types:
// "90s", "1h 30m", "2 days", "250 ms", "1.5h", or a bare number in the field's own unit.
class DurationFormat final
{
    Q_DECLARE_TR_FUNCTIONS(DurationFormat)
public:
    // At most two units, the larger first; below a minute with one decimal where it matters.
    static QString format(qint64 ms);
    // A bare number counts in `bareUnitMs` (1000 for a field in seconds). An error says what
    // the text should look like.
    static Result<qint64> parse(const QString &text, qint64 bareUnitMs = 1000);
};

} // namespace QueueDeck::Ui
