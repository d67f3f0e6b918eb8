#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Schedules under SIGKILL: `qdeck serve` is killed at random moments while three schedules
fire every second (a 6-field cron, an interval with the skip policy, one with buffer_one); after
each restart every (schedule, fire time) has exactly one record, fire times have no gap, and each
fire started at most one task — no task of a schedule exists without its fire record.

The schedules are made, listed and triggered through the `qdeck schedule` command.

    schedulekill.py QDECK [--cycles 5] [--seed N]
"""

import argparse
import json
import pathlib
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from qdeckprocess import ApiError, Server, wait_until  # noqa: E402

SCHEDULES = [
    # name, spec, overlap, task type
    ("cron-seconds", "* * * * * *", "allow_all", "tick-cron"),
    ("interval-skip", "every 1s", "skip", "tick-skip"),
    ("interval-buffer", "every 1s", "buffer_one", "tick-buffer"),
]


def qdeck(args, server, *rest):
    """Runs `qdeck schedule …` against the server; its stdout (JSON when asked)."""
    argv = [args.qdeck, "schedule", *rest, "--server", f"http://127.0.0.1:{server.port}",
            "--token-file", str(server.data_dir / "admin-token")]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def all_fires(admin, schedule_id):
    fires, cursor = [], None
    while True:
        path = f"/schedules/{schedule_id}/fires?limit=1000"
        if cursor:
            path += "&cursor=" + cursor
        _, page = admin.call("GET", path)
        fires += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return fires


def task_ids_of_type(admin, queue_id, task_type):
    ids, cursor = [], None
    while True:
        path = f"/worker-queues/{queue_id}/tasks?type={task_type}&limit=1000"
        if cursor:
            path += "&cursor=" + cursor
        _, page = admin.call("GET", path)
        ids += [task["id"] for task in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            return ids


def check(admin, queue_id, schedules, problems):
    """The invariants, read through the public API; returns how many fires were checked."""
    checked = 0
    for name, schedule_id, task_type in schedules:
        fires = all_fires(admin, schedule_id)
        times = [fire["fire_time"] for fire in fires]
        if len(times) != len(set(times)):
            problems.append(f"{name}: a fire time has more than one record")
        task_ids = [fire["task_id"] for fire in fires if fire["task_id"]]
        if len(task_ids) != len(set(task_ids)):
            problems.append(f"{name}: one task was recorded for two fires")
        tasks = task_ids_of_type(admin, queue_id, task_type)
        orphans = set(tasks) - set(task_ids)
        if orphans:
            problems.append(f"{name}: {len(orphans)} task(s) without a fire record, e.g. "
                            f"{sorted(orphans)[0]}")
        missing = set(task_ids) - set(tasks)
        if missing:
            problems.append(f"{name}: fire records name {len(missing)} task(s) that do not exist")
        # Scheduled fires are one second apart with no gap: each second has its record.
        scheduled = sorted(int(time.mktime(time.strptime(f["fire_time"][:19],
                                                         "%Y-%m-%dT%H:%M:%S")))
                           for f in fires if f["kind"] == "scheduled")
        for earlier, later in zip(scheduled, scheduled[1:]):
            if later - earlier != 1:
                problems.append(f"{name}: no record of the fires between {earlier} and {later}")
                break
        checked += len(fires)
    return checked


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qdeck", help="path of the qdeck program")
    parser.add_argument("--cycles", type=int, default=5, help="server kills (default 5)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    problems = []

    with tempfile.TemporaryDirectory(prefix="qdeck-schedulekill-") as temporary:
        data = pathlib.Path(temporary, "data")
        data.mkdir()
        server = Server(args.qdeck, data)
        server.start()
        admin = server.admin()
        _, queue = admin.call("POST", "/environments/default/worker-queues", {"name": "ticks"})
        queue_id = queue["id"]
        schedules = []
        for name, spec, overlap, task_type in SCHEDULES:
            made = json.loads(qdeck(args, server, "create", "--name", name, "--spec", spec,
                                    "--queue-id", queue_id, "--type", task_type,
                                    "--overlap", overlap, "--catchup-window", "30", "--json"))
            schedules.append((name, made["id"], task_type))
        listed = json.loads(qdeck(args, server, "list", "--json"))
        if sorted(s["name"] for s in listed) != sorted(s[0] for s in SCHEDULES):
            problems.append(f"qdeck schedule list shows {[s['name'] for s in listed]}")

        fires = 0
        for cycle in range(args.cycles):
            time.sleep(rng.uniform(0.3, 2.5))
            if cycle % 2 == 1:
                # A manual fire just before the kill: recorded once, like the others.
                qdeck(args, server, "trigger", "interval-skip", "--json")
            server.kill()
            admin.close()
            time.sleep(rng.uniform(0.0, 1.5))
            server.start()
            admin = server.admin()
            # Let the restarted server catch up on what fell due while it was down: every
            # schedule's newest fire is at or after the restart.
            restarted = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time()))
            wait_until(lambda: all(
                (admin.call("GET", f"/schedules/{schedule_id}")[1]["last_fire"] or
                 {"fire_time": ""})["fire_time"] >= restarted
                for _, schedule_id, _ in schedules), 30, "the schedules to catch up")
            fires = check(admin, queue_id, schedules, problems)
            if problems:
                break

        history = json.loads(qdeck(args, server, "fires", "cron-seconds", "--limit", "5",
                                   "--json"))
        if len(history) != 5:
            problems.append(f"qdeck schedule fires --limit 5 showed {len(history)} fires")
        server.stop()

    print(json.dumps({"seed": seed, "cycles": args.cycles, "fires_checked": fires,
                      "problems": problems}))
    if problems:
        print("FAILED (seed %d):\n  %s" % (seed, "\n  ".join(problems)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ApiError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        sys.exit(1)
