// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QByteArray>
#include <QString>

namespace QueueDeck {

// The key a cluster's nodes seal their shared secrets with (TokenCipher). It is kept in each
// node's configuration, never in the database: 32 random bytes written as base64 (44
// characters), from, in this order,
//   - the QUEUEDECK_CLUSTER_KEY environment variable (environmentValue),
//   - a file named by --cluster-key-file, readable by its owner only,
//   - <data-dir>/cluster-key, created with mode 0600 on the first start when it is missing.
// Giving both of the first two is refused: one node must not silently prefer one of two keys.
class ClusterKey final
{
public:
    static constexpr QLatin1StringView FileName{"cluster-key"};
    static constexpr QLatin1StringView EnvironmentVariable{"QUEUEDECK_CLUSTER_KEY"};

    struct Sources
    {
        QString environmentValue;
        QString keyFile;
        QString dataDirectory;
    };
    struct Loaded
    {
        QByteArray key; // TokenCipher::KeyBytes bytes
        QString origin; // where it came from, for the log
        bool generated = false;
    };

    static Result<Loaded> load(const Sources &sources);
    // The text form of a key: base64, one line.
    static QByteArray encode(const QByteArray &key);
};

} // namespace QueueDeck
