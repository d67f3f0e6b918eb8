// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// What the tests of the HTTP API share: a client of the test's server that records every answer
// for the OpenAPI check (answerlog.h), and the join token inside a worker command.

#include "answerlog.h"
#include "queuedeckclient.h"
#include "serverprocess.h"

#include <QJsonObject>

#include <memory>

namespace QueueDeck::Testing {

inline std::unique_ptr<Client::QueueDeckClient> clientFor(const ServerProcess &server,
                                                          const QString &token)
{
    Client::ClientOptions options{QUrl(server.url()), token};
    options.onAnswer = &recordAnswer;
    return std::make_unique<Client::QueueDeckClient>(options);
}

// The join token inside a worker command: QUEUEDECK_TOKEN=qdj_… qdeck worker start …
inline QString joinTokenOf(const QJsonObject &command)
{
    return command.value(QStringLiteral("command")).toString().section(u' ', 0, 0).section(u'=', 1);
}

} // namespace QueueDeck::Testing
