// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Fuzz target: a request target ("/path?query") decoded as the HTTP reader does, then read as
// the routes read it — the path matched against every route of the API document, each query
// parameter a route takes decoded and converted the way its handler converts it.

#include "httptypes.h"
#include "protocol/metrictypes.h"
#include "protocol/wiretypes.h"
#include "router.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>

using namespace QueueDeck;

namespace {

const Api::Router<int> &routes()
{
    static const Api::Router<int> router = [] {
        Api::Router<int> table;
        QFile file(QStringLiteral(OPENAPI_PATH));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", OPENAPI_PATH);
        const QJsonObject paths = QJsonDocument::fromJson(file.readAll())
                                      .object()
                                      .value(QStringLiteral("paths"))
                                      .toObject();
        int index = 0;
        for (auto path = paths.begin(); path != paths.end(); ++path) {
            const QJsonObject methods = path.value().toObject();
            for (auto method = methods.begin(); method != methods.end(); ++method)
                table.add(method.key().toUpper().toLatin1(), path.key(), Api::Access::Anyone,
                          index++);
        }
        if (index == 0)
            qFatal("no routes in %s", OPENAPI_PATH);
        return table;
    }();
    return router;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray target(reinterpret_cast<const char *>(data), qsizetype(size));
    Http::HttpRequest request;
    request.setTarget(target);

    for (const QByteArray method : {"GET", "POST", "PATCH", "DELETE"}) {
        const auto match = routes().match(method, request.path);
        for (const QString &value : match.params.values())
            Q_UNUSED(value.size());
    }

    const QUrlQuery &query = request.query;
    bool ok = false;
    for (const char *name : {"limit", "cursor", "after", "wait_s", "force", "platform", "range",
                             "topics", "cards", "state", "type", "q"}) {
        const QString key = QString::fromLatin1(name);
        const QString value = query.queryItemValue(key, QUrl::FullyDecoded);
        Q_UNUSED(query.hasQueryItem(key));
        Q_UNUSED(value.toInt(&ok));
        Q_UNUSED(value.toLongLong(&ok));
        const double seconds = value.toDouble(&ok);
        if (ok && seconds >= 0 && seconds <= 60)
            Q_UNUSED(qint64(seconds * 1000));
        Q_UNUSED(taskStateFromName(value));
        Q_UNUSED(metricRangeFromName(value));
        for (const QString &topic : value.split(u',', Qt::SkipEmptyParts))
            Q_UNUSED(topic.trimmed().toLatin1());
    }
    Q_UNUSED(query.queryItems(QUrl::FullyDecoded));
    Q_UNUSED(query.toString(QUrl::FullyEncoded));
    return 0;
}
