// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>
#include <QVarLengthArray>

#include <algorithm>
#include <functional>

namespace QueueDeck::Api {

// Who may call a route (design §5).
enum class Access {
    Anyone,
    Admin,
    JoinOrAdmin,     // registering a worker
    Worker,          // the worker named in the path (or the body), with its own credential
    WorkerOrAdmin,   // deregister: the worker itself or an admin
    ProducerOrAdmin, // enqueue to the queues a producer token names
    Read,            // read-only views: the admin or a viewer token
    ProducerOrRead,  // read tasks: a producer token of their queue, a viewer token, the admin
    WorkerOrChild,   // children of a task: the worker holding it, or its child token (qdc_)
};

// Whether calls of a route go to the audit log (the admin actions that change something).
enum class Audit {
    No,
    Yes,
};

// One row of the route table, as the API exposes it to its tests and documentation.
struct RouteEntry
{
    QByteArray method;
    QString pattern;
    Access access;
    Audit audit = Audit::No;
};

// The parameters a matched route's path names ({qid}, …): one to three, so a short list, not a
// hash table built and torn down for every request.
class PathParams
{
public:
    void insert(const QString &name, QString value) { m_items.append({name, std::move(value)}); }
    QString value(QLatin1StringView name) const
    {
        for (const auto &[key, value] : m_items) {
            if (key == name)
                return value;
        }
        return {};
    }
    bool contains(QLatin1StringView name) const
    {
        return std::any_of(m_items.cbegin(), m_items.cend(),
                           [name](const auto &item) { return item.first == name; });
    }
    QStringList values() const
    {
        QStringList out;
        for (const auto &item : m_items)
            out.append(item.second);
        return out;
    }

private:
    QVarLengthArray<std::pair<QString, QString>, 3> m_items;
};

// Matches "METHOD /path/{param}/…" patterns; tells a path that exists with another method (405)
// from one that does not (404).
template <typename Handler> class Router
{
public:
    void add(const QByteArray &method, const QString &pattern, Access access, Handler handler,
             Audit audit = Audit::No)
    {
        Route route{method,
                    pattern.split(u'/', Qt::SkipEmptyParts),
                    {},
                    access,
                    std::move(handler),
                    pattern,
                    audit};
        for (QString &part : route.segments) {
            const bool param = part.startsWith(u'{') && part.endsWith(u'}');
            route.isParam.append(param);
            if (param)
                part = part.mid(1, part.size() - 2);
        }
        const qsizetype segmentCount = route.segments.size();
        m_routes.append(std::move(route));
        if (m_bySegmentCount.size() <= segmentCount)
            m_bySegmentCount.resize(segmentCount + 1);
        m_bySegmentCount[segmentCount].append(m_routes.size() - 1);
    }

    struct Match
    {
        const Handler *handler = nullptr;
        Access access = Access::Admin;
        Audit audit = Audit::No;
        PathParams params;
        bool pathKnown = false; // some route has this path, with another method
        QString pattern;
    };

    Match match(const QByteArray &method, const QString &path) const
    {
        Match result;
        // Views into the path: no list or string is allocated to route a request.
        Segments segments;
        for (const QStringView segment : QStringView(path).tokenize(u'/', Qt::SkipEmptyParts))
            segments.append(segment);
        if (segments.size() >= m_bySegmentCount.size())
            return result;
        // Only the routes with as many segments, in the order they were added.
        for (const qsizetype index : m_bySegmentCount[segments.size()]) {
            const Route &route = m_routes[index];
            if (!matches(route, segments))
                continue;
            if (route.method != method) {
                result.pathKnown = true;
                continue;
            }
            result.handler = &route.handler;
            result.access = route.access;
            result.audit = route.audit;
            for (qsizetype i = 0; i < route.segments.size(); ++i) {
                if (route.isParam[i])
                    result.params.insert(route.segments[i], segments[i].toString());
            }
            result.pattern = route.pattern;
            return result;
        }
        return result;
    }

    // "GET /api/v1/…" for every route, for the route-set check against the documentation.
    QStringList describe() const
    {
        QStringList out;
        for (const Route &route : m_routes)
            out.append(QString::fromLatin1(route.method) + u' ' + route.pattern);
        return out;
    }

    // Every route with who may call it, in the order they were added.
    QList<RouteEntry> table() const
    {
        QList<RouteEntry> out;
        for (const Route &route : m_routes)
            out.append({route.method, route.pattern, route.access, route.audit});
        return out;
    }

private:
    using Segments = QVarLengthArray<QStringView, 16>;

    struct Route
    {
        QByteArray method;
        QStringList segments; // a parameter's segment holds its name, without the braces
        QList<bool> isParam;  // per segment
        Access access;
        Handler handler;
        QString pattern;
        Audit audit;
    };

    // Compares the literal segments only (of a route with as many): the parameters are filled in
    // once a route matched (filling them for every route tried cost more than the rest of the
    // routing). From the last segment back: every path starts /api/v1, its end tells the routes
    // apart.
    static bool matches(const Route &route, const Segments &segments)
    {
        for (qsizetype i = segments.size() - 1; i >= 0; --i) {
            if (route.isParam[i] ? segments[i].isEmpty() : route.segments[i] != segments[i])
                return false;
        }
        return true;
    }

    QList<Route> m_routes;
    QList<QList<qsizetype>>
        m_bySegmentCount; // the indexes in m_routes of the routes with n segments
};

} // namespace QueueDeck::Api
