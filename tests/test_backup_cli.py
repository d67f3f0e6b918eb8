#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""`qdeck admin backup FILE` against a running `qdeck serve`, and `qdeck serve --restore FILE`:
the restored server has every task the backed-up one had; a file that is no QueueDeck backup is
refused with a message and a non-zero exit.

    test_backup_cli.py QDECK_BINARY
"""

import os
import pathlib
import sqlite3
import subprocess
import sys
import tempfile

from qdeckserver import Server

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def task_ids(server, queue_id):
    ids, cursor = set(), None
    while True:
        page = server.call("GET", f"/api/v1/worker-queues/{queue_id}/tasks?limit=1000"
                                  + (f"&cursor={cursor}" if cursor else ""))
        ids.update(item["id"] for item in page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return ids


def main():
    qdeck = sys.argv[1]
    with tempfile.TemporaryDirectory() as top:
        top = pathlib.Path(top)
        server = Server(qdeck, top / "first")
        try:
            queue_id = server.call("GET", "/api/v1/worker-queues")["items"][0]["id"]
            server.call("POST", f"/api/v1/worker-queues/{queue_id}/tasks:batch",
                        {"tasks": [{"type": "t", "payload": {"n": n, "text": "x" * 500}}
                                   for n in range(2000)]})
            before = task_ids(server, queue_id)
            env = dict(os.environ, QUEUEDECK_SERVER=server.url, QUEUEDECK_TOKEN=server.token)
            backup = top / "backup.db"
            made = subprocess.run([qdeck, "admin", "backup", str(backup)], env=env,
                                  capture_output=True, text=True, timeout=120)
            check(made.returncode == 0, f"qdeck admin backup: {made.returncode} {made.stderr}")
            check("--restore" in made.stdout, f"it says how to start from it: {made.stdout}")
            check(not (top / "first" / "backups").exists() or
                  not list((top / "first" / "backups").iterdir()),
                  "the server's copy was removed after the download")
            again = subprocess.run([qdeck, "admin", "backup", str(backup)], env=env,
                                   capture_output=True, text=True, timeout=120)
            check(again.returncode != 0 and "exists" in again.stderr,
                  f"an existing file is not overwritten: {again.returncode} {again.stderr}")
        finally:
            server.stop()
        with sqlite3.connect(backup) as db:
            check(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok",
                  "the backup is a sound database")
            check(db.execute("SELECT count(*) FROM tasks").fetchone()[0] == len(before),
                  "the backup holds every task")

        restored = subprocess.Popen(
            [qdeck, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(top / "second"),
             "--restore", str(backup)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        started = ""
        for line in restored.stdout:  # started from the backup, then stopped: Server serves it
            started += line
            if "serving on" in line:
                break
        restored.terminate()
        restored.wait(timeout=30)
        check("Restored the database from" in started, f"the server says it restored: {started}")
        server = Server(qdeck, top / "second")
        try:
            check(task_ids(server, queue_id) == before, "the restored server has every task")
        finally:
            server.stop()

        junk = top / "junk.db"
        junk.write_text("not a database\n" * 100)
        refused = subprocess.run(
            [qdeck, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(top / "second"),
             "--restore", str(junk)], capture_output=True, text=True, timeout=60)
        check(refused.returncode != 0 and "not a QueueDeck database" in refused.stderr,
              f"a file that is no backup is refused: {refused.returncode} {refused.stderr}")
    if failures:
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
