// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/error.h"

#include <QString>

#include <optional>

namespace QueueDeck {

class PostgresConnection;

// A named lease row in the PostgreSQL database that the nodes of a cluster share (table
// cluster_leases): the leader's lease ("leader") and, in design B of docs/design/scale-out.md,
// one per queue ("queue:<id>"). At most one node holds a lease at a time, until it stops renewing
// it and it expires; every change of holder increments the lease's fencing token. A write that
// must come from the holder runs confirmHeld() in its own transaction first: the row stays
// share-locked until that transaction ends, so a takeover waits for it, and once another node has
// taken the lease the old holder's writes are refused.
//
// Expiry is measured on the database's clock, so the nodes' clocks need not agree.
//
// Thread affinity: that of the connection, which must outlive the lease.
class ClusterLease final
{
public:
    ClusterLease(PostgresConnection &connection, QString name, QString nodeId, qint64 ttlMs);

    // Takes the lease when it is free or expired, or renews it when this node holds it. The
    // fencing token while this node holds it; nothing when another node does.
    Result<std::optional<qint64>> acquireOrRenew();
    // Gives the lease up at once (it expires now), when this node holds it.
    Result<void> release();
    // Inside the caller's transaction: true while this node holds the lease with `token`; the row
    // stays locked against takeover until the transaction ends.
    Result<bool> confirmHeld(qint64 token);
    // confirmHeld held back to travel with the caller's COMMIT (PostgresConnection::defer): the
    // commit fails with SQLSTATE NotHeldState when the lease is not held with `token`.
    void deferConfirm(qint64 token);
    static constexpr const char *NotHeldState = "QDL01";
    // The holder and token as the database has them now (for views and tests).
    Result<std::optional<std::pair<QString, qint64>>> holder();

    const QString &name() const { return m_name; }

private:
    PostgresConnection &m_connection;
    QString m_name;
    QString m_nodeId;
    qint64 m_ttlMs;
};

} // namespace QueueDeck
