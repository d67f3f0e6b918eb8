#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""The worker image's recipe, checked without Docker: what packaging/build-worker.sh installed
under PREFIX is the headless qdeck, and the Dockerfile builds and ships it that way.

    test_worker_recipe.py PREFIX

The binary answers `qdeck --version` with the project's version and links neither Qt GUI,
Widgets, Charts nor OpenGL; it serves and runs a task end to end (a server and a worker, both the
headless binary, a handler that succeeds). The Dockerfile's build stage runs build-worker.sh, its
runtime stage installs scripts/packages/worker-runtime.txt, has no compiler, runs as a user of its
own, and carries no token.
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from qdeckserver import Server  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def check_binary(qdeck):
    version = re.search(r"^project\(QueueDeck VERSION (\S+)",
                        (ROOT / "CMakeLists.txt").read_text(), re.M).group(1)
    answer = subprocess.run([qdeck, "--version"], capture_output=True, text=True, timeout=30)
    check(answer.returncode == 0 and answer.stdout.strip() == f"qdeck {version}",
          f"qdeck --version says qdeck {version}: {answer.stdout!r} {answer.stderr!r}")
    linked = subprocess.run(["ldd", qdeck], capture_output=True, text=True).stdout
    gui = re.findall(r"lib(?:Qt6(?:Gui|Widgets|Charts|OpenGL\w*)|GL\w*|X11|xcb)\.so\S*", linked)
    check(not gui, f"the headless qdeck links no GUI library: {gui}")
    check("libQt6Sql.so" in linked and "libQt6Network.so" in linked,
          "it links QtSql and QtNetwork")


def check_round_trip(qdeck):
    """The headless binary serves, and a worker of it runs a task to success."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        handler = scratch / "handle-task"
        handler.write_text("#!/bin/sh\ncat >/dev/null\necho '{\"ok\":true}'\n")
        handler.chmod(0o755)
        server = Server(qdeck, scratch / "data")
        worker = None
        try:
            queue = server.call("POST", "/api/v1/environments/default/worker-queues",
                                {"name": "image", "max_workers": 1})
            command = server.call("GET", f"/api/v1/worker-queues/{queue['id']}/worker-command")
            token = re.match(r"QUEUEDECK_TOKEN=(\S+) ", command["command"]).group(1)
            worker = subprocess.Popen(
                [qdeck, "worker", "start", "--queue-id", queue["id"], "--server", server.url,
                 "--", str(handler)],
                env=dict(os.environ, QUEUEDECK_TOKEN=token), stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            task = server.call("POST", f"/api/v1/worker-queues/{queue['id']}/tasks",
                               {"type": "t", "payload": {"n": 1}})
            done = server.call("GET", f"/api/v1/tasks/{task['id']}?wait_s=30")
            check(done.get("state") == "succeeded", f"the task ran to success: {done}")
        finally:
            if worker:
                worker.terminate()
                worker.wait(timeout=30)
            server.stop()


def stages(dockerfile):
    """The Dockerfile's stages as lists of instruction lines (continuations joined)."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    result = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            result.append([])
        if result:
            result[-1].append(line)
    return result


def check_dockerfile():
    build, runtime = (stages(ROOT / "packaging/worker.Dockerfile") + [[], []])[:2]
    check(any("packaging/build-worker.sh" in line for line in build if line.startswith("RUN")),
          "the build stage runs packaging/build-worker.sh")
    check(any("scripts/packages/worker-runtime.txt" in line for line in runtime),
          "the runtime stage installs scripts/packages/worker-runtime.txt")
    runtime_text = "\n".join(runtime)
    for compiler in ("build-essential", "g++", "gcc", "cmake", "-dev"):
        check(compiler not in runtime_text, f"no {compiler} in the runtime stage")
    users = [line.split()[1] for line in runtime if line.startswith("USER ")]
    check(users and users[-1] not in ("root", "0"), f"the image runs as its own user: {users}")
    check("QUEUEDECK_TOKEN" not in "\n".join(build + runtime), "no token in the image")
    runtime_list = [line.split("#")[0].strip() for line in
                    (ROOT / "scripts/packages/worker-runtime.txt").read_text().splitlines()]
    check(not any(p.endswith("-dev") or p in ("build-essential", "cmake")
                  for p in runtime_list), "the runtime list holds no build tools")


def main():
    qdeck = str(pathlib.Path(sys.argv[1]) / "usr/local/bin/qdeck")
    check(os.access(qdeck, os.X_OK), f"{qdeck} is installed")
    if not failures:
        check_binary(qdeck)
        check_round_trip(qdeck)
    check_dockerfile()
    if failures:
        print(f"{len(failures)} checks failed", file=sys.stderr)
        return 1
    print("worker recipe: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
