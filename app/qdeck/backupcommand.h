// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QString>

namespace QueueDeck::Client {
class QueueDeckClient;
}

namespace QueueDeck::Cli {

// `qdeck admin backup FILE`: asks the server for an online backup (POST /admin/backups), shows
// its progress on a terminal, downloads the finished copy in chunks into FILE (through FILE.part,
// so FILE is whole or absent) and removes the server's copy unless keepOnServer. Works the same
// against a local or a remote server.
class BackupCommand final
{
public:
    BackupCommand(Client::QueueDeckClient &client, QString file, bool keepOnServer);
    // What to print when done, or the error.
    Result<QString> run();

private:
    void progress(const QString &line, bool final);

    Client::QueueDeckClient &m_client;
    QString m_file;
    bool m_keepOnServer;
    bool m_terminal;
};

} // namespace QueueDeck::Cli
