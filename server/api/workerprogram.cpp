// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "workerprogram.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace QueueDeck::Api {

QString workerProgramBeside(const QString &directory)
{
    const QString name = QStringLiteral("qdeck");
    if (!QStandardPaths::findExecutable(name).isEmpty())
        return {};
    const QFileInfo beside(QDir(directory).filePath(name));
    return beside.isFile() && beside.isExecutable() ? beside.absoluteFilePath() : QString();
}

} // namespace QueueDeck::Api
