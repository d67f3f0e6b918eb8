// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktoryreply.h"

namespace QueueDeck::Faktory {

namespace {

QByteArray oneLine(QByteArray text)
{
    text.replace('\r', ' ');
    text.replace('\n', ' ');
    return text;
}

} // namespace

QByteArray FaktoryReply::ok()
{
    return QByteArrayLiteral("+OK\r\n");
}

QByteArray FaktoryReply::simple(const QByteArray &text)
{
    return '+' + oneLine(text) + "\r\n";
}

QByteArray FaktoryReply::error(const QString &message)
{
    return "-ERR " + oneLine(message.toUtf8()) + "\r\n";
}

QByteArray FaktoryReply::bulk(const QByteArray &data)
{
    return '$' + QByteArray::number(data.size()) + "\r\n" + data + "\r\n";
}

QByteArray FaktoryReply::null()
{
    return QByteArrayLiteral("$-1\r\n");
}

} // namespace QueueDeck::Faktory
