// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "clusterlease.h"

#include "postgresconnection.h"

namespace QueueDeck {

ClusterLease::ClusterLease(PostgresConnection &connection, QString name, QString nodeId,
                           qint64 ttlMs)
    : m_connection(connection), m_name(std::move(name)), m_nodeId(std::move(nodeId)), m_ttlMs(ttlMs)
{}

Result<std::optional<qint64>> ClusterLease::acquireOrRenew()
{
    // One statement: a new row, a renewal by the holder, or a takeover of an expired lease (a
    // new holder, a new token). A lease held by another node and not expired is left alone and
    // the statement answers no row.
    auto r = m_connection.run(
        "INSERT INTO cluster_leases(name, holder, token, expires_at) VALUES($1, $2, 1, "
        "clock_timestamp() + $3::bigint * interval '1 millisecond') ON CONFLICT(name) DO UPDATE "
        "SET holder=excluded.holder, token=CASE WHEN cluster_leases.holder=excluded.holder THEN "
        "cluster_leases.token ELSE cluster_leases.token+1 END, expires_at=excluded.expires_at "
        "WHERE cluster_leases.holder=excluded.holder OR cluster_leases.expires_at<="
        "clock_timestamp() RETURNING token",
        PostgresParams().add(m_name).add(m_nodeId).add(m_ttlMs), "take or renew a lease");
    if (!r)
        return std::unexpected(r.error());
    if (r->rows() == 0)
        return std::optional<qint64>();
    return std::optional<qint64>(r->integer(0, 0));
}

Result<void> ClusterLease::release()
{
    auto r = m_connection.run("UPDATE cluster_leases SET expires_at=clock_timestamp() WHERE "
                              "name=$1 AND holder=$2",
                              PostgresParams().add(m_name).add(m_nodeId), "give a lease up");
    if (!r)
        return std::unexpected(r.error());
    return {};
}

Result<bool> ClusterLease::confirmHeld(qint64 token)
{
    auto r =
        m_connection.run("SELECT 1 FROM cluster_leases WHERE name=$1 AND holder=$2 AND "
                         "token=$3 AND expires_at>clock_timestamp() FOR SHARE",
                         PostgresParams().add(m_name).add(m_nodeId).add(token), "check a lease");
    if (!r)
        return std::unexpected(r.error());
    return r->rows() == 1;
}

void ClusterLease::deferConfirm(qint64 token)
{
    m_connection.defer("SELECT queuedeck_confirm_lease($1, $2, $3)",
                       PostgresParams().add(m_name).add(m_nodeId).add(token), "check a lease");
}

Result<std::optional<std::pair<QString, qint64>>> ClusterLease::holder()
{
    auto r = m_connection.run("SELECT holder, token FROM cluster_leases WHERE name=$1 AND "
                              "expires_at>clock_timestamp()",
                              PostgresParams().add(m_name), "read a lease");
    if (!r)
        return std::unexpected(r.error());
    if (r->rows() == 0)
        return std::optional<std::pair<QString, qint64>>();
    return std::optional<std::pair<QString, qint64>>(std::pair(r->text(0, 0), r->integer(0, 1)));
}

} // namespace QueueDeck
