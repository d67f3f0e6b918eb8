// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "serverlist.h"

#include <QRegularExpression>

namespace QueueDeck::Client {

ServerList::ServerList(QList<QUrl> urls) : m_urls(std::move(urls)) {}

Result<ServerList> ServerList::parse(const QStringList &values)
{
    QList<QUrl> urls;
    for (const QString &value : values) {
        for (const QString &part : value.split(u',', Qt::SkipEmptyParts)) {
            const QString text = part.trimmed();
            if (text.isEmpty())
                continue;
            const QUrl url(text);
            if (!url.isValid() || url.host().isEmpty() ||
                (url.scheme() != u"http" && url.scheme() != u"https"))
                return makeError(ErrorCode::InvalidArgument,
                                 QStringLiteral("the server must be an http:// or https:// URL "
                                                "(got \"%1\"); give several as a comma-separated "
                                                "list or repeat --server")
                                     .arg(text));
            if (!urls.contains(url))
                urls.append(url);
        }
    }
    if (urls.isEmpty())
        return makeError(ErrorCode::InvalidArgument,
                         QStringLiteral("no server given: pass --server URL (several: repeat it "
                                        "or separate them with commas)"));
    return ServerList(std::move(urls));
}

QString ServerList::joined() const
{
    QStringList out;
    for (qsizetype i = 0; i < m_urls.size(); ++i)
        out.append(m_urls.at((m_current + i) % m_urls.size()).toString());
    return out.join(u',');
}

bool ServerList::moveOn(const QUrl &failed)
{
    if (m_urls.size() < 2 || failed != current())
        return false;
    m_current = (m_current + 1) % m_urls.size();
    return true;
}

void ServerList::setUrls(const QList<QUrl> &urls)
{
    const QUrl was = current();
    m_urls = urls;
    m_current = qMax<qsizetype>(0, m_urls.indexOf(was));
}

void ServerList::setCurrent(const QUrl &url)
{
    qsizetype at = m_urls.indexOf(url);
    if (at < 0) {
        m_urls.prepend(url);
        at = 0;
    }
    m_current = at;
}

QList<QUrl> liveAddresses(const QList<NodeInfo> &nodes)
{
    QList<QUrl> out;
    for (const NodeInfo &node : nodes) {
        const QUrl address = QUrl(node.address).adjusted(QUrl::StripTrailingSlash);
        if (node.alive && address.isValid() && !address.host().isEmpty() && !out.contains(address))
            out.append(address);
    }
    return out;
}

QString withAllNodes(const QString &text, const QList<QUrl> &nodes)
{
    if (nodes.size() < 2)
        return text;
    for (const QUrl &node : nodes) {
        const QString address = node.adjusted(QUrl::StripTrailingSlash).toString();
        // The whole URL: not the start of a longer one (another port, a path).
        const QRegularExpression whole(QRegularExpression::escape(address) +
                                       QStringLiteral("(?![\\w:/.%-])"));
        if (!text.contains(whole))
            continue;
        QStringList all{address};
        for (const QUrl &other : nodes) {
            const QString otherAddress = other.adjusted(QUrl::StripTrailingSlash).toString();
            if (!all.contains(otherAddress))
                all.append(otherAddress);
        }
        QString out = text;
        out.replace(whole, all.join(u','));
        return out;
    }
    return text;
}

bool isNodeFailure(const Error &error)
{
    return error.code == ErrorCode::Unavailable;
}

} // namespace QueueDeck::Client
