// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "translationloader.h"

#include <QFileInfo>
#include <QTranslator>

namespace QueueDeck::Ui {

QString TranslationLoader::load(QTranslator &translator, const QLocale &locale)
{
    const QString directory = QStringLiteral(":/i18n");
    if (locale.language() != QLocale::C &&
        translator.load(locale, QStringLiteral("queuedeck"), QStringLiteral("_"), directory))
        return QFileInfo(translator.filePath()).baseName();
    if (translator.load(QStringLiteral("queuedeck_en"), directory))
        return QStringLiteral("queuedeck_en");
    return {};
}

} // namespace QueueDeck::Ui
