#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Writes schema-v3.db: a QueueDeck database as release 0.1.0 left it (schema version 3): the
file of schema-v1.db plus the tables of versions 2 and 3, a producer token, an audit entry and a
task log. Kept in the repository so that later releases are tested against the data of the
release before them; rerun only to see how it was made, never to change it.

    tests/data/make-schema-v3.py tests/data/schema-v3.db
"""
import importlib.util
import pathlib
import sqlite3
import sys

V2 = [
    "CREATE TABLE producer_tokens(name TEXT PRIMARY KEY, token_sha256 BLOB NOT NULL, queue_ids "
    "TEXT NOT NULL, created_at INTEGER NOT NULL)",
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor_kind TEXT NOT NULL, "
    "actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL)",
]
V3 = [
    "CREATE TABLE task_logs(id INTEGER PRIMARY KEY, seq INTEGER NOT NULL REFERENCES tasks(seq) ON "
    "DELETE CASCADE, at INTEGER NOT NULL, stream TEXT NOT NULL, line TEXT NOT NULL)",
    "CREATE INDEX task_logs_by_task ON task_logs(seq, id)",
]


def main(path):
    spec = importlib.util.spec_from_file_location(
        "schema_v1", pathlib.Path(__file__).with_name("make-schema-v1.py"))
    v1 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(v1)
    v1.main(path)
    db = sqlite3.connect(path)
    for statement in V2 + V3:
        db.execute(statement)
    db.execute("INSERT INTO producer_tokens VALUES('mailer', ?, 'q_oldmail0001', ?)",
               (bytes(32), v1.T0))
    db.execute("INSERT INTO audit(at, actor_kind, actor, action, target) "
               "VALUES(?, 'admin', 'admin', 'POST /api/v1/producer-tokens', 'mailer')", (v1.T0,))
    db.execute("INSERT INTO task_logs(seq, at, stream, line) VALUES(5, ?, 'stdout', 'sent')",
               (v1.T0 + 25,))
    db.execute("PRAGMA user_version=3")
    db.commit()
    db.close()


if __name__ == "__main__":
    main(sys.argv[1])
