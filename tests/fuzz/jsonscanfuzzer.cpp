// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Fuzz target: the quick JSON scans of protocol/jsonscan.h against Qt's parser, which they stand
// in for. Whatever a scan is sure of must hold in QJsonDocument: text isPlainJson takes is one
// JSON value Qt takes, and a member text compactMemberText or compactMembers hands out is exactly
// what QJsonDocument writes for that member (so a payload stored as sent is stored as before).

#include "protocol/jsonscan.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace QueueDeck;

namespace {

[[noreturn]] void fail(const char *what, const QByteArray &input)
{
    std::fprintf(stderr, "%s: %s\n", what, input.constData());
    std::abort();
}

// QJsonDocument's compact text of one value (it writes only arrays and objects: wrapped, then
// unwrapped).
QByteArray compactText(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.sliced(1, wrapped.size() - 2);
}

void checkMember(const QByteArray &input, const QJsonObject &object, const char *name,
                 QByteArrayView text)
{
    if (!object.contains(QLatin1StringView(name)))
        fail("a member handed out that Qt does not see", input);
    if (compactText(object.value(QLatin1StringView(name))) != text)
        fail("a member's text is not what Qt writes for it", input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    if (Codec::isPlainJson(input)) {
        QJsonParseError error;
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + input + ']', &error);
        if (error.error != QJsonParseError::NoError || wrapped.array().size() != 1 ||
            input.trimmed().isEmpty())
            fail("isPlainJson took what Qt does not take as one value", input);
    }
    const auto payload = Codec::compactMemberText(input, "payload");
    const auto both = Codec::compactMembers(input, {"type", "payload"});
    if (!payload && !both)
        return 0;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(input, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        fail("a member handed out of text Qt does not take as an object", input);
    const QJsonObject object = document.object();
    if (payload)
        checkMember(input, object, "payload", *payload);
    if (both) {
        if (object.size() != 2)
            fail("compactMembers took an object with other members", input);
        checkMember(input, object, "type", both->at(0));
        checkMember(input, object, "payload", both->at(1));
    }
    return 0;
}
