#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Workers frozen (SIGSTOP) and killed (SIGKILL) while they hold a task, against a real
`qdeck serve` with short timeouts, through the public HTTP API only.

    python3 tests/reliability/workerfreeze.py build/bin/qdeck

1. The `qdeck worker start` agent is frozen while its handler runs. Its lease expires; the task
   is given once to another worker, which acknowledges it. The agent is resumed; the outcome it
   then reports with the old lease is refused ("lease expired; the task was given to another
   worker"), and the task keeps the other worker's result. (The agent's handler timeout equals
   the lease, so on waking the agent stops its handler and reports a failure, not an ack: the
   refusal of a stale ack itself is checked exactly in 2.)
2. A worker process is frozen holding a lease; after the lease expired another worker takes the
   task and acknowledges it; the resumed worker's acknowledgement is answered
   409 FAILED_PRECONDITION with that message.
3. The same, but nobody leases the task while the worker is frozen: its late acknowledgement is
   taken (design §3) and the task succeeds.
4. The agent is killed with SIGKILL while its handler runs: the task is given once to another
   worker and succeeds there; nothing else is leased twice.
Every wait is a wait for a condition (a task's state, a line of output), bounded in time.
"""

import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from qdeckprocess import ApiError, Server, join_token, register, wait_until  # noqa: E402

STALE = "lease expired; the task was given to another worker"
TASK_TIMEOUT_S = 2  # lease length: what a frozen worker overstays
failures = []


def check(condition, text):
    print(("ok    " if condition else "FAIL  ") + text, flush=True)
    if not condition:
        failures.append(text)


class Lines:
    """Collects a process's output lines in a thread; wait() for one that matches."""

    def __init__(self, stream):
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait(self, predicate, timeout, what):
        with self.cond:
            if not self.cond.wait_for(lambda: any(predicate(l) for l in self.lines), timeout):
                raise TimeoutError(f"no line with {what} within {timeout} s; got: {self.lines}")
            return next(l for l in self.lines if predicate(l))


class Scenario:
    def __init__(self, server, temporary):
        self.server = server
        self.admin = server.admin()
        self.temporary = pathlib.Path(temporary)
        self.count = 0

    def queue(self):
        """A fresh queue with short leases, for one scenario."""
        self.count += 1
        _, queue = self.admin.call("POST", "/environments/default/worker-queues", {
            "name": f"freeze{self.count}", "task_timeout_s": TASK_TIMEOUT_S,
            "worker_timeout_s": 60, "max_attempts": 5, "initial_backoff_ms": 10,
            "max_backoff_ms": 10})
        return queue["id"], join_token(self.admin, queue["id"])

    def enqueue(self, queue_id, payload):
        _, task = self.admin.call("POST", f"/worker-queues/{queue_id}/tasks",
                                  {"type": "freeze", "payload": payload})
        return task["id"]

    def task(self, task_id):
        return self.admin.call("GET", f"/tasks/{task_id}")[1]

    def wait_state(self, task_id, states, timeout, what):
        return wait_until(lambda: (t := self.task(task_id))["state"] in states and t,
                          timeout, what)

    def handler(self, name):
        """A handler that says it started, then waits for its release file."""
        directory = self.temporary / name
        directory.mkdir()
        script = directory / "handler.sh"
        script.write_text(textwrap.dedent(f"""\
            #!/bin/sh
            echo "$QUEUEDECK_TASK_ID $QUEUEDECK_ATTEMPT" >> {directory}/started
            while [ ! -e {directory}/release ]; do sleep 0.05; done
            echo '{{"by": "agent"}}'
            """))
        script.chmod(0o755)
        return directory, script

    def agent(self, queue_id, join, script, name):
        environment = dict(os.environ, QUEUEDECK_TOKEN=join)
        process = subprocess.Popen(
            [self.server.qdeck, "worker", "start", "--queue-id", queue_id, "--server",
             f"http://127.0.0.1:{self.server.port}", "--name", name, "--", str(script)],
            env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return process, Lines(process.stdout)

    def take_over(self, queue_id, join, task_id):
        """A second worker leases until it gets the task, counts how often it gets it in
        another 1.5 lease lengths, acknowledges it, and answers that count."""
        worker_id, client = register(self.server.port, join, queue_id)
        received = []
        deadline = time.monotonic() + 30
        while not received and time.monotonic() < deadline:
            _, answer = client.call("POST", f"/workers/{worker_id}/lease",
                                    {"max": 4, "wait_ms": 1000})
            received += answer["tasks"]
        check([t["id"] for t in received] == [task_id],
              f"the task is given to the other worker (got {[t['id'] for t in received]})")
        first = received[0]
        _, outcome = client.call("POST", f"/tasks/{task_id}/ack",
                                 {"lease_id": first["lease_id"], "result": {"by": worker_id}})
        check(outcome.get("ok") is True, "the other worker's acknowledgement is taken")
        _, again = client.call("POST", f"/workers/{worker_id}/lease",
                               {"max": 4, "wait_ms": int(TASK_TIMEOUT_S * 1500)})
        check(again["tasks"] == [], "nothing is delivered again after that")
        client.call("DELETE", f"/workers/{worker_id}")
        return worker_id, first

    def agent_frozen(self):
        print("-- the worker agent frozen with SIGSTOP, resumed after its lease expired")
        queue_id, join = self.queue()
        directory, script = self.handler("frozen-agent")
        task_id = self.enqueue(queue_id, {"n": 1})
        process, lines = self.agent(queue_id, join, script, "frozen-agent")
        try:
            wait_until(lambda: (directory / "started").exists(), 30, "the handler to start")
            running = self.wait_state(task_id, {"running"}, 10, "the task to be running")
            check(running["leased_by"] == "frozen-agent", "the agent holds the task")
            os.kill(process.pid, signal.SIGSTOP)
            self.wait_state(task_id, {"queued", "scheduled"}, 4 * TASK_TIMEOUT_S + 10,
                            "the frozen agent's lease to expire")
            other, _ = self.take_over(queue_id, join, task_id)
            (directory / "release").touch()
            os.kill(process.pid, signal.SIGCONT)
            line = lines.wait(lambda l: task_id in l and "did not take" in l, 30,
                              "the agent's refused outcome")
            check(STALE in line, f"the agent's stale outcome is refused: {line!r}")
            for agent_line in lines.lines:
                if task_id in agent_line:
                    print(f"      agent: {agent_line}")
            final = self.task(task_id)
            check(final["state"] == "succeeded" and final["result"] == {"by": other},
                  f"the task keeps the other worker's result ({final['state']}, "
                  f"{final['result']})")
            check(final["attempts"] == 2, f"two attempts in all (got {final['attempts']})")
            starts = (directory / "started").read_text().split("\n")
            check(len([s for s in starts if s]) == 1, "the agent's handler ran once")
        finally:
            os.kill(process.pid, signal.SIGCONT)
            process.terminate()
            process.wait(timeout=30)

    def frozen_worker(self, taken_over):
        what = "another worker took the task" if taken_over else "nobody took the task"
        print(f"-- a worker frozen with SIGSTOP holding a lease; {what}")
        queue_id, join = self.queue()
        task_id = self.enqueue(queue_id, {"n": 2})
        process = subprocess.Popen(
            [sys.executable, str(HERE / "stalledworker.py"), str(self.server.port), queue_id],
            env=dict(os.environ, QUEUEDECK_TOKEN=join), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True)
        try:
            held = json.loads(process.stdout.readline())
            check(held["task"]["id"] == task_id, "the worker holds the task")
            os.kill(process.pid, signal.SIGSTOP)
            self.wait_state(task_id, {"queued", "scheduled"}, 4 * TASK_TIMEOUT_S + 10,
                            "the frozen worker's lease to expire")
            other = None
            if taken_over:
                other, _ = self.take_over(queue_id, join, task_id)
            os.kill(process.pid, signal.SIGCONT)
            process.stdin.write("ack\n")
            process.stdin.flush()
            answer = json.loads(process.stdout.readline())
            final = self.task(task_id)
            if taken_over:
                check(not answer["ok"] and answer["status"] == 409
                      and answer["code"] == "FAILED_PRECONDITION" and STALE in answer["message"],
                      f"the stale acknowledgement is refused: {answer}")
                check(final["result"] == {"by": other}, "the task keeps the other's result")
                check(final["attempts"] == 2, f"two attempts in all (got {final['attempts']})")
            else:
                check(answer["ok"], f"the late acknowledgement is taken: {answer}")
                check(final["result"] == {"by": held["worker_id"]}, "with its result")
            check(final["state"] == "succeeded", f"the task succeeded ({final['state']})")
        finally:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGCONT)
                process.kill()
            process.wait(timeout=30)

    def agent_killed(self):
        print("-- the worker agent killed with SIGKILL while its handler runs")
        queue_id, join = self.queue()
        directory, script = self.handler("killed-agent")
        task_id = self.enqueue(queue_id, {"n": 3})
        process, _ = self.agent(queue_id, join, script, "killed-agent")
        try:
            wait_until(lambda: (directory / "started").exists(), 30, "the handler to start")
            self.wait_state(task_id, {"running"}, 10, "the task to be running")
            process.kill()
            process.wait(timeout=30)
            (directory / "release").touch()  # the orphaned handler may end; nobody acks for it
            self.wait_state(task_id, {"queued", "scheduled"}, 4 * TASK_TIMEOUT_S + 10,
                            "the killed agent's lease to expire")
            other, _ = self.take_over(queue_id, join, task_id)
            final = self.task(task_id)
            check(final["state"] == "succeeded" and final["result"] == {"by": other},
                  f"the task succeeded on the other worker ({final['state']})")
            check(final["attempts"] == 2, f"two attempts in all (got {final['attempts']})")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: workerfreeze.py path/to/qdeck")
    with tempfile.TemporaryDirectory(prefix="qdeck-workerfreeze-") as temporary:
        data = pathlib.Path(temporary, "data")
        data.mkdir()
        server = Server(sys.argv[1], data)
        server.start()
        try:
            scenario = Scenario(server, temporary)
            scenario.agent_frozen()
            scenario.frozen_worker(taken_over=True)
            scenario.frozen_worker(taken_over=False)
            scenario.agent_killed()
        except (TimeoutError, ApiError, ConnectionError) as error:
            failures.append(f"{type(error).__name__}: {error}")
        finally:
            server.stop()
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print("worker freeze and kill: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
