// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/metrictypes.h"

#include <QByteArray>

// The Prometheus text exposition (format 0.0.4) of GET /metrics: per-queue gauges and the
// workers online, from one dashboard snapshot.
namespace QueueDeck::Api::PrometheusText {

inline constexpr char ContentType[] = "text/plain; version=0.0.4";

QByteArray fromDashboard(const DashboardSnapshot &snapshot);

} // namespace QueueDeck::Api::PrometheusText
