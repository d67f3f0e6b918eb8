#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""The packages on a fresh Debian 12 machine.

Builds a minimal Debian 12 root (debootstrap --variant=minbase bookworm, from the mirror apt
already uses), keeps it as a tarball in the cache directory so that later runs only unpack it,
and inside it, with nothing else installed:
  - apt-get install --no-install-recommends ./qdeck_*.deb: its Depends alone must bring what
    it needs;
  - qdeck serve as the package's queuedeck user with the packaged serve.conf, on a free loopback
    port; the admin token read by root from the data directory; a queue made over the API;
  - the connect command the API gives (GET /worker-queues/{id}/worker-command), run as pasted,
    which starts /usr/bin/qdeck worker start;
  - qdeck enqueue --wait: a task runs to success through the handler; a second one through
    the worker qdeck-worker@.service describes (its environment file in the shape every
    install path writes, its ExecStart and User), run by hand as no systemd runs here;
  - apt-get remove keeps the data and serve.conf; apt-get purge takes them; after purge and
    autoremove nothing is left under /usr and /etc that was not there before;
  - with --gui: the same for queuedeck_*.deb, whose window starts offscreen and serves.

usage: freshroot.py --cache DIR --qdeck qdeck.deb [--gui queuedeck.deb]
QUEUEDECK_FRESHROOT_REFRESH=1 makes the root again; QUEUEDECK_FRESHROOT_MIRROR=URL picks another
mirror. apt's downloads are kept in DIR/archives, so later runs fetch nothing again.
Exit code 77 (skipped) when this machine cannot make a root: not root, or no debootstrap.
"""

import argparse
import fcntl
import json
import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SKIP = 77
SUITE = "bookworm"
ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "DEBIAN_FRONTEND": "noninteractive",
    "LANG": "C.UTF-8",
    "HOME": "/root",
}


def say(message):
    print(message, flush=True)


def fail(message):
    raise SystemExit(f"FAIL: {message}")


def apt_mirror():
    """The Debian archive apt on this machine uses for bookworm (deb822 or one-line sources)."""
    if os.environ.get("QUEUEDECK_FRESHROOT_MIRROR"):
        return os.environ["QUEUEDECK_FRESHROOT_MIRROR"]
    files = [Path("/etc/apt/sources.list")] + sorted(Path("/etc/apt/sources.list.d").glob("*"))
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if path.suffix == ".sources":
            for stanza in re.split(r"\n\s*\n", text):
                fields = dict(re.findall(r"^([A-Za-z-]+):\s*(.*)$", stanza, re.M))
                if SUITE in fields.get("Suites", "").split() and "deb" in fields.get("Types", ""):
                    return fields["URIs"].split()[0]
        else:
            for line in text.splitlines():
                words = re.sub(r"\[[^]]*\]", "", line.split("#")[0]).split()
                if len(words) >= 3 and words[0] == "deb" and words[2] == SUITE:
                    return words[1]
    return "http://deb.debian.org/debian"


def cached_root(cache):
    """The tarball of a minbase bookworm root, made once."""
    tarball = cache / f"debian-{SUITE}-minbase.tar.gz"
    if tarball.exists() and not os.environ.get("QUEUEDECK_FRESHROOT_REFRESH"):
        say(f"cached root: {tarball}")
        return tarball, 0.0
    mirror = apt_mirror()
    say(f"no cached root: debootstrap --variant=minbase {SUITE} from {mirror}")
    started = time.monotonic()
    building = Path(tempfile.mkdtemp(prefix="debootstrap.", dir=cache))
    try:
        run(["debootstrap", "--variant=minbase", SUITE, str(building), mirror])
        # The package lists stay (debootstrap fetched them); the downloaded .debs do not.
        run(["chroot", str(building), "apt-get", "clean"], env=ENV)
        partial = tarball.with_suffix(".partial")
        run(["tar", "--numeric-owner", "-czf", str(partial), "-C", str(building), "."])
        partial.rename(tarball)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    took = time.monotonic() - started
    say(f"root made and cached in {took:.0f} s: {tarball}")
    return tarball, took


def sweep(cache):
    """Roots a killed run left behind: their mounts undone, their files removed."""
    for stale in list(cache.glob("root.*")) + list(cache.glob("debootstrap.*")):
        prefix = str(stale.resolve()) + "/"
        with open("/proc/mounts") as mounts:
            points = [line.split()[1] for line in mounts if line.split()[1].startswith(prefix)]
        for point in sorted(points, reverse=True):
            subprocess.run(["umount", "--lazy", point])
        say(f"removing {stale}, left by an earlier run")
        shutil.rmtree(stale)


def run(command, check=True, **kwargs):
    result = subprocess.run(command, **kwargs)
    if check and result.returncode != 0:
        fail(f"{shlex.join(command)} exited with {result.returncode}")
    return result


def mounted(path):
    target = str(path.resolve())
    with open("/proc/mounts") as mounts:
        return any(line.split()[1] == target for line in mounts)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def files_under(root, tops=("usr", "etc")):
    found = set()
    for top in tops:
        for directory, dirs, files in os.walk(root / top):
            relative = Path(directory).relative_to(root)
            found.update(f"/{relative / name}" for name in dirs + files)
    return found


class Root:
    """An unpacked root with /proc mounted, the shared download cache bound in, and no
    service allowed to start (policy-rc.d)."""

    def __init__(self, tarball, cache):
        self.path = Path(tempfile.mkdtemp(prefix="root.", dir=cache))
        self.archives = cache / "archives"
        self.processes = []
        self.mounts = []
        (self.archives / "partial").mkdir(parents=True, exist_ok=True)
        run(["tar", "--numeric-owner", "-xzf", str(tarball), "-C", str(self.path)])
        self.path.chmod(0o755)  # a root directory every user can enter, as on a machine
        # apt downloads as its _apt user into the shared cache.
        apt_user = re.search(r"^_apt:[^:]*:(\d+):", (self.path / "etc/passwd").read_text(), re.M)
        if apt_user:
            os.chown(self.archives / "partial", int(apt_user.group(1)), 0)
        shutil.copy("/etc/resolv.conf", self.path / "etc/resolv.conf")
        # A throwaway root: dpkg need not sync each file it writes.
        (self.path / "etc/dpkg/dpkg.cfg.d/unsafe-io").write_text("force-unsafe-io\n")
        policy = self.path / "usr/sbin/policy-rc.d"
        policy.write_text("#!/bin/sh\n# No service starts in this root.\nexit 101\n")
        policy.chmod(0o755)
        self.mount(["-t", "proc", "proc"], self.path / "proc")
        # A private pty instance, for apt's terminal log; optional where mounting it is refused.
        self.mount(["-t", "devpts", "-o", "newinstance,ptmxmode=0666,mode=0620", "devpts"],
                   self.path / "dev/pts", required=False)
        self.mount(["--bind", str(self.archives)], self.path / "var/cache/apt/archives")

    def mount(self, how, where, required=True):
        if run(["mount", *how, str(where)], check=required).returncode == 0:
            self.mounts.append(where)

    def close(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        left = []
        for where in reversed(self.mounts):
            if subprocess.run(["umount", str(where)]).returncode != 0:
                subprocess.run(["umount", "--lazy", str(where)])
            if mounted(where):
                left.append(where)
        if left:
            fail(f"still mounted, {self.path} left in place: {left}")
        shutil.rmtree(self.path)

    def run(self, *command, check=True, user=None, env=None, **kwargs):
        return run(self.command(command, user), check=check, env={**ENV, **(env or {})}, **kwargs)

    def start(self, *command, user=None, env=None):
        process = subprocess.Popen(self.command(command, user), env={**ENV, **(env or {})},
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0,
                                   start_new_session=True)
        self.processes.append(process)
        return process

    def command(self, command, user):
        if user:
            command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups",
                       *command]
        return ["chroot", str(self.path), *command]

    def apt(self, *arguments):
        """apt-get in the root; package lists from the cache are refreshed when they are stale."""
        if self.run("apt-get", "-y", "-q", *arguments, check=False).returncode != 0:
            say("apt-get failed; refreshing the package lists and trying again")
            self.run("apt-get", "-q", "update")
            self.run("apt-get", "-y", "-q", *arguments)


def line_matching(process, pattern, seconds):
    """Reads the process's output until a line matches; fails at its exit or the deadline.
    Reads the pipe itself (no buffered reader), so a line already read is never waited for."""
    deadline = time.monotonic() + seconds
    pending = getattr(process, "pending", b"")
    seen = []
    while True:
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            text = line.decode(errors="replace")
            seen.append(text)
            if match := re.search(pattern, text):
                process.pending = pending
                return match
        left = deadline - time.monotonic()
        ready = select.select([process.stdout], [], [], max(left, 0))[0] if left > 0 else []
        chunk = os.read(process.stdout.fileno(), 65536) if ready else b""
        if not chunk:
            break
        pending += chunk
    output = "\n".join(seen + [pending.decode(errors="replace")])
    fail(f"no line matching {pattern!r} within {seconds} s; output:\n{output}")


def stop(process, seconds=60):
    """SIGTERM to the process group; the exit code."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.wait(seconds)
    except subprocess.TimeoutExpired:
        fail(f"pid {process.pid} did not stop within {seconds} s of SIGTERM")


def api(url, token, method="GET", body=None):
    request = urllib.request.Request(
        url, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


# The account databases' backups, written when postinst adds the queuedeck user (which stays:
# see packaging/debian/postrm); the accounts themselves are compared line by line.
ACCOUNT_BACKUPS = {"/etc/passwd-", "/etc/group-", "/etc/shadow-", "/etc/gshadow-"}


def accounts(root):
    return {name: set((root.path / "etc" / name).read_text().splitlines())
            for name in ("passwd", "group")}


def check_purged(root, before, package_files, what, accounts_before):
    left = sorted(files_under(root.path) - before - ACCOUNT_BACKUPS)
    if left:
        fail(f"after purging {what}, these were not there before:\n  " + "\n  ".join(left))
    ours = []
    for name in package_files:
        path = root.path / name.lstrip("/")
        if not path.exists():
            continue
        # /lib is /usr/lib on Debian 12: compare the real path.
        real = "/" + str(path.resolve().relative_to(root.path.resolve()))
        if real not in before and real not in ("/", "/usr", "/etc"):
            ours.append(name)
    if ours:
        fail(f"files of {what} left after purge: {ours}")
    for name, lines in accounts(root).items():
        added = [line for line in lines - accounts_before[name]
                 if not line.startswith("queuedeck:")]
        if added:
            fail(f"/etc/{name} has new entries after purging {what}: {added}")
    say(f"purge of {what}: nothing left under /usr and /etc")


def enqueue(root, queue_id, url, payload):
    """qdeck enqueue --wait in the root, with the admin token as root reads it: the task."""
    done = root.run("/usr/bin/qdeck", "enqueue", "--queue", queue_id, "--type", "check",
                    "--payload", json.dumps(payload), "--wait", "--json", "--server", url,
                    "--token-file", "/var/lib/queuedeck/admin-token", capture_output=True,
                    text=True, timeout=120, check=False)
    if done.returncode != 0:
        fail(f"qdeck enqueue --wait exited {done.returncode}: {done.stdout}{done.stderr}")
    task = json.loads(done.stdout)
    if task.get("state") != "succeeded":
        fail(f"the task did not succeed: {task}")
    return task


def start_unit(root, template, instance, values):
    """What systemd does for template@instance: the environment file written (0600) in the
    team's shape and read back, ${VAR}s of ExecStart replaced, User=, StateDirectory= and
    WorkingDirectory= applied. No systemd runs here, so this reads the packaged unit itself."""
    unit = (root.path / "lib/systemd/system" / template).read_text().replace("%i", instance)
    field = dict(re.findall(r"^(\w+)=(.*)$", unit, re.M))
    env_file = root.path / field["EnvironmentFile"].lstrip("/")
    env_file.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    env_file.chmod(0o600)
    environment = dict(re.findall(r"^(\w+)=(.*)$", env_file.read_text(), re.M))
    argv = [re.sub(r"\$\{(\w+)\}", lambda m: environment[m.group(1)], word)
            for word in field["ExecStart"].split()]
    state = root.path / "var/lib" / field["StateDirectory"]
    state.mkdir(parents=True)
    passwd = (root.path / "etc/passwd").read_text()
    uid, gid = re.search(rf"^{field['User']}:[^:]*:(\d+):(\d+):", passwd, re.M).groups()
    for directory in (state, state.parent):
        os.chown(directory, int(uid), int(gid))
    return root.start("env", "-C", field["WorkingDirectory"], *argv, user=field["User"],
                      env=environment)


def qdeck_scenario(root, deb):
    before = files_under(root.path)
    accounts_before = accounts(root)
    (root.path / "tmp/debs").mkdir(exist_ok=True)
    shutil.copy(deb, root.path / "tmp/debs")
    started = time.monotonic()
    root.apt("install", "--no-install-recommends", f"/tmp/debs/{deb.name}")
    say(f"apt-get install ./{deb.name}: {time.monotonic() - started:.0f} s")
    package_files = root.run("dpkg-query", "-L", "qdeck", capture_output=True,
                             text=True).stdout.split()
    conffiles = root.run("dpkg-query", "-W", "-f=${Conffiles}", "qdeck", capture_output=True,
                         text=True).stdout
    if "/etc/queuedeck/serve.conf" not in conffiles:
        fail(f"serve.conf is not a conffile: {conffiles!r}")
    root.run("getent", "passwd", "queuedeck", stdout=subprocess.DEVNULL)
    root.run("test", "-d", "/var/lib/queuedeck")
    root.run("/usr/bin/qdeck", "--version")

    # The server as the service runs it, on a free port instead of 7070.
    server = root.start("/usr/bin/qdeck", "serve", "--config", "/etc/queuedeck/serve.conf",
                        "--data-dir", "/var/lib/queuedeck", "--listen", "127.0.0.1:0",
                        user="queuedeck", env={"HOME": "/var/lib/queuedeck"})
    port = int(line_matching(server, r"serving on \S+ \(port (\d+)\)", 60).group(1))
    url = f"http://127.0.0.1:{port}"
    token = (root.path / "var/lib/queuedeck/admin-token").read_text().strip()
    queue = api(f"{url}/api/v1/environments/default/worker-queues", token, "POST",
                {"name": "freshroot"})
    connect = api(f"{url}/api/v1/worker-queues/{queue['id']}/worker-command", token)["command"]
    say(f"connect command: {re.sub(r'QUEUEDECK_TOKEN=[^ ]+', 'QUEUEDECK_TOKEN=…', connect)}")
    if not re.search(r"\bqdeck worker start\b.* -- ", connect):
        fail(f"the connect command does not start qdeck worker: {connect}")
    found = root.run("sh", "-c", "command -v qdeck", capture_output=True, text=True).stdout
    if found.strip() != "/usr/bin/qdeck":
        fail(f"qdeck on PATH is {found.strip()!r}, not /usr/bin/qdeck")

    handler = root.path / "tmp/freshroot-handler"
    handler.write_text('#!/bin/sh\ncat >"/tmp/handled-$QUEUEDECK_TASK_ID"\n'
                       'echo \'{"handled": true}\'\n')
    handler.chmod(0o755)
    # As pasted, with this root's handler in place of the example's ./handle-task.
    command = connect.rsplit(" -- ", 1)[0] + " -- /tmp/freshroot-handler"
    worker = root.start("sh", "-c", f"exec env {command}")
    line_matching(worker, r"registered on ", 60)

    task = enqueue(root, queue["id"], url, {"from": "freshroot"})
    handled = root.path / f"tmp/handled-{task['id']}"
    if json.loads(handled.read_text()) != {"from": "freshroot"}:
        fail(f"the handler saw {handled.read_text()!r}")
    say(f"task {task['id']} succeeded through /usr/bin/qdeck worker start")

    if (code := stop(worker)) != 0:
        fail(f"the worker exited {code} on SIGTERM (drain)")

    # The same worker as qdeck-worker@fresh.service runs it, from its environment file.
    values = dict(re.findall(r"(QUEUEDECK_TOKEN)=(\S+)", connect))
    values.update(QUEUEDECK_QUEUE_ID=queue["id"], QUEUEDECK_SERVER=url,
                  QUEUEDECK_HANDLER="/tmp/freshroot-handler")
    worker = start_unit(root, "qdeck-worker@.service", "fresh", values)
    line_matching(worker, r"registered on ", 60)
    task = enqueue(root, queue["id"], url, {"from": "qdeck-worker@fresh"})
    handled = root.path / f"tmp/handled-{task['id']}"
    user = (root.path / "etc/passwd").read_text().split("queuedeck:")[1].split(":")[1]
    if handled.stat().st_uid != int(user):
        fail(f"the unit's handler did not run as the queuedeck user (uid {handled.stat().st_uid})")
    say(f"task {task['id']} succeeded through qdeck-worker@fresh.service's command and user")
    if (code := stop(worker)) != 0:
        fail(f"the unit's worker exited {code} on SIGTERM (drain)")
    if (code := stop(server)) != 0:
        fail(f"the server exited {code} on SIGTERM")

    root.apt("remove", "qdeck")
    for kept in ("var/lib/queuedeck/queuedeck.db", "etc/queuedeck/serve.conf"):
        if not (root.path / kept).exists():
            fail(f"/{kept} is gone after apt-get remove; remove keeps it")
    root.apt("purge", "qdeck")
    for gone in ("var/lib/queuedeck", "etc/queuedeck"):
        if (root.path / gone).exists():
            fail(f"/{gone} is still there after apt-get purge")
    root.apt("autoremove", "--purge")
    check_purged(root, before, package_files, "qdeck", accounts_before)


def gui_scenario(root, deb):
    before = files_under(root.path)
    accounts_before = accounts(root)
    shutil.copy(deb, root.path / "tmp/debs")
    started = time.monotonic()
    root.apt("install", "--no-install-recommends", f"/tmp/debs/{deb.name}")
    say(f"apt-get install ./{deb.name}: {time.monotonic() - started:.0f} s")
    package_files = root.run("dpkg-query", "-L", "queuedeck", capture_output=True,
                             text=True).stdout.split()
    offscreen = {"QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": "/tmp"}
    help_text = root.run("/usr/bin/queuedeck", "--help", env=offscreen, capture_output=True,
                         text=True, timeout=60).stdout
    if "--data-dir" not in help_text:
        fail(f"queuedeck --help says: {help_text!r}")
    port = free_port()
    app = root.start("/usr/bin/queuedeck", "--data-dir", "/tmp/queuedeck-data", "--port",
                     str(port), env=offscreen)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=5):
                break
        except OSError:
            if app.poll() is not None:
                fail(f"queuedeck exited {app.returncode}: {app.stdout.read().decode()}")
            if time.monotonic() > deadline:
                fail("queuedeck did not serve within 60 s")
            time.sleep(0.2)
    say("queuedeck started offscreen and serves its embedded server")
    os.killpg(app.pid, signal.SIGTERM)
    try:
        app.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(app.pid, signal.SIGKILL)
        app.wait()
    root.apt("purge", "queuedeck")
    root.apt("autoremove", "--purge")
    check_purged(root, before, package_files, "queuedeck", accounts_before)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--qdeck", type=Path, required=True)
    parser.add_argument("--gui", type=Path)
    args = parser.parse_args()
    if os.geteuid() != 0:
        say("SKIPPED: making a root needs root (debootstrap, chroot, mount)")
        return SKIP
    for tool in ("debootstrap", "chroot", "mount", "tar"):
        if not shutil.which(tool):
            say(f"SKIPPED: {tool} is not installed")
            return SKIP
    args.cache.mkdir(parents=True, exist_ok=True)
    # One run at a time per cache (they share apt's download cache).
    lock = open(args.cache / "lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    sweep(args.cache)
    started = time.monotonic()
    tarball, made = cached_root(args.cache)
    root = Root(tarball, args.cache)
    try:
        say(f"root unpacked in {root.path} ({time.monotonic() - started - made:.0f} s)")
        qdeck_scenario(root, args.qdeck.resolve())
        if args.gui:
            gui_scenario(root, args.gui.resolve())
    finally:
        root.close()
    say(f"PASS in {time.monotonic() - started:.0f} s (of which {made:.0f} s making the root)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
