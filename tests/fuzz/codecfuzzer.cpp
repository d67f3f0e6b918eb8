// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Fuzz target: every JSON decoder of protocol. The first byte picks the decoder, the rest
// is the body. What a decoder accepts is written back with the matching encoder; for the request
// shapes that clients send, what the client's encoder writes must be accepted again by the
// server's decoder (a request the server takes can be sent again by a client).

#include "protocol/codec.h"

#include <QJsonDocument>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace QueueDeck;

namespace {

template <typename T> void mustDecodeAgain(const Result<T> &again, const char *shape)
{
    if (!again) {
        std::fprintf(stderr, "%s: the encoder's output is refused by the decoder: %s\n", shape,
                     qPrintable(again.error().message));
        std::abort();
    }
}

// A body a client writes as text is QJsonDocument's compact text of that object, byte for byte.
void mustBeCompact(const QByteArray &text, const char *shape)
{
    const QJsonDocument document = QJsonDocument::fromJson(text);
    if (!document.isObject() || document.toJson(QJsonDocument::Compact) != text) {
        std::fprintf(stderr, "%s: the text encoder wrote other than Qt's compact text: %s\n", shape,
                     text.constData());
        std::abort();
    }
}

void decode(unsigned selector, const QJsonObject &o)
{
    switch (selector) {
    case 0:
        if (auto v = Codec::environmentFromJson(o))
            Q_UNUSED(Codec::toJson(*v));
        break;
    case 1:
        if (auto v = Codec::queueCreateFromJson(o))
            Q_UNUSED(Codec::settingsToJson(v->settings));
        break;
    case 2:
        if (auto v = Codec::queuePatchFromJson(o))
            mustDecodeAgain(Codec::queuePatchFromJson(Codec::toJson(*v)), "queue patch");
        break;
    case 3:
        if (auto v = Codec::enqueueFromJson(o)) {
            mustBeCompact(Codec::enqueueText(*v), "enqueue");
            mustDecodeAgain(Codec::enqueueFromJson(Codec::toJson(*v)), "enqueue");
        }
        break;
    case 4:
        if (auto v = Codec::bulkFromJson(o))
            mustDecodeAgain(Codec::bulkFromJson(Codec::toJson(*v)), "bulk");
        break;
    case 5:
        if (auto v = Codec::enqueueBatchFromJson(o)) {
            QJsonArray tasks;
            for (const EnqueueRequest &request : *v)
                tasks.append(Codec::toJson(request));
            mustDecodeAgain(
                Codec::enqueueBatchFromJson(QJsonObject{{QStringLiteral("tasks"), tasks}}),
                "enqueue batch");
        }
        break;
    case 6:
        if (auto v = Codec::registerFromJson(o); v && v->queueName.isEmpty())
            mustDecodeAgain(Codec::registerFromJson(Codec::toJson(v->request)), "register");
        break;
    case 7:
        Q_UNUSED(Codec::heartbeatFromJson(o));
        break;
    case 8:
        Q_UNUSED(Codec::leaseFromJson(o));
        break;
    case 9:
        if (auto v = Codec::completeFromJson(o)) {
            mustBeCompact(Codec::completeText(*v), "complete");
            mustDecodeAgain(Codec::completeFromJson(Codec::toJson(*v)), "complete");
        }
        break;
    case 10:
        if (auto v = Codec::queueFromJson(o))
            Q_UNUSED(Codec::toJson(*v));
        break;
    case 11:
        if (auto v = Codec::taskFromJson(o)) {
            Q_UNUSED(Codec::toJson(*v));
            Q_UNUSED(Codec::taskText(*v));
        }
        break;
    case 12:
        if (auto v = Codec::workerFromJson(o))
            Q_UNUSED(Codec::toJson(*v));
        break;
    case 13:
        if (auto v = Codec::leasedTaskFromJson(o)) {
            Q_UNUSED(Codec::toJson(*v));
            Q_UNUSED(Codec::leasedTasksText({*v}));
        }
        break;
    case 14:
        if (auto v = Codec::environmentInfoFromJson(o))
            Q_UNUSED(Codec::toJson(*v));
        break;
    case 15:
        Q_UNUSED(Codec::logLineFromJson(o));
        break;
    case 16:
        if (auto v = Codec::producerTokenFromJson(o))
            Q_UNUSED(Codec::toJson(*v));
        break;
    case 17:
        if (auto v = Codec::auditFromJson(o))
            Q_UNUSED(Codec::toJson(*v));
        break;
    case 18:
        if (auto v = Codec::dashboardFromJson(o))
            Q_UNUSED(Codec::toJson(*v));
        break;
    case 19:
        Q_UNUSED(Codec::queueCardFromJson(o));
        break;
    default:
        if (auto v = Codec::metricSeriesFromJson(o))
            Q_UNUSED(Codec::toJson(*v));
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray body(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    Q_UNUSED(Codec::errorFromBody(400 + data[0] % 200, body));
    const auto object = Codec::parseObject(body);
    if (object)
        decode(data[0] % 21, *object);
    return 0;
}
