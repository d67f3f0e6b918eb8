#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Runs test_faktory_worker.js (node --test) against a real `qdeck serve --faktory-listen`.

Installs the pinned faktory-worker client with `npm ci` into a work directory (the package lock
lives beside this file), starts the server on free ports in a temporary data directory, and stops
it by its process id at the end. Usage: run_faktory_tests.py QDECK WORKDIR
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
qdeck, work = sys.argv[1], sys.argv[2]

for tool in ("node", "npm"):
    if not shutil.which(tool):
        sys.exit(f"{tool} is missing: install Debian's nodejs and npm packages (scripts/dev.sh does)")

os.makedirs(work, exist_ok=True)
for name in ("package.json", "package-lock.json", "test_faktory_worker.js", "worker_process.js"):
    shutil.copy(os.path.join(here, name), work)
if not os.path.isdir(os.path.join(work, "node_modules", "faktory-worker")):
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=work, check=True)

data = tempfile.mkdtemp(prefix="qd-faktory-data-")
server = subprocess.Popen(
    [qdeck, "serve", "--data-dir", data, "--listen", "127.0.0.1:0",
     "--faktory-listen", "127.0.0.1:0"],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    http_port = faktory_port = None
    deadline = time.monotonic() + 30
    while (http_port is None or faktory_port is None) and time.monotonic() < deadline:
        line = server.stdout.readline()
        if not line:
            break
        if m := re.search(r"serving on (\S+) \(port (\d+)\)", line):
            http_port = int(m.group(2))
        if m := re.search(r"Faktory clients: port (\d+)", line):
            faktory_port = int(m.group(1))
    if http_port is None or faktory_port is None:
        sys.exit("qdeck serve did not say its ports")
    with open(os.path.join(data, "faktory-password")) as f:
        password = f.read().strip()
    with open(os.path.join(data, "admin-token")) as f:
        admin = f.read().strip()
    env = dict(os.environ,
               FAKTORY_URL=f"tcp://:{password}@127.0.0.1:{faktory_port}",
               QUEUEDECK_URL=f"http://127.0.0.1:{http_port}",
               QUEUEDECK_ADMIN_TOKEN=admin)
    result = subprocess.run(["node", "--test", "--test-reporter=spec", "test_faktory_worker.js"],
                            cwd=work, env=env, timeout=400)
    sys.exit(result.returncode)
finally:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
    shutil.rmtree(data, ignore_errors=True)
