#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""`qdeck serve` on data it cannot write refuses to start: a message that names the path and
what to change, and a non-zero exit, never a server that accepts and then fails every write.

    tests/reliability/diskfull_unwritable.py build/bin/qdeck

Cases: a data directory the server's user may not write; a database file it may only read (both
as user `nobody` through setpriv when run as root, since root ignores file modes; with chmod
otherwise); a read-only file system (a read-only bind mount, only where mount is allowed).
Exits 77 (skipped) when no case could run here, never 0.
"""
import os
import pathlib
import pwd
import shutil
import subprocess
import sys
import tempfile

SKIPPED = 77


def serve(qdeck, data_dir, as_user=None):
    """Runs qdeck serve on data_dir; returns (exit code, output) once it ends, or (None, output)
    when it was still serving after 20 s (stopped then)."""
    argv = [qdeck, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(data_dir)]
    if as_user:
        argv = ["setpriv", f"--reuid={as_user}", f"--regid={as_user}", "--clear-groups"] + argv
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=dict(os.environ, HOME="/nonexistent"))
    try:
        output, _ = process.communicate(timeout=20)
        return process.returncode, output
    except subprocess.TimeoutExpired:
        process.terminate()
        output, _ = process.communicate(timeout=15)
        return None, output


def make_database(qdeck, data_dir):
    """A real database made by a server that then stopped cleanly."""
    process = subprocess.Popen([qdeck, "serve", "--listen", "127.0.0.1:0", "--data-dir",
                                str(data_dir)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    for line in process.stdout:
        if "serving on" in line:
            break
    process.terminate()
    process.wait(timeout=15)
    if not (data_dir / "queuedeck.db").exists():
        raise SystemExit("FAIL: could not make a database to test with")


def expect_refusal(name, code, output, words):
    if code is None:
        print(f"FAIL: {name}: the server started on data it cannot write\n{output}")
        return False
    if code == 0:
        print(f"FAIL: {name}: exit code 0\n{output}")
        return False
    missing = [w for w in words if w not in output]
    if missing:
        print(f"FAIL: {name}: the message does not say {missing}\n{output}")
        return False
    print(f"ok: {name}: exit {code}: {output.strip().splitlines()[-1]}")
    return True


def main():
    qdeck = os.path.abspath(sys.argv[1])
    root = os.geteuid() == 0
    user = None
    if root:
        if not shutil.which("setpriv"):
            print("SKIPPED: running as root without setpriv (util-linux), which the test needs to "
                  "run the server as another user")
            return SKIPPED
        user = pwd.getpwnam("nobody").pw_uid
    ran = 0
    ok = True
    with tempfile.TemporaryDirectory(prefix="qdeck-unwritable-") as top:
        top = pathlib.Path(top)
        top.chmod(0o755)

        # 1. A data directory the server's user may not write.
        locked = top / "locked"
        locked.mkdir()
        locked.chmod(0o755 if root else 0o555)  # root owns it: nobody may not write it
        code, output = serve(qdeck, locked, user)
        ok &= expect_refusal("data directory not writable", code, output,
                             [str(locked), "write access"])
        ran += 1

        # 2. A database the server's user may read but not write, in a directory it may write.
        readonly = top / "readonly-db"
        readonly.mkdir()
        make_database(qdeck, readonly)
        readonly.chmod(0o777 if root else 0o755)
        (readonly / "queuedeck.db").chmod(0o644 if root else 0o444)
        for leftover in ("admin-token", "queuedeck.lock"):
            (readonly / leftover).unlink(missing_ok=True)
        code, output = serve(qdeck, readonly, user)
        ok &= expect_refusal("database file read-only", code, output,
                             [str(readonly / "queuedeck.db"), "read-only"])
        ran += 1

        # 3. A read-only file system: a read-only bind mount of a real data directory.
        if root and shutil.which("mount"):
            source = top / "rw"
            source.mkdir()
            make_database(qdeck, source)
            target = top / "ro"
            target.mkdir()
            mounted = subprocess.run(["mount", "--bind", "-o", "ro", str(source), str(target)],
                                     capture_output=True, text=True).returncode == 0
            if mounted:
                try:
                    code, output = serve(qdeck, target)  # as root: only the mount says no
                    ok &= expect_refusal("read-only file system", code, output,
                                         [str(target), "write"])
                    ran += 1
                finally:
                    subprocess.run(["umount", str(target)], check=False)
            else:
                print("note: read-only bind mount refused here; that case did not run")
    if not ran:
        return SKIPPED
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
