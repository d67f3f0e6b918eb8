// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

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

using PathParams = QHash<QString, QString>;

// Matches "METHOD /path/{param}/…" patterns; tells a path that exists with another method (405)
// from one that does not (404).
template <typename Handler> class Router
{
public:
    void add(const QByteArray &method, const QString &pattern, Access access, Handler handler,
             Audit audit = Audit::No)
    {
        m_routes.append(Route{method, pattern.split(u'/', Qt::SkipEmptyParts), access,
                              std::move(handler), pattern, audit});
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
        const QStringList segments = path.split(u'/', Qt::SkipEmptyParts);
        for (const Route &route : m_routes) {
            PathParams params;
            if (!matches(route.segments, segments, params))
                continue;
            if (route.method != method) {
                result.pathKnown = true;
                continue;
            }
            result.handler = &route.handler;
            result.access = route.access;
            result.audit = route.audit;
            result.params = std::move(params);
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
    struct Route
    {
        QByteArray method;
        QStringList segments;
        Access access;
        Handler handler;
        QString pattern;
        Audit audit;
    };

    static bool matches(const QStringList &pattern, const QStringList &segments, PathParams &params)
    {
        if (pattern.size() != segments.size())
            return false;
        for (qsizetype i = 0; i < pattern.size(); ++i) {
            const QString &part = pattern[i];
            if (part.startsWith(u'{') && part.endsWith(u'}')) {
                if (segments[i].isEmpty())
                    return false;
                params.insert(part.mid(1, part.size() - 2), segments[i]);
            } else if (part != segments[i]) {
                return false;
            }
        }
        return true;
    }

    QList<Route> m_routes;
};

} // namespace QueueDeck::Api
