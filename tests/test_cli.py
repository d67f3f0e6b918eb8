#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""`qdeck` for people and scripts, against a real server and a real worker: queues, enqueue
(single, --lines, --wait), tasks and their logs, dead letters, producer tokens, worker drain.

    test_cli.py QDECK_BINARY
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

from qdeckserver import Server

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def main():
    qdeck = sys.argv[1]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        server = Server(qdeck, scratch / "data")
        worker = None
        try:
            env = dict(os.environ, QUEUEDECK_SERVER=server.url, QUEUEDECK_TOKEN=server.token)

            def run(*args, stdin=None, expect=0):
                result = subprocess.run([qdeck, *args], env=env, input=stdin, text=True,
                                        capture_output=True, timeout=60)
                check(result.returncode == expect,
                      f"qdeck {' '.join(args)} → {result.returncode}: {result.stderr.strip()}")
                return result

            def run_json(*args, stdin=None):
                return json.loads(run(*args, "--json", stdin=stdin).stdout)

            queue = run_json("queue", "create", "mail", "--set", "max_workers=2",
                             "--set", "max_attempts=1")
            check(queue["max_workers"] == 2 and queue["name"] == "mail", "queue create")
            qid = queue["id"]
            check(any(q["id"] == qid for q in run_json("queue", "list")), "queue list")
            table = run("queue", "list").stdout
            check("mail" in table and "0 / 2" in table, "queue list as a table")
            refused = run("queue", "update", qid, "--set", "max_worker=3", expect=1)
            check("unknown field max_worker" in refused.stderr, "the server names a wrong field")
            # Run settings (docs/runs.md): their own options, or --set with a comma list.
            other = run_json("queue", "create", "publish")
            runs = run_json("queue", "update", qid, "--max-active-runs", "2",
                            "--child-queues", other["id"])
            check(runs["max_active_runs"] == 2 and runs["child_queues"] == [other["id"]],
                  "queue update --max-active-runs --child-queues")
            text = run("queue", "update", qid, "--set", f"child_queues={other['id']},{qid}").stdout
            check(f"runs 0 / 2, child queues {other['id']}, {qid}" in text,
                  "queue update --set child_queues=a,b, shown: " + text)
            bad = run("queue", "update", qid, "--max-active-runs", "-1", expect=64)
            check("--max-active-runs takes a whole number" in bad.stderr,
                  "a negative max-active-runs is refused: " + bad.stderr)
            cleared = run_json("queue", "update", qid, "--child-queues", "",
                               "--max-active-runs", "0")
            check(cleared["child_queues"] == [] and cleared["max_active_runs"] == 0,
                  "child queues cleared")
            shown = run_json("queue", "show", qid)
            command = shown["worker_command"]
            check(command.startswith("QUEUEDECK_TOKEN=qdj_"), "queue show gives the command")

            # A worker from that command: echoes its payload, fails for good on {"bad":true}.
            handler = scratch / "handle.sh"
            handler.write_text('#!/bin/sh\npayload=$(cat)\necho "got $payload"\n'
                               'case "$payload" in *bad*) echo "no good" >&2; exit 65;; esac\n'
                               'echo "{\\"done\\":true}"\n')
            handler.chmod(0o755)
            line = command.replace("-- ./handle-task", f"-- {handler}")
            worker = subprocess.Popen(["/bin/bash", "-c", line],
                                      env=dict(os.environ, PATH=str(pathlib.Path(qdeck).parent)
                                               + ":" + os.environ["PATH"]),
                                      stderr=open(scratch / "worker.log", "w"))
            for _ in range(300):  # the machine may be busy with other tests
                if run_json("worker", "list", "--queue", qid):
                    break
                time.sleep(0.1)

            task = run_json("enqueue", "--queue", qid, "--type", "send", "--payload",
                            '{"to":"ada"}', "--wait")
            check(task["state"] == "succeeded" and task["result"] == {"done": True},
                  f"enqueue --wait gives the result: {task}")
            logs = run("task", "logs", task["id"]).stdout
            check('got {"to":"ada"}' in logs, f"task logs: {logs!r}")

            # --lines into a queue of its own, without a worker: the count is what matters.
            other = run_json("queue", "create", "lines")["id"]
            lines = "".join(json.dumps({"n": i}) + "\n" for i in range(1000)) + "plain text\n"
            bulk = run_json("enqueue", "--queue", other, "--type", "line", "--lines", stdin=lines)
            check(len(bulk["ids"]) == 1001, "enqueue --lines sends one task per line")
            check(run_json("queue", "show", other)["counts"]["queued"] == 1001,
                  "all of them are queued")
            text = run_json("task", "show", bulk["ids"][-1])
            check(text["payload"] == "plain text", f"a line that is not JSON is a string: {text}")

            bad = run_json("enqueue", "--queue", qid, "--type", "send", "--payload",
                           '{"bad":true}', "--wait")
            check(bad["state"] == "dead" and "no good" in (bad["error"] or ""),
                  f"exit 65 fails for good with the stderr tail: {bad}")
            dead = run_json("dead", "list", "--queue", qid)["items"]
            check([t["id"] for t in dead] == [bad["id"]], "dead list")
            check(run_json("dead", "delete", "--queue", qid, "--all", "--yes")["affected"] == 1,
                  "dead delete --all")
            listed = run_json("task", "list", "--queue", qid, "--search", "ada")["items"]
            check([t["id"] for t in listed] == [task["id"]], "task list --search")

            token = run("token", "create", "app", "--queue", qid).stdout.strip()
            check(token.startswith("qdp_"), "token create prints the token")
            check([t["name"] for t in run_json("token", "list")] == ["app"], "token list")
            run("token", "revoke", "app")

            workers = run_json("worker", "list", "--queue", qid)
            run("worker", "drain", workers[0]["id"])
            code = worker.wait(timeout=30)
            check(code == 0, f"a drained worker deregisters and exits 0 (exit {code}; its log: "
                             f"{(scratch / 'worker.log').read_text()[-2000:]})")
            check(run_json("worker", "list", "--queue", qid) == [], "no worker left")

            run("enqueue", "--queue", qid, "--type", "x", "--payload", "{bad", expect=64)
            env["QUEUEDECK_TOKEN"] = "qda_wrong"
            run("queue", "list", expect=1)
        finally:
            if worker and worker.poll() is None:
                worker.kill()
            server.stop()
    if failures:
        print(f"{len(failures)} checks failed", file=sys.stderr)
        return 1
    print("qdeck commands: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
