// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

namespace QueueDeck::Faktory {

// The server's answers, encoded as RESP (simple string, error, bulk string, null bulk string).
class FaktoryReply final
{
public:
    static QByteArray ok();
    static QByteArray simple(const QByteArray &text); // CR and LF become spaces
    static QByteArray error(const QString &message);  // "-ERR message"
    static QByteArray bulk(const QByteArray &data);
    static QByteArray null();
};

} // namespace QueueDeck::Faktory
