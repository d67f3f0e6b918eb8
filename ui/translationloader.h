// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QLocale>

class QTranslator;

namespace QueueDeck::Ui {

// Loads the window's translation for a locale: the best language the locale names, else English
// (whose plural forms turn "%n worker(s)" into "1 worker" / "2 workers"), so that no locale —
// C.UTF-8 included — shows the source texts.
class TranslationLoader final
{
public:
    // The name of the loaded translation (e.g. "queuedeck_de"), empty when none could be.
    static QString load(QTranslator &translator, const QLocale &locale = QLocale());
};

} // namespace QueueDeck::Ui
