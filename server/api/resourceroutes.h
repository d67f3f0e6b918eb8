// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// The route table of design §6, one resource per file: each file holds its handlers (parse,
// authorise, call the engine, serialise) and, at its end, the table of its routes, one line each
// (method, path, who may call it, handler, whether it is audited). A table holds no logic.
//
// A new resource is its file (xxxroutes.cpp), its line in CMakeLists.txt and its line below.

#include "apicontext.h"

namespace QueueDeck::Api {

void addSystemRoutes(RouteTable &table);      // systemroutes.cpp: health, version, OpenAPI
void addEnvironmentRoutes(RouteTable &table); // environmentroutes.cpp
void addQueueRoutes(RouteTable &table);       // queueroutes.cpp: worker queues, connect commands
void addTaskRoutes(RouteTable &table);        // taskroutes.cpp: enqueue, read, cancel, logs
void addWorkerRoutes(RouteTable &table);      // workerroutes.cpp: register, lease, complete
void addTokenRoutes(RouteTable &table);       // tokenroutes.cpp: producer and viewer tokens
void addAuditRoutes(RouteTable &table);       // auditroutes.cpp
void addDashboardRoutes(RouteTable &table);   // dashboardroutes.cpp: dashboard, metrics
void addEventRoutes(RouteTable &table);       // eventroutes.cpp: the event stream
void addBackupRoutes(RouteTable &table);      // backuproutes.cpp: online backups
void addFaktoryRoutes(RouteTable &table);     // faktoryroutes.cpp: the Faktory listener's password
void addScheduleRoutes(RouteTable &table);    // scheduleroutes.cpp: schedules and their fires
void addRunRoutes(RouteTable &table);         // runroutes.cpp: runs and children of a task
void addTypeMetricsRoutes(RouteTable &table); // typemetricsroutes.cpp: metrics per task type
void addNodeRoutes(RouteTable &table);        // noderoutes.cpp: the nodes of a cluster

inline void addResourceRoutes(RouteTable &table)
{
    for (const auto add : {&addSystemRoutes, &addEnvironmentRoutes, &addQueueRoutes, &addTaskRoutes,
                           &addWorkerRoutes, &addTokenRoutes, &addAuditRoutes, &addDashboardRoutes,
                           &addEventRoutes, &addBackupRoutes, &addFaktoryRoutes, &addScheduleRoutes,
                           &addRunRoutes, &addTypeMetricsRoutes, &addNodeRoutes})
        add(table);
}

} // namespace QueueDeck::Api
