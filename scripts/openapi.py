#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Writes the OpenAPI 3.0 document of the QueueDeck HTTP API (server/api/openapi.json).

The document is the contract the server is tested against: tests/validate_responses.py checks
every answer the integration tests received against it, and tst_api checks that the routes the
server serves and the routes documented here are the same set.

    scripts/openapi.py            # rewrite server/api/openapi.json
    scripts/openapi.py --check    # exit 1 when the committed file is out of date
"""

import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "server" / "api" / "openapi.json"
VERSION = re.search(r"project\(QueueDeck VERSION ([0-9.]+)",
                    (ROOT / "CMakeLists.txt").read_text()).group(1)


# --- schema helpers ---------------------------------------------------------------------------

def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props, required=None, extra=False, description=None):
    """An object; answers list every field as required unless told otherwise."""
    schema = {"type": "object", "properties": props, "additionalProperties": extra}
    req = list(props) if required is None else required
    if req:
        schema["required"] = req
    if description:
        schema["description"] = description
    return schema


def request(props, required=(), description=None):
    """A request body: unknown fields are refused by the server."""
    return obj(props, list(required), False, description)


def arr(items):
    return {"type": "array", "items": items}


def nullable(schema):
    return dict(schema, nullable=True)


STR = {"type": "string"}
INT = {"type": "integer", "format": "int64"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time"}
TIME_IN = {"description": "RFC 3339 time with a zone, or milliseconds since 1970",
           "oneOf": [TIME, INT]}
ANY = {"description": "any JSON value"}
LABELS = {"type": "object", "additionalProperties": STR}
NULLSTR = nullable(STR)
NULLTIME = nullable(TIME)


def enum(*values):
    return {"type": "string", "enum": list(values)}


SETTINGS = {
    "display_name": STR, "description": STR, "runner_name": STR,
    "max_workers": dict(INT, description="0: unlimited"),
    "concurrency": dict(INT, description="tasks running at once across the queue; 0: unlimited"),
    "max_per_key": dict(INT, description="running tasks per concurrency key; 0: unlimited"),
    "max_depth": dict(INT, description="waiting tasks before enqueue answers 429; 0: unlimited"),
    "rate_limit": dict(NUM, description="dispatches per second; 0: unlimited"),
    "priority": INT, "max_queued_time_s": INT, "task_timeout_s": INT, "worker_timeout_s": INT,
    "max_attempts": INT, "initial_backoff_ms": INT, "multiplier": NUM, "max_backoff_ms": INT,
    "retention_s": INT, "paused": BOOL,
    "max_active_runs": dict(INT, description="runs rooted in the queue active at once; roots "
                            "wait, children never do; 0: unlimited"),
    "child_queues": dict(arr(STR), description="queue ids children of its tasks may go into "
                         "besides this queue"),
}

SCHEMAS = {
    "Error": obj({"error": obj({
        "code": enum("INVALID_ARGUMENT", "UNAUTHENTICATED", "PERMISSION_DENIED", "NOT_FOUND",
                     "METHOD_NOT_ALLOWED", "ALREADY_EXISTS", "FAILED_PRECONDITION",
                     "PAYLOAD_TOO_LARGE", "HEADERS_TOO_LARGE", "RESOURCE_EXHAUSTED",
                     "UNAVAILABLE", "INTERNAL"),
        "message": STR,
        "details": {"type": "object"},
    })}),
    "Health": obj({"status": enum("ok")}),
    "Version": obj({"version": STR, "api": enum("v1"), "oldest_agent_version": STR,
                    "newest_agent_version": STR,
                    "tls_fingerprint": dict(STR, description=(
                        "sha256:AB:CD:… of the self-signed certificate served, for convenience: "
                        "clients pin what they were told out of band"))},
                   ["version", "api", "oldest_agent_version", "newest_agent_version"],
                   description="the server's version and the worker agent (qdeck) versions "
                               "it registers: oldest_agent_version up to newest_agent_version "
                               "(its own major.minor, any patch)"),
    "Backup": obj({"id": STR, "state": enum("running", "done", "failed"), "pages_done": INT,
                   "pages_total": INT, "size_bytes": INT, "path": STR, "error": STR},
                  required=["id", "state", "pages_done", "pages_total", "size_bytes", "path"],
                  description="an online backup of the server's database, written into "
                              "<data-dir>/backups/<id>.db on the server"),
    "BackupDeleted": obj({"deleted": BOOL}),
    "FaktoryPassword": obj({"password": STR}, required=["password"],
                           description="the Faktory listener's password (docs/faktory.md); "
                                       "Faktory clients give it in their URL, "
                                       "tcp://:PASSWORD@host:7419"),
    "EnvironmentCreate": request({"name": STR, "description": STR, "auto_create": BOOL},
                                 ["name"]),
    "Environment": obj({"name": STR, "description": STR, "auto_create": BOOL,
                        "created_at": TIME}),
    "QueueCreate": request(dict({"name": STR}, **SETTINGS), ["name"]),
    "QueuePatch": request(dict({"name": STR}, **SETTINGS)),
    "Queue": obj(dict(SETTINGS, **{
        "id": STR, "environment": STR, "name": STR,
        "status": enum("Active", "Idle", "Paused"),
        "created_at": TIME,
        "counts": obj({k: INT for k in (
            "queued", "scheduled", "running", "succeeded", "dead", "cancelled", "depth",
            "backlog", "unfinished", "oldest_queued_age_ms", "active_runs", "waiting_runs")}),
        "workers": obj({"online": INT, "lost": INT, "slots_used": INT, "capacity": INT}),
    })),
    "QueueCard": obj(dict(SETTINGS, **{
        "id": STR, "environment": STR, "name": STR,
        "status": enum("Active", "Idle", "Paused"),
        "created_at": TIME,
        "counts": ref("Queue/properties/counts"),
        "workers": ref("Queue/properties/workers"),
        "add_rate": NUM, "completion_rate": NUM, "failure_rate": NUM, "wait_p95_ms": NUM,
        "last": ref("MetricPoint"),  # the latest one-second sample
    })),
    "WorkerCommand": obj({"command": STR, "queue_id": STR, "server_url": STR,
                          "platform": enum("local"), "handler_placeholder": STR,
                          "server_fingerprint": dict(STR, description=(
                              "sha256:AB:CD:… of the server's self-signed certificate, which "
                              "the command pins with --server-fingerprint; absent without one"))},
                         ["command", "queue_id", "server_url", "platform", "handler_placeholder"],
                         description="For a viewer token the join token in the command is "
                                     "JOIN_TOKEN_HIDDEN_ASK_AN_ADMIN."),
    "Worker": obj({
        "id": STR, "queue_ids": arr(STR), "hostname": STR, "pid": INT, "version": STR,
        "concurrency": INT, "labels": LABELS,
        "capabilities": {"type": "object", "description": "as the worker registered them"},
        "status": {"type": "string",
                   "description": "as the worker's last heartbeat reported it (empty: none yet)"},
        "state": enum("active", "idle", "draining", "lost"),
        "registered_at": TIME, "last_heartbeat_at": TIME,
        "running": INT, "done": INT, "failed": INT,
    }),
    "EnqueueRequest": request({
        "type": STR, "payload": ANY, "priority": INT, "run_at": TIME_IN, "delay_ms": INT,
        "idempotency_key": STR, "concurrency_key": STR, "required_labels": LABELS,
        "worker_id": STR, "timeout_s": INT, "max_attempts": INT, "max_queued_time_s": INT,
        "deadline": TIME_IN,
    }, ["type"]),
    "EnqueueBatch": request({"tasks": arr(ref("EnqueueRequest"))}, ["tasks"]),
    "EnqueuedIds": obj({"ids": arr(STR)}),
    "TaskId": obj({"id": STR}, description="an enqueue's answer under Prefer: return=minimal"),
    "BulkRequest": request({
        "action": enum("retry", "cancel", "delete"),
        "filter": request({"state": enum("scheduled", "queued", "running", "succeeded", "dead",
                                         "cancelled"),
                           "type": STR, "q": STR}),
    }, ["action"]),
    "BulkResult": obj({"affected": INT}),
    "Task": obj({
        "id": STR, "queue_id": STR,
        "state": enum("scheduled", "queued", "running", "succeeded", "dead", "cancelled"),
        "type": STR, "payload": ANY, "priority": INT, "enqueued_at": TIME, "run_at": TIME,
        "attempts": INT, "max_attempts": INT, "timeout_s": INT, "deadline": NULLTIME,
        "expires_at": NULLTIME, "idempotency_key": NULLSTR, "concurrency_key": NULLSTR,
        "required_labels": LABELS, "worker_id": NULLSTR, "leased_by": NULLSTR,
        "lease_expires_at": NULLTIME, "started_at": NULLTIME, "finished_at": NULLTIME,
        "error": NULLSTR, "result": ANY,
        "dead_reason": nullable(enum("attempts_exhausted", "non_retryable", "expired")),
        "cancel_requested": BOOL,
        "parent_id": dict(NULLSTR, description="the task whose worker enqueued this one"),
        "run_id": dict(STR, description="the id of its run's root; its own id for a root"),
    }),
    "RegisterRequest": request({
        "worker_id": STR, "queue_id": STR, "queue_ids": arr(STR), "queue_name": STR,
        "environment": STR, "hostname": STR, "pid": INT, "version": STR, "concurrency": INT,
        "capabilities": {"type": "object"}, "labels": LABELS,
        "join_tokens": dict(LABELS, description="a join token per queue id, beside the one in "
                            "the Authorization header: for a worker on several queues"),
    }, description="Name the queue with queue_id, queue_ids, or queue_name (+ environment). "
                   "queue_name without environment is first read as a queue of environment "
                   "default, then as environment.queue split at the first dot; when both "
                   "readings name a queue the answer is 400. A worker_id that exists is taken "
                   "over only by a caller authorised for every queue it holds (its own "
                   "credential, the admin token, or join tokens of those queues), else 409 "
                   "ALREADY_EXISTS; each queue asked for needs its join token (header or "
                   "join_tokens), the admin token, or to be held already by the worker itself "
                   "(403 otherwise)."),
    "Registration": obj({"worker_id": STR, "credential": STR, "heartbeat_interval_s": INT,
                         "worker_timeout_s": INT}),
    "HeartbeatRequest": request({"worker_id": STR, "status": STR, "queue_name": STR,
                                 "running": arr(STR)}),
    "HeartbeatReply": obj({"state": enum("run", "drain", "stop"), "cancel": arr(STR)}),
    "LeaseRequest": request({"max": INT, "wait_ms": dict(INT, maximum=60000)}),
    "LeasedTask": obj({"id": STR, "lease_id": STR, "queue_id": STR, "type": STR,
                       "payload": ANY, "attempt": INT, "timeout_s": INT, "deadline": NULLTIME}),
    "LeaseReply": obj({"tasks": arr(ref("LeasedTask"))}),
    "Ack": request({"task_id": STR, "lease_id": STR, "result": ANY}, ["task_id", "lease_id"]),
    "Fail": request({"task_id": STR, "lease_id": STR, "error": STR, "retryable": BOOL},
                    ["task_id", "lease_id"]),
    "CompleteRequest": request({"acks": arr(ref("Ack")), "fails": arr(ref("Fail")),
                                "lease": dict(ref("LeaseRequest"),
                                              description="then lease more, answered with them")}),
    "SingleAck": request({"lease_id": STR, "result": ANY}, ["lease_id"]),
    "SingleFail": request({"lease_id": STR, "error": STR, "retryable": BOOL}, ["lease_id"]),
    "ItemOutcome": obj({"task_id": STR, "ok": BOOL, "state": STR, "error": ref("ErrorDetail")},
                       ["task_id", "ok"],
                       description="ok: the task's state after the call; otherwise its error"),
    "CompleteReply": obj({"results": arr(ref("ItemOutcome")), "tasks": arr(ref("LeasedTask"))},
                         ["results"], description="tasks: only when the request asked to lease"),
    "ExtendRequest": request({"lease_id": STR}, ["lease_id"]),
    "ExtendReply": obj({"lease_expires_at": TIME}),
    "LogAppend": request({"lease_id": STR,
                          "lines": arr(request({"line": STR, "stream": enum("stdout", "stderr")},
                                               ["line"]))},
                         ["lease_id", "lines"]),
    "LogAppended": obj({"appended": INT}),
    "LogLine": obj({"id": INT, "at": TIME, "stream": STR, "line": STR}),
    "ProducerTokenCreate": request({"name": STR, "queue_ids": arr(STR)}, ["name", "queue_ids"]),
    "ProducerToken": obj({"name": STR, "queue_ids": arr(STR), "created_at": TIME,
                          "token": dict(STR, description="only in the answer that creates it")},
                         ["name", "queue_ids", "created_at"]),
    "ViewerTokenCreate": request({"name": STR}, ["name"]),
    "ViewerToken": obj({"name": STR, "created_at": TIME,
                        "token": dict(STR, description="qdv_…: only in the answer that creates it")},
                       ["name", "created_at"]),
    "AuditEntry": obj({"id": INT, "at": TIME, "actor_kind": STR, "actor": STR, "action": STR,
                       "target": STR}),
    "Dashboard": obj({
        "active_workers": INT, "queues": INT, "slots_used": INT, "capacity": INT,
        "capacity_unlimited": BOOL, "throughput": NUM, "error_rate": NUM, "updated_at": TIME,
        "total": ref("MetricPoint"),  # the whole server's latest one-second sample
        "cards": arr(ref("QueueCard")),
    }),
    "MetricPoint": obj(dict({"at": TIME}, **{k: NUM for k in (
        "depth", "scheduled", "running", "dead", "oldest_queued_age_ms", "add_rate",
        "dispatch_rate", "completion_rate", "failure_rate", "wait_p50_ms", "wait_p95_ms",
        "wait_p99_ms", "run_p50_ms", "run_p95_ms", "run_p99_ms", "workers_online",
        "workers_lost", "slots_used", "capacity")})),
    "MetricSeries": obj(dict({"queue_id": NULLSTR, "step_ms": INT,
                              "points": arr(ref("MetricPoint"))},
                             **{k: NUM for k in ("wait_p50_ms", "wait_p95_ms", "wait_p99_ms",
                                                 "run_p50_ms", "run_p95_ms", "run_p99_ms")})),
    "Deleted": obj({"deleted": BOOL}),
    "Purged": obj({"purged": INT}),
    "Deregistered": obj({"deregistered": BOOL}),
    "Revoked": obj({"revoked": BOOL}),
}


def page_of(item):
    return obj({"items": arr(ref(item)), "next_cursor": NULLSTR})


# Schedules (docs/schedules.md).
SCHEDULE_TASK = request({
    "type": STR, "payload": ANY, "priority": INT, "delay_ms": INT,
    "idempotency_key": STR, "concurrency_key": STR, "required_labels": LABELS,
    "worker_id": STR, "timeout_s": INT, "max_attempts": INT, "max_queued_time_s": INT,
}, ["type"], "the task each fire enqueues: an enqueue body without run_at and deadline")
SCHEDULE_FIELDS = {
    "name": STR,
    "spec": dict(STR, description="cron with 5 or 6 fields, @yearly @annually @monthly @weekly "
                                  "@daily @midnight @hourly, or every DURATION [phase DURATION]"),
    "time_zone": dict(STR, description="IANA name; default UTC"),
    "start_at": nullable(TIME_IN), "end_at": nullable(TIME_IN),
    "jitter_s": dict(INT, description="each task's run_at is 0..jitter_s later than its fire"),
    "queue_id": STR, "task": ref("ScheduleTask"),
    "overlap": enum("skip", "buffer_one", "allow_all"),
    "catchup_window_s": dict(INT, description="fires missed while the server was down, at most "
                                              "this old, run once each; older ones are missed"),
    "paused": BOOL,
}
# Metrics per task type (the top max_types of each queue apart, the rest as one "other" row).
SCHEMAS["TypeMetricsRow"] = obj(dict(
    {"type": STR, "other": BOOL,
     "run_histogram": arr(obj({"up_to_ms": INT, "count": INT}))},
    **{k: INT for k in ("processed", "failed", "started", "run_p50_ms", "run_p95_ms",
                        "run_p99_ms", "wait_p50_ms", "wait_p95_ms", "wait_p99_ms")}))
SCHEMAS["TypeMetrics"] = obj({"queue_id": NULLSTR, "range": STR, "max_types": INT,
                              "types": arr(ref("TypeMetricsRow"))})
SCHEMAS["ScheduleTask"] = SCHEDULE_TASK
SCHEMAS["ScheduleCreate"] = request(SCHEDULE_FIELDS, ["name", "spec", "queue_id", "task"])
SCHEMAS["SchedulePatch"] = request(SCHEDULE_FIELDS)
SCHEMAS["ScheduleFire"] = obj({
    "schedule_id": STR, "fire_time": TIME, "kind": enum("scheduled", "manual", "backfill"),
    "outcome": enum("started", "skipped_overlap", "missed", "failed_to_enqueue", "buffered"),
    "reason": STR, "task_id": NULLSTR,
    "run_id": dict(NULLSTR, description="the run the fire started: its root task's id"),
    "recorded_at": TIME})
SCHEMAS["Schedule"] = obj(dict(dict(SCHEDULE_FIELDS, start_at=NULLTIME, end_at=NULLTIME,
                                    task=ref("EnqueueRequest")), **{
    "id": STR, "description": dict(STR, description="e.g. At 02:00 every day, Europe/Berlin"),
    "created_at": TIME, "updated_at": TIME, "next_fire_at": NULLTIME,
    "last_fire": nullable(ref("ScheduleFire")),
}))
SCHEMAS["SchedulePreviewRequest"] = request({
    "spec": STR, "time_zone": STR, "start_at": TIME_IN, "end_at": TIME_IN,
    "after": dict(TIME_IN, description="default: now"),
    "count": dict(INT, minimum=1, maximum=50, description="default 5")}, ["spec"])
SCHEMAS["SchedulePreview"] = obj({"description": STR, "next_fires": arr(TIME)})
SCHEMAS["BackfillRequest"] = request({"from": TIME_IN, "to": TIME_IN}, ["from", "to"])
SCHEMAS["BackfillResult"] = obj({"started": INT, "already_recorded": INT, "failed": INT})
SCHEMAS["ScheduleDeleted"] = obj({"deleted": BOOL})


for name in ("Environment", "Queue", "Worker", "Task", "LogLine", "ProducerToken",
             "ViewerToken", "AuditEntry", "Schedule", "ScheduleFire"):
    SCHEMAS[name + "Page"] = page_of(name)

# $refs into a schema's properties are not JSON pointers OpenAPI tools all follow: spell the two
# shared parts out as schemas of their own.
SCHEMAS["Counts"] = SCHEMAS["Queue"]["properties"]["counts"]
SCHEMAS["WorkerSlots"] = SCHEMAS["Queue"]["properties"]["workers"]
SCHEMAS["ErrorDetail"] = SCHEMAS["Error"]["properties"]["error"]
SCHEMAS["Error"]["properties"]["error"] = ref("ErrorDetail")
SCHEMAS["Queue"]["properties"]["counts"] = ref("Counts")
SCHEMAS["Queue"]["properties"]["workers"] = ref("WorkerSlots")
SCHEMAS["QueueCard"]["properties"]["counts"] = ref("Counts")
SCHEMAS["QueueCard"]["properties"]["workers"] = ref("WorkerSlots")


# --- operations -------------------------------------------------------------------------------

ACCESS = {
    "anyone": [],
    "admin": [{"adminToken": []}],
    "read": [{"adminToken": []}, {"viewerToken": []}],
    "producer": [{"adminToken": []}, {"producerToken": []}],
    "producer-or-read": [{"adminToken": []}, {"viewerToken": []}, {"producerToken": []}],
    "join": [{"adminToken": []}, {"joinToken": []}],
    "join-or-worker": [{"adminToken": []}, {"joinToken": []}, {"workerCredential": []}],
    "worker": [{"workerCredential": []}],
    "worker-or-admin": [{"adminToken": []}, {"workerCredential": []}],
    "worker-or-child": [{"workerCredential": []}, {"childToken": []}],
}

PARAMS = {
    "env": "environment name", "qid": "queue id", "tid": "task id", "id": "worker id",
    "name": "queue name (enqueue by name), producer or viewer token name",
    "bid": "backup id, e.g. b_20261130T170512Z",
    "sid": "schedule id, e.g. s_8k2m4xa9bc",
    "rid": "run id: the id of the run's root task",
}


def json_body(schema_name):
    return {"required": True,
            "content": {"application/json": {"schema": ref(schema_name)}}}


def answer(schema_name, description="OK"):
    return {"description": description,
            "content": {"application/json": {"schema": ref(schema_name)}}}


def text_answer(media, description):
    """media: one media type, or several (the answer comes as one of them)."""
    types = [media] if isinstance(media, str) else media
    return {"description": description, "content": {kind: {"schema": STR} for kind in types}}


def query(name, description, schema=STR):
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


PATHS = {}

PREFER = {"name": "Prefer", "in": "header", "required": False,
          "description": "return=minimal: the answer holds the task's id only, and says "
                         "Preference-Applied: return=minimal (RFC 7240); any other preference "
                         "is ignored",
          "schema": STR}


def enqueue_answer(description):
    """The task, or its id alone when the producer asked for return=minimal."""
    return {"description": description,
            "content": {"application/json": {"schema": {"oneOf": [ref("Task"),
                                                                  ref("TaskId")]}}}}


def op(method, path, summary, access, response, status="200", body=None, params=(),
       extra_responses=None, absolute=False):
    """One route; path as the server spells it, under /api/v1 unless absolute."""
    full = path if absolute else "/api/v1" + path
    operation = {"summary": summary, "x-queuedeck-access": access,
                 "security": ACCESS[access], "responses": {}}
    names = [part[1:-1] for part in full.split("/") if part.startswith("{")]
    parameters = [{"name": n, "in": "path", "required": True, "description": PARAMS[n],
                   "schema": STR} for n in names]
    parameters += list(params)
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = json_body(body)
    operation["responses"][status] = response
    for code, value in (extra_responses or {}).items():
        operation["responses"][code] = value
    operation["responses"]["default"] = {"$ref": "#/components/responses/Error"}
    PATHS.setdefault(full, {})[method.lower()] = operation


WORKER_LOST = {
    "404": {"description": "the worker is unknown, or was declared lost (no sign of life within "
                           "its queues' worker_timeout_s) and its slot was taken: details.reason "
                           "is \"worker_lost\". Every call a worker makes with its credential "
                           "(heartbeat, lease, complete, ack, fail, extend, logs) is a sign of "
                           "life, and a call from a lost worker whose slots are still free brings "
                           "it back; on worker_lost the worker registers again at once.",
            "content": {"application/json": {"schema": ref("Error")}}},
}


def define():
    op("GET", "/health", "Liveness", "anyone", answer("Health"))
    op("GET", "/version", "Server version", "anyone", answer("Version"))
    op("GET", "/openapi.json", "This document", "anyone",
       {"description": "OpenAPI 3.0 document",
        "content": {"application/json": {"schema": {"type": "object"}}}})
    op("GET", "/environments", "List environments", "read", answer("EnvironmentPage"))
    op("POST", "/environments", "Create an environment", "admin", answer("Environment"),
       "201", "EnvironmentCreate")
    op("DELETE", "/environments/{env}", "Delete an environment (refused for default and while "
       "it holds queues: FAILED_PRECONDITION)", "admin", answer("Deleted"))
    op("POST", "/environments/{env}/worker-queues", "Create a queue", "admin", answer("Queue"),
       "201", "QueueCreate")
    op("GET", "/worker-queues", "List queues with live counts", "read", answer("QueuePage"),
       params=[query("environment", "only this environment's queues")])
    op("GET", "/environments/{env}/worker-queues", "List an environment's queues", "read",
       answer("QueuePage"))
    op("GET", "/worker-queues/{qid}", "One queue", "read", answer("Queue"))
    op("PATCH", "/worker-queues/{qid}", "Change settings", "admin", answer("Queue"),
       body="QueuePatch")
    op("DELETE", "/worker-queues/{qid}", "Delete a queue", "admin", answer("Deleted"),
       params=[query("force", "true: delete even with unfinished tasks",
                     enum("true", "false"))])
    op("POST", "/worker-queues/{qid}/pause", "Pause dispatching", "admin", answer("Queue"))
    op("POST", "/worker-queues/{qid}/resume", "Resume dispatching", "admin", answer("Queue"))
    op("POST", "/worker-queues/{qid}/purge", "Delete every waiting task", "admin",
       answer("Purged"))
    op("POST", "/worker-queues/{qid}/rotate-token", "New join token; the old one stops working",
       "admin", answer("Queue"))
    op("GET", "/worker-queues/{qid}/worker-command", "The connect command for a worker",
       "read", answer("WorkerCommand"),
       params=[query("platform", "local (docker and kubernetes: install-script)",
                     enum("local"))])
    op("GET", "/worker-queues/{qid}/install-script", "Install script or manifest of a worker",
       "read", text_answer(["text/x-shellscript", "application/yaml"],
                           "the install script (local, docker: text/x-shellscript) or the "
                           "manifest (kubernetes: application/yaml)"),
       params=[query("platform", "where the worker runs",
                     enum("local", "docker", "kubernetes")),
               query("image", "docker and kubernetes: the worker image to run, built from "
                     "packaging/worker.Dockerfile and pushed to your registry (default "
                     "queuedeck-worker:<server version>)",
                     {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$"})])
    op("GET", "/worker-queues/{qid}/workers", "Workers of a queue", "read",
       answer("WorkerPage"))
    op("GET", "/workers", "All workers", "read", answer("WorkerPage"))
    op("POST", "/worker-queues/{qid}/tasks", "Enqueue one task", "producer",
       enqueue_answer("created"), "201", "EnqueueRequest", params=[PREFER],
       extra_responses={"200": enqueue_answer("an existing task with the same idempotency key")})
    op("POST", "/worker-queues/{qid}/tasks:batch", "Enqueue many, all or nothing", "producer",
       answer("EnqueuedIds"), "201", "EnqueueBatch",
       extra_responses={"400": {"description": "INVALID_ARGUMENT; a batch of more than 10000 "
                                               "tasks is refused before it is parsed "
                                               "(details.max_tasks)",
                                "content": {"application/json": {"schema": ref("Error")}}}})
    op("POST", "/worker-queues/{qid}/tasks:bulk", "Retry, cancel or delete what matches",
       "admin", answer("BulkResult"), body="BulkRequest")
    op("POST", "/environments/{env}/queues/{name}/tasks",
       "Enqueue by queue name (creates the queue when the environment allows); made or found "
       "by its idempotency key, the answer is 201", "producer",
       enqueue_answer("created, or found by its idempotency key"), "201", "EnqueueRequest",
       params=[PREFER])
    op("GET", "/worker-queues/{qid}/tasks", "Search tasks", "producer-or-read", answer("TaskPage"),
       params=[query("state", "one state",
                     enum("scheduled", "queued", "running", "succeeded", "dead", "cancelled")),
               query("type", "task type"),
               query("q", "text in the id or the payload"),
               query("cursor", "next_cursor of the page before"),
               query("limit", "at most this many (1–1000, default 100)", INT)])
    op("GET", "/tasks/{tid}", "One task", "producer-or-read", answer("Task"),
       params=[query("wait_s", "wait up to this long for the task to finish", NUM)])
    op("POST", "/tasks/{tid}/cancel", "Cancel a task", "admin", answer("Task"))
    op("POST", "/tasks/{tid}/retry", "Run a finished task again", "admin", answer("Task"))
    op("DELETE", "/tasks/{tid}", "Delete a task", "admin", answer("Deleted"))
    op("POST", "/workers/register", "Register a worker", "join-or-worker",
       answer("Registration"), "201", "RegisterRequest",
       extra_responses={"409": {"description": "ALREADY_EXISTS: the worker_id exists on a queue "
                                               "the caller is not authorised for; "
                                               "FAILED_PRECONDITION with details.reason = "
                                               "\"version\" when the agent's version is outside "
                                               "what GET /version names (details.upgrade says "
                                               "which side: agent or server)",
                                "content": {"application/json": {"schema": ref("Error")}}}})
    op("POST", "/workers/{id}/heartbeat", "Heartbeat", "worker", answer("HeartbeatReply"),
       body="HeartbeatRequest",
       extra_responses=WORKER_LOST)
    op("POST", "/workers/heartbeat", "Heartbeat, worker id in the body", "worker",
       answer("HeartbeatReply"), body="HeartbeatRequest",
       extra_responses=WORKER_LOST)
    op("POST", "/workers/{id}/lease", "Lease tasks, waiting up to wait_ms for work", "worker",
       answer("LeaseReply"), body="LeaseRequest",
       extra_responses=WORKER_LOST)
    op("POST", "/workers/{id}/complete", "Acknowledge and fail tasks in one call", "worker",
       answer("CompleteReply"), body="CompleteRequest",
       extra_responses=WORKER_LOST)
    op("POST", "/tasks/{tid}/ack", "Acknowledge one task", "worker", answer("ItemOutcome"),
       body="SingleAck",
       extra_responses=WORKER_LOST)
    op("POST", "/tasks/{tid}/fail", "Fail one task", "worker", answer("ItemOutcome"),
       body="SingleFail",
       extra_responses=WORKER_LOST)
    op("POST", "/tasks/{tid}/extend", "Extend a lease", "worker", answer("ExtendReply"),
       body="ExtendRequest",
       extra_responses=WORKER_LOST)
    op("POST", "/tasks/{tid}/logs", "Append log lines of a leased task", "worker",
       answer("LogAppended"), body="LogAppend",
       extra_responses=WORKER_LOST)
    op("GET", "/tasks/{tid}/logs", "Log lines of a task", "producer-or-read", answer("LogLinePage"),
       params=[query("after", "the id of the last line already read", INT),
               query("limit", "at most this many lines (default 1000)", INT)])
    op("POST", "/workers/{id}/drain", "Finish what runs, take nothing new", "admin",
       answer("Worker"))
    op("DELETE", "/workers/{id}", "Deregister", "worker-or-admin", answer("Deregistered"))
    op("POST", "/producer-tokens", "Create a producer token (shown once)", "admin",
       answer("ProducerToken"), "201", "ProducerTokenCreate")
    op("GET", "/producer-tokens", "List producer tokens", "read", answer("ProducerTokenPage"))
    op("DELETE", "/producer-tokens/{name}", "Revoke a producer token", "admin",
       answer("Revoked"))
    op("POST", "/viewer-tokens", "Create a read-only viewer token (shown once)", "admin",
       answer("ViewerToken"), "201", "ViewerTokenCreate")
    op("GET", "/viewer-tokens", "List viewer tokens", "read", answer("ViewerTokenPage"))
    op("DELETE", "/viewer-tokens/{name}", "Revoke a viewer token", "admin", answer("Revoked"))
    op("POST", "/admin/backups", "Start an online backup of the database (one at a time)",
       "admin", answer("Backup", "the backup, running"), "202")
    op("GET", "/admin/backups/{bid}", "A backup's state and progress", "admin", answer("Backup"))
    op("GET", "/admin/backups/{bid}/content", "Download a finished backup, in chunks",
       "admin", {"description": "up to `length` bytes of the file from `offset`; the header "
                                "X-QueueDeck-Backup-Size gives the whole size",
                 "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                     "format": "binary"}}}},
       params=[query("offset", "where to start (default 0)", INT),
               query("length", "at most this many bytes (default and most 8 MiB)", INT)])
    op("DELETE", "/admin/backups/{bid}", "Remove a finished backup from the server", "admin",
       answer("BackupDeleted"))
    op("GET", "/admin/faktory-password", "The Faktory listener's password (made when missing)",
       "admin", answer("FaktoryPassword"))
    op("POST", "/admin/faktory-password/rotate",
       "A new Faktory listener password; the old one is refused from the next connection on",
       "admin", answer("FaktoryPassword"))
    op("GET", "/schedules", "List schedules", "read", answer("SchedulePage"))
    op("POST", "/schedules", "Create a schedule", "admin", answer("Schedule"), "201",
       "ScheduleCreate")
    op("POST", "/schedules/preview", "The next fire times of a spec, without saving it", "read",
       answer("SchedulePreview"), body="SchedulePreviewRequest")
    op("GET", "/schedules/{sid}", "One schedule with its next and last fire", "read",
       answer("Schedule"))
    op("PATCH", "/schedules/{sid}", "Change a schedule", "admin", answer("Schedule"),
       body="SchedulePatch")
    op("DELETE", "/schedules/{sid}", "Delete a schedule and its fire history", "admin",
       answer("ScheduleDeleted"))
    op("POST", "/schedules/{sid}/pause", "Pause: no fires until resumed", "admin",
       answer("Schedule"))
    op("POST", "/schedules/{sid}/resume", "Resume from now (no catch-up of the pause)", "admin",
       answer("Schedule"))
    op("POST", "/schedules/{sid}/trigger", "Fire now, whatever the overlap policy", "admin",
       answer("ScheduleFire"), "201")
    op("POST", "/schedules/{sid}/backfill",
       "Fire every fire time in a past range that has no record, or was missed", "admin",
       answer("BackfillResult"), body="BackfillRequest")
    op("GET", "/schedules/{sid}/fires", "Fire history, newest first", "read",
       answer("ScheduleFirePage"),
       params=[query("cursor", "next_cursor of the page before"),
               query("limit", "at most this many (default 100, most 1000)", INT)])
    op("GET", "/audit", "Audit log of admin actions, newest first", "read",
       answer("AuditEntryPage"),
       params=[query("cursor", "next_cursor of the page before"),
               query("limit", "at most this many (default 100)", INT)])
    op("GET", "/dashboard", "KPI chips and queue cards", "read", answer("Dashboard"),
       params=[query("environment", "only this environment's cards, with the KPIs of its "
                                    "queues and of the workers attached to them")])
    op("GET", "/worker-queues/{qid}/metrics", "Time series of one queue", "read",
       answer("MetricSeries"),
       params=[query("range", "how far back", enum("5m", "1h", "24h", "7d"))])
    op("GET", "/metrics", "Time series of all queues", "read", answer("MetricSeries"),
       params=[query("range", "how far back", enum("5m", "1h", "24h", "7d"))])
    op("GET", "/worker-queues/{qid}/type-metrics",
       "Processed, failed and run/wait percentiles per task type of one queue", "read",
       answer("TypeMetrics"),
       params=[query("range", "how far back", enum("5m", "1h", "24h", "7d"))])
    op("GET", "/type-metrics", "Processed, failed and run/wait percentiles per task type of all "
       "queues", "read", answer("TypeMetrics"),
       params=[query("range", "how far back", enum("5m", "1h", "24h", "7d"))])
    op("GET", "/events", "Server-Sent Events: stats each second; queue, worker, task changes",
       "read", text_answer("text/event-stream", "an endless event stream"),
       params=[query("topics", "comma-separated: stats, queue, worker, task (default: all; "
                               "task brings overflow with it)"),
               query("cards", "all (default), or changed: a stats event carries queue_ids (every "
                              "queue in order), samples (queue id: [depth, running, wait p50, "
                              "p95, p99] of the newest second), changed_only: true, and of the "
                              "cards (without last) a new one whole and a changed one as its id "
                              "and the fields that changed since this stream's previous stats "
                              "event",
                     enum("all", "changed")),
               query("environment", "stats and queue changes of this environment only")])
    op("GET", "/metrics", "Prometheus text format", "read",
       text_answer("text/plain", "Prometheus exposition format 0.0.4"), absolute=True)
    define_runs()
    define_nodes()


# --- nodes (design §11, docs/design/scale-out.md) ----------------------------------------------

SCHEMAS.update({
    "Node": obj({
        "node_id": STR,
        "address": dict(STR, description="the URL the node advertises (--advertise-url)"),
        "version": STR, "started_at": TIME, "uptime_seconds": INT,
        "role": dict(enum("leader", "follower", "standalone"),
                     description="leader: runs the engine; follower: forwards every call to "
                                 "the leader; standalone: a server on SQLite"),
        "connections": INT, "requests_per_second": NUM,
        "last_seen_at": dict(TIME, description="its last heartbeat, on the database's clock"),
        "alive": dict(BOOL, description="a heartbeat within the last 6 seconds"),
    }),
    "NodeList": obj({"nodes": arr(ref("Node"))}),
})


def define_nodes():
    op("GET", "/nodes", "The nodes of the cluster (a server on SQLite: itself, standalone)",
       "read", answer("NodeList"))


# --- runs (docs/runs.md) ----------------------------------------------------------------------

RUN_STATES = ("waiting", "active", "succeeded", "failed")
SCHEMAS.update({
    "ChildEnqueueRequest": request(dict(SCHEMAS["EnqueueRequest"]["properties"], **{
        "lease_id": dict(STR, description="the parent's live lease; required with a worker "
                                          "credential, implied by a child token"),
        "queue_id": dict(STR, description="the parent's queue (default) or one in its "
                                          "child_queues"),
    }), ["type"]),
    "RunTask": obj({
        "id": STR, "parent_id": NULLSTR, "queue_id": STR, "type": STR,
        "state": enum("scheduled", "queued", "running", "succeeded", "dead", "cancelled"),
        "attempts": INT, "enqueued_at": TIME, "started_at": NULLTIME, "finished_at": NULLTIME,
        "duration_ms": dict(nullable(INT), description="finished (or now) − started"),
        "error": NULLSTR,
        "dead_reason": nullable(enum("attempts_exhausted", "non_retryable", "expired")),
    }),
    "Run": obj({
        "id": STR, "queue_id": STR,
        "state": dict(enum(*RUN_STATES), description="waiting: its root has not started; "
                      "active: started, a task unfinished; succeeded: every task succeeded; "
                      "failed: all finished, one did not succeed"),
        "counts": obj({"total": INT, "unfinished": INT, "succeeded": INT, "failed": INT}),
        "started_at": NULLTIME, "finished_at": NULLTIME, "duration_ms": nullable(INT),
        "tasks": arr(ref("RunTask")),
        "truncated": dict(BOOL, description="the run has more than 10,000 tasks; the rest are "
                                            "left out"),
    }, description="a root task and every task enqueued as its descendant, root first"),
    "RunCancelled": obj({"id": STR, "cancelled": INT}),
})


def define_runs():
    op("GET", "/runs/{rid}", "A run's tree with states and durations", "producer-or-read",
       answer("Run"),
       params=[query("wait_s", "wait up to this long for the run to finish", NUM)])
    op("POST", "/runs/{rid}/cancel", "Cancel every unfinished task of a run", "admin",
       answer("RunCancelled"))
    op("POST", "/tasks/{tid}/children", "Enqueue a child of a task this worker holds",
       "worker-or-child", answer("Task", "created"), "201", "ChildEnqueueRequest",
       extra_responses={"200": answer("Task", "an existing task with the same idempotency key")})


def document():
    define()
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "QueueDeck API",
            "version": VERSION,
            "description": "Durable task queues over HTTP/JSON. Tokens travel as "
                           "`Authorization: Bearer …`; errors are `{error: {code, message, "
                           "details}}` with the HTTP status of their code.",
        },
        "servers": [{"url": "http://127.0.0.1:7070"}],
        "paths": dict(sorted(PATHS.items())),
        "components": {
            "securitySchemes": {
                name: {"type": "http", "scheme": "bearer", "description": description}
                for name, description in (
                    ("adminToken", "the server's admin token"),
                    ("joinToken", "a queue's join token: registers workers on that queue"),
                    ("workerCredential", "a worker's credential, from its registration"),
                    ("producerToken", "enqueues to and reads the tasks of its queues"),
                    ("viewerToken", "qdv_…: reads everything an admin can read, changes "
                                    "nothing, and sees no join token"),
                    ("childToken", "qdc_…: what a worker agent gives its handler; enqueues "
                                   "children of the one task it runs while its lease lives "
                                   "(docs/runs.md)"))
            },
            "responses": {"Error": {"description": "an error",
                                    "content": {"application/json": {"schema": ref("Error")}}}},
            "schemas": dict(sorted(SCHEMAS.items())),
        },
    }


def main():
    text = json.dumps(document(), indent=1, sort_keys=False) + "\n"
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            print(f"{OUT} is out of date: run scripts/openapi.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
