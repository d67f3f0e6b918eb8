// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"
#include "protocol/nodetypes.h"

#include <QList>
#include <QStringList>
#include <QUrl>

namespace QueueDeck::Client {

// The addresses of one QueueDeck server: a single URL, or the nodes of a cluster that share one
// database (any node answers any call). One of them is current; a caller whose call to it failed
// moves on to the next, round-robin. A value type, used from one thread.
class ServerList
{
public:
    ServerList() = default;
    explicit ServerList(QList<QUrl> urls);

    // From --server values and the like: each may hold several URLs separated by commas. Every URL
    // must be http:// or https://; a URL given twice counts once. Empty input is an error.
    static Result<ServerList> parse(const QStringList &values);

    bool isEmpty() const { return m_urls.isEmpty(); }
    qsizetype size() const { return m_urls.size(); }
    QUrl current() const { return m_urls.value(m_current); }
    QList<QUrl> urls() const { return m_urls; }
    // Every URL, the current one first, separated by commas: what --server and QUEUEDECK_SERVER
    // take.
    QString joined() const;

    // Moves to the next URL after `failed`, when `failed` is still the current one: several calls
    // that failed together on the same node move on once, not once each. True when it moved.
    bool moveOn(const QUrl &failed);
    // Replaces the list (the nodes a server reported); the current URL stays current when it is
    // still in the list, else the first one is.
    void setUrls(const QList<QUrl> &urls);
    // Makes `url` current, adding it first when it is not in the list.
    void setCurrent(const QUrl &url);

private:
    QList<QUrl> m_urls;
    qsizetype m_current = 0;
};

// The addresses of the live nodes, each once, in the order listed.
QList<QUrl> liveAddresses(const QList<NodeInfo> &nodes);

// A connect command or install script written for one node, made to list every node: the first
// of `nodes` found in `text` (a whole URL) is replaced, everywhere, by all of them separated by
// commas, itself first. With fewer than two nodes, or none found, the text is returned as is.
QString withAllNodes(const QString &text, const QList<QUrl> &nodes);

// Whether a failed call is worth asking another node: the server could not be reached (refused,
// reset, timed out, TLS failed) or answered 503 UNAVAILABLE.
bool isNodeFailure(const Error &error);

} // namespace QueueDeck::Client
