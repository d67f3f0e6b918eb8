#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""`qdeck schedule …` and `qdeck run …` against a real server and a real worker: every verb once,
names and ids, what a wrong command line is told (exit 64) and what the server refuses (exit 1).

    test_schedule_run_cli.py QDECK_BINARY
"""

import json
import os
import pathlib
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
            env.pop("QUEUEDECK_CHILD_TOKEN", None)
            env.pop("QUEUEDECK_TASK_ID", None)

            def run(*args, expect=0, environment=None):
                result = subprocess.run([qdeck, *args], env=environment or env, text=True,
                                        capture_output=True, timeout=60)
                check(result.returncode == expect,
                      f"qdeck {' '.join(args)} → {result.returncode} (want {expect}): "
                      f"{result.stderr.strip()}")
                return result

            def run_json(*args):
                out = run(*args, "--json").stdout
                try:
                    return json.loads(out)
                except ValueError:
                    check(False, f"qdeck {' '.join(args)} --json printed no JSON: {out!r}")
                    return {}

            qid = run_json("queue", "create", "nightly")["id"]

            # --- schedules -----------------------------------------------------------------
            made = run_json("schedule", "create", "--name", "report", "--spec", "every 1h",
                            "--queue-id", qid, "--type", "build-report", "--payload",
                            '{"kind":"daily"}', "--jitter", "0")
            check(made.get("id", "").startswith("s_") and made.get("spec") == "every 1h",
                  f"schedule create: {made}")
            sid = made.get("id", "")
            listed = run_json("schedule", "list")
            check([s["id"] for s in listed] == [sid], f"schedule list: {listed}")
            check("report" in run("schedule", "list").stdout, "schedule list as text")
            by_name = run_json("schedule", "show", "report")
            check(by_name.get("id") == sid, "a schedule named by its name")
            updated = run_json("schedule", "update", sid, "--catchup-window", "60",
                               "--overlap", "allow_all")
            check(updated.get("catchup_window_s") == 60 and updated.get("overlap") == "allow_all",
                  f"schedule update changes only what is given: {updated}")
            check(updated.get("task", {}).get("type") == "build-report",
                  "schedule update keeps the task template")
            check(run_json("schedule", "pause", sid).get("paused") is True, "schedule pause")
            check(run_json("schedule", "resume", "report").get("paused") is False,
                  "schedule resume by name")
            fire = run_json("schedule", "trigger", sid)
            check(fire.get("kind") == "manual" and fire.get("task_id"),
                  f"schedule trigger enqueues a task: {fire}")
            task = run_json("task", "show", fire.get("task_id", "x"))
            check(task.get("type") == "build-report" and task.get("payload") == {"kind": "daily"},
                  f"the fired task carries the template: {task}")
            fires = run_json("schedule", "fires", sid, "--limit", "5")
            check([f.get("task_id") for f in fires] == [fire.get("task_id")], f"fires: {fires}")
            filled = run_json("schedule", "backfill", sid, "--from", "2026-01-01T00:00:00Z",
                              "--to", "2026-01-01T02:30:00Z")
            check(filled.get("started") == 3, f"backfill of 00:00, 01:00, 02:00: {filled}")
            preview = run_json("schedule", "preview", "--spec", "0 2 * * *", "--start",
                               "2027-03-01T00:00:00Z", "--limit", "3")
            check(preview.get("next_fires", [None])[0] == "2027-03-01T02:00:00.000Z"
                  and len(preview.get("next_fires", [])) == 3, f"preview: {preview}")

            # Wrong command lines are told what to change, before anything reaches the server.
            told = run("schedule", "create", "--name", "x", "--spec", "every 1h",
                       "--queue-id", qid, "--type", "t", "--start", "tomorrow", expect=64)
            check("RFC 3339" in told.stderr, f"a bad time is explained: {told.stderr}")
            told = run("schedule", "create", "--name", "x", "--spec", "every 1h", expect=64)
            check("--queue-id" in told.stderr, f"create names what it needs: {told.stderr}")
            told = run("schedule", "update", sid, "--overlap", "sometimes", expect=64)
            check("skip, buffer_one or allow_all" in told.stderr, "a bad overlap is explained")
            told = run("schedule", "update", sid, "--jitter", "-4", expect=64)
            check("--jitter" in told.stderr, "a negative jitter is refused")
            told = run("schedule", "show", "nobody", expect=64)
            check("no schedule is named" in told.stderr, "an unknown name is explained")
            run("schedule", "frobnicate", sid, expect=64)
            # The server refuses a spec it cannot read, and says why.
            refused = run("schedule", "create", "--name", "y", "--spec", "61 * * * *",
                          "--queue-id", qid, "--type", "t", expect=1)
            check("INVALID_ARGUMENT" in refused.stderr, f"a bad spec: {refused.stderr}")
            check("deleted" in run("schedule", "delete", sid).stdout, "schedule delete")
            run("schedule", "show", sid, expect=1)
            check(run_json("schedule", "list") == [], "no schedule left")

            # --- runs ------------------------------------------------------------------------
            other = run_json("queue", "create", "steps")["id"]
            limited = run_json("queue", "update", qid, "--set", "max_active_runs=2",
                               "--set", f'child_queues=["{other}"]')
            check(limited.get("max_active_runs") == 2 and limited.get("child_queues") == [other],
                  f"queue update sets the run settings: {limited}")
            told = run("queue", "update", qid, "--set", "max_active_runs=-1", expect=1)
            check("max_active_runs" in told.stderr, f"a bad run limit: {told.stderr}")
            shown = run_json("queue", "show", qid)
            handler = scratch / "fanout.sh"
            handler.write_text('#!/bin/sh\ncat >/dev/null\n'
                               'if [ "$QUEUEDECK_TYPE" = root ]; then\n'
                               '  qdeck run child --type step --payload \'{"n":1}\' || exit 1\n'
                               '  qdeck run child --type step --priority 5 || exit 1\n'
                               'fi\n'
                               'if [ "$QUEUEDECK_TYPE" = hold ]; then sleep 30; fi\n'
                               'echo "{}"\n')
            handler.chmod(0o755)
            line = shown["worker_command"].replace("-- ./handle-task", f"-- {handler}")
            worker = subprocess.Popen(["/bin/bash", "-c", line],
                                      env=dict(os.environ, PATH=str(pathlib.Path(qdeck).parent)
                                               + ":" + os.environ["PATH"]),
                                      stderr=open(scratch / "worker.log", "w"))
            root = run_json("enqueue", "--queue", qid, "--type", "root")
            deadline = time.monotonic() + 60
            tree = {}
            while time.monotonic() < deadline:
                tree = run_json("run", "show", root["id"], "--wait", "5")
                if tree.get("state") not in (None, "running", "queued"):
                    break
            check(tree.get("state") == "succeeded" and tree.get("counts", {}).get("total") == 3,
                  f"run show --wait follows the run to its end: {tree}; worker log: "
                  f"{(scratch / 'worker.log').read_text()[-1500:]}")
            check(sorted(t.get("parent_id") or "" for t in tree.get("tasks", []))
                  == ["", root["id"], root["id"]], "the children hang under the root")
            priorities = sorted(run_json("task", "show", t["id"]).get("priority")
                                for t in tree.get("tasks", []) if t.get("parent_id"))
            check(priorities == [0, 5], f"run child --priority: {priorities}")
            text = run("run", "show", root["id"]).stdout
            check(text.startswith(f"run {root['id']}  succeeded") and text.count("step") == 2,
                  f"run show as a tree: {text!r}")

            held = run_json("enqueue", "--queue", qid, "--type", "hold")
            queued = run_json("enqueue", "--queue", qid, "--type", "root", "--delay", "3600")
            cancelled = run("run", "cancel", queued["id"]).stdout
            check(cancelled.startswith("1 unfinished tasks"), f"run cancel: {cancelled!r}")
            check(run_json("task", "show", queued["id"]).get("state") == "cancelled",
                  "the cancelled run's task is cancelled")
            run("task", "cancel", held["id"])

            told = run("run", "child", "--type", "x", expect=64)
            check("QUEUEDECK_TASK_ID" in told.stderr, f"child outside a handler: {told.stderr}")
            outside = dict(env, QUEUEDECK_TASK_ID=root["id"])
            told = run("run", "child", "--type", "x", expect=64, environment=outside)
            check("QUEUEDECK_CHILD_TOKEN" in told.stderr, "child without its token")
            finished = dict(outside, QUEUEDECK_CHILD_TOKEN="qdc_not-a-token")
            run("run", "child", "--type", "x", expect=1, environment=finished)
            run("run", "show", expect=64)
            told = run("run", "show", root["id"], "--wait", "99", expect=64)
            check("0 to 60" in told.stderr, "--wait out of range is explained")
            run("run", "show", "t_nosuchtask", expect=1)
            run("run", "forget", root["id"], expect=64)
        finally:
            if worker and worker.poll() is None:
                worker.kill()
            server.stop()
    if failures:
        print(f"{len(failures)} checks failed", file=sys.stderr)
        return 1
    print("qdeck schedule and run: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
