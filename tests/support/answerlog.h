// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Every answer a test's clients receive, one JSON line each in RESPONSE_LOG (a compile definition
// of the test), for tests/validate_responses.py to check against the OpenAPI document after it:
// set ClientOptions::onAnswer = &recordAnswer.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>

namespace QueueDeck::Testing {

inline void recordAnswer(const QByteArray &method, const QString &path, int status,
                         const QByteArray &body, const QByteArray &contentType)
{
    static QMutex mutex;
    const QByteArray line =
        QJsonDocument(
            QJsonObject{{QStringLiteral("method"), QString::fromLatin1(method)},
                        {QStringLiteral("path"), path},
                        {QStringLiteral("status"), status},
                        {QStringLiteral("content_type"), QString::fromLatin1(contentType)},
                        {QStringLiteral("body"), QString::fromUtf8(body)}})
            .toJson(QJsonDocument::Compact) +
        '\n';
    QMutexLocker lock(&mutex);
    QFile log(QStringLiteral(RESPONSE_LOG));
    if (log.open(QIODevice::Append))
        log.write(line);
}

} // namespace QueueDeck::Testing
