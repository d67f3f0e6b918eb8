#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Writes schema-v1.db: a QueueDeck database as the first release laid it out (schema version 1),
with a queue, three waiting tasks, a running one whose worker is gone, and a finished one. Kept
in the repository so that every later release is tested against a real old file; rerun only to
see how it was made, never to change it.

    tests/data/make-schema-v1.py tests/data/schema-v1.db
"""
import json
import sqlite3
import sys

V1 = [
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE environments(name TEXT PRIMARY KEY, description TEXT NOT NULL, "
    "auto_create INTEGER NOT NULL, created_at INTEGER NOT NULL)",
    "CREATE TABLE queues(num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
    "environment TEXT NOT NULL REFERENCES environments(name), name TEXT NOT NULL, "
    "settings TEXT NOT NULL, join_token TEXT NOT NULL, created_at INTEGER NOT NULL, "
    "UNIQUE(environment, name))",
    "CREATE TABLE tasks(seq INTEGER PRIMARY KEY, queue INTEGER NOT NULL, state INTEGER NOT NULL, "
    "type TEXT NOT NULL, payload BLOB NOT NULL, priority INTEGER NOT NULL, "
    "enqueued_at INTEGER NOT NULL, run_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
    "max_attempts INTEGER, timeout_s INTEGER, expire_at INTEGER, deadline INTEGER, "
    "idempotency_key TEXT, concurrency_key TEXT, required_labels TEXT, target_worker TEXT, "
    "lease INTEGER, leased_by TEXT, lease_expires INTEGER, started_at INTEGER, finished_at "
    "INTEGER, error TEXT, result BLOB, dead_reason INTEGER NOT NULL DEFAULT 0, "
    "cancel_requested INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX tasks_finished ON tasks(queue, state, finished_at) WHERE state>=3",
    "CREATE TABLE workers(id TEXT PRIMARY KEY, data TEXT NOT NULL)",
    "CREATE TABLE metrics_minute(queue INTEGER NOT NULL, minute INTEGER NOT NULL, "
    "data BLOB NOT NULL, PRIMARY KEY(queue, minute)) WITHOUT ROWID",
]

T0 = 1763800000000  # 2025-11-22T08:26:40Z
SETTINGS = {"display_name": "", "description": "old mail", "runner_name": "", "max_workers": 4,
            "concurrency": 0, "max_per_key": 0, "max_depth": 0, "rate_limit": 0, "priority": 0,
            "max_queued_time_s": 0, "task_timeout_s": 300, "worker_timeout_s": 60,
            "max_attempts": 5, "initial_backoff_ms": 1000, "multiplier": 2,
            "max_backoff_ms": 300000, "retention_s": 315360000, "paused": False}


def main(path):
    db = sqlite3.connect(path)
    for statement in V1:
        db.execute(statement)
    db.execute("INSERT INTO environments VALUES('default', '', 1, ?)", (T0,))
    db.execute("INSERT INTO queues VALUES(1, 'q_oldmail0001', 'default', 'mail', ?, "
               "'qdj_0000000000000000000000000000000a', ?)", (json.dumps(SETTINGS, separators=(",", ":")), T0))
    for seq in (1, 2, 3):  # queued (state 1)
        db.execute("INSERT INTO tasks(seq, queue, state, type, payload, priority, enqueued_at, "
                   "run_at) VALUES(?, 1, 1, 'send', ?, 0, ?, ?)",
                   (seq, json.dumps({"n": seq}, separators=(",", ":")).encode(), T0 + seq, T0 + seq))
    # Running on a worker that no longer exists: back to queued when the engine loads.
    db.execute("INSERT INTO tasks(seq, queue, state, type, payload, priority, enqueued_at, run_at, "
               "attempts, lease, leased_by, lease_expires, started_at) "
               "VALUES(4, 1, 2, 'send', ?, 0, ?, ?, 1, 77, 'gone-worker', ?, ?)",
               (b'{"n":4}', T0 + 4, T0 + 4, T0 + 60000, T0 + 10))
    db.execute("INSERT INTO tasks(seq, queue, state, type, payload, priority, enqueued_at, run_at, "
               "attempts, started_at, finished_at, result) "
               "VALUES(5, 1, 3, 'send', ?, 0, ?, ?, 1, ?, ?, ?)",
               (b'{"n":5}', T0 + 5, T0 + 5, T0 + 20, T0 + 30, b'{"sent":true}'))
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()


if __name__ == "__main__":
    main(sys.argv[1])
