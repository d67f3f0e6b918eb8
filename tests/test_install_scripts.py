#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""The install scripts a real `qdeck serve` hands out, checked as what they are.

    test_install_scripts.py QDECK_BINARY

local: run against a temporary root; it writes /etc/queuedeck/worker-<slug>.env (0600) with
QUEUEDECK_TOKEN, QUEUEDECK_QUEUE_ID, QUEUEDECK_SERVER and QUEUEDECK_HANDLER, the file the packaged
qdeck-worker@.service reads; with the package there (/usr/bin/qdeck) it writes no unit of its own
and names the qdeck-worker@<slug> instance; without, its own unit reads the same file, holds no
token and passes `systemd-analyze verify`. kubernetes: the YAML parses, the token is in a Secret
and the Deployment reads it from there; the image is queuedeck-worker:<version> unless ?image=
names another, and a name that is not an image reference is refused. docker: the token goes
through --env-file, the Dockerfile the script builds exists, and the image it runs is ?image=.
"""

import json
import os
import pathlib
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import urllib.error

import yaml

from qdeckserver import Server

ROOT = pathlib.Path(__file__).resolve().parent.parent
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def verify_unit(root, unit_name):
    """systemd-analyze verify against the temporary root; None when it is not installed."""
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        return None
    # The unit refers to targets of the system and to the programs it starts: give the root the
    # host's unit directory, and the programs.
    (root / "usr/lib").mkdir(parents=True, exist_ok=True)
    os.symlink("/usr/lib/systemd", root / "usr/lib/systemd")
    bin_dir = root / "usr/local/bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name in ("qdeck", "handle-task"):
        program = bin_dir / name
        program.write_text("#!/bin/sh\nexit 0\n")
        program.chmod(0o755)
    result = subprocess.run([analyze, "verify", f"--root={root}",
                             f"/etc/systemd/system/{unit_name}"],
                            capture_output=True, text=True)
    # Warnings about the host's own units (symlinks out of the root) are not ours.
    about_ours = [line for line in (result.stdout + result.stderr).splitlines()
                  if unit_name in line]
    return result.returncode, about_ours


def main():
    qdeck = sys.argv[1]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        server = Server(qdeck, scratch / "data", public_url="https://queues.example:{port}")
        try:
            queue = server.call("POST", "/api/v1/environments/default/worker-queues",
                                {"name": "emails", "max_workers": 3})
            command = server.call("GET", f"/api/v1/worker-queues/{queue['id']}/worker-command")
            token = re.match(r"QUEUEDECK_TOKEN=(\S+) ", command["command"]).group(1)
            base = f"/api/v1/worker-queues/{queue['id']}/install-script?platform="
            scripts = {platform: server.call("GET", base + platform)
                       for platform in ("local", "docker", "kubernetes")}
            image = "registry.example.com/team/queuedeck-worker:1.2"
            scripts["kubernetes-image"] = server.call("GET", f"{base}kubernetes&image={image}")
            scripts["docker-image"] = server.call("GET", f"{base}docker&image={image}")
            try:
                server.call("GET", f"{base}kubernetes&image=a%20b%3Bc")
                refused = None
            except urllib.error.HTTPError as error:
                refused = (error.code, json.loads(error.read())["error"])
            public = f"https://queues.example:{server.port}"
        finally:
            server.stop()
        check(refused is not None and refused[0] == 400
              and refused[1]["code"] == "INVALID_ARGUMENT"
              and "image must be an image reference" in refused[1]["message"],
              f"an image name that is no reference is refused: {refused}")

        slug = re.sub(r"[^a-z0-9]", "-", queue["id"].lower())
        env_name = f"worker-{slug}.env"
        expected_env = [f"QUEUEDECK_TOKEN={token}", f"QUEUEDECK_QUEUE_ID={queue['id']}",
                        f"QUEUEDECK_SERVER={public}"]

        # local, without the qdeck package: a unit of its own reading the env file.
        root = scratch / "root"
        root.mkdir()
        script = scratch / "install-local.sh"
        script.write_text(scripts["local"])
        run = subprocess.run(["sh", str(script)], env=dict(os.environ, QUEUEDECK_ROOT=str(root)),
                             capture_output=True, text=True)
        check(run.returncode == 0, f"the local script failed: {run.stderr}")
        units = list((root / "etc/systemd/system").glob("*.service"))
        envs = list((root / "etc/queuedeck").glob("*.env"))
        check(len(units) == 1 and len(envs) == 1, "one unit and one env file written")
        check([e.name for e in envs] == [env_name], f"the env file is {env_name}: {envs}")
        if units and envs:
            unit, env = units[0], envs[0]
            check(stat.S_IMODE(env.stat().st_mode) == 0o600, "the env file is 0600")
            check(env.read_text().splitlines()
                  == expected_env + ["QUEUEDECK_HANDLER=/usr/local/bin/handle-task"],
                  f"the env file holds token, queue, server and handler: {env.read_text()}")
            text = unit.read_text()
            check(token not in text, "no token in the unit")
            check(f"EnvironmentFile=/etc/queuedeck/{env.name}" in text, "EnvironmentFile= set")
            check("Restart=on-failure" in text, "restarts on failure")
            check("User=queuedeck" in text, "runs as its own user")
            exec_start = [l for l in text.splitlines() if l.startswith("ExecStart=")]
            check(len(exec_start) == 1
                  and "worker start --queue-id ${QUEUEDECK_QUEUE_ID} --server ${QUEUEDECK_SERVER}"
                  " -- ${QUEUEDECK_HANDLER}" in exec_start[0],
                  f"ExecStart runs the worker the env file describes: {exec_start}")
            verified = verify_unit(root, unit.name)
            if verified is None:
                # Without systemd-analyze: every key must be one systemd knows in its section.
                known = {"Unit": {"Description", "Wants", "After"},
                         "Service": {"Type", "User", "EnvironmentFile", "ExecStart", "Restart",
                                     "RestartSec", "KillSignal", "TimeoutStopSec"},
                         "Install": {"WantedBy"}}
                section = None
                for line in text.splitlines():
                    if line.startswith("["):
                        section = line.strip("[]")
                    elif "=" in line:
                        check(line.split("=", 1)[0] in known.get(section, ()),
                              f"known key: {line}")
                print("systemd-analyze is not installed: keys checked by name")
            else:
                code, complaints = verified
                check(code == 0 and not complaints,
                      f"systemd-analyze verify: {code} {complaints}")

        # local, with the qdeck package installed: only the env file, for qdeck-worker@<slug>.
        packaged = scratch / "packaged"
        (packaged / "usr/bin").mkdir(parents=True)
        (packaged / "usr/bin/qdeck").write_text("#!/bin/sh\nexit 0\n")
        (packaged / "usr/bin/qdeck").chmod(0o755)
        run = subprocess.run(["sh", str(script)], capture_output=True, text=True,
                             env=dict(os.environ, QUEUEDECK_ROOT=str(packaged),
                                      QUEUEDECK_HANDLER="/opt/mail/send"))
        check(run.returncode == 0, f"the local script failed with the package: {run.stderr}")
        check(not (packaged / "etc/systemd").exists(), "no unit of its own with the package")
        check(f"qdeck-worker@{slug}.service" in run.stdout,
              f"it names the packaged unit's instance: {run.stdout}")
        env = packaged / "etc/queuedeck" / env_name
        check(env.is_file() and env.read_text().splitlines()
              == expected_env + ["QUEUEDECK_HANDLER=/opt/mail/send"]
              and stat.S_IMODE(env.stat().st_mode) == 0o600,
              "the same env file, 0600, with the handler asked for")
        # The packaged unit, where the repository has it, reads that file.
        for template in ROOT.glob("packaging/**/qdeck-worker@.service"):
            check("EnvironmentFile=/etc/queuedeck/worker-%i.env" in template.read_text(),
                  f"{template} reads /etc/queuedeck/worker-%i.env")

        # kubernetes: a Secret and a Deployment reading the token from it.
        documents = [d for d in yaml.safe_load_all(scripts["kubernetes"]) if d]
        kinds = {d["kind"]: d for d in documents}
        check(set(kinds) == {"Secret", "Deployment"}, f"a Secret and a Deployment: {set(kinds)}")
        secret, deployment = kinds.get("Secret", {}), kinds.get("Deployment", {})
        check(secret.get("stringData", {}).get("QUEUEDECK_TOKEN") == token,
              "the Secret holds the token")
        containers = (deployment.get("spec", {}).get("template", {}).get("spec", {})
                      .get("containers", []))
        check(len(containers) == 1, "one container")
        if containers:
            container = containers[0]
            check(token not in json.dumps(container), "no token in the pod spec")
            env = {e["name"]: e for e in container.get("env", [])}
            reference = env.get("QUEUEDECK_TOKEN", {}).get("valueFrom", {}).get("secretKeyRef", {})
            check(reference.get("name") == secret.get("metadata", {}).get("name")
                  and reference.get("key") == "QUEUEDECK_TOKEN",
                  "QUEUEDECK_TOKEN comes from the Secret")
            check(queue["id"] in container.get("args", []), "the worker runs this queue")
            version = re.search(r"^project\(QueueDeck VERSION (\S+)",
                                (ROOT / "CMakeLists.txt").read_text(), re.M).group(1)
            check(container.get("image") == f"queuedeck-worker:{version}",
                  f"the default image is queuedeck-worker:{version}: {container.get('image')}")
        check("docker build -f packaging/worker.Dockerfile" in scripts["kubernetes"]
              and "docker push" in scripts["kubernetes"],
              "the manifest says how to build and push the image")
        named = [d for d in yaml.safe_load_all(scripts["kubernetes-image"]) if d]
        images = [c.get("image") for d in named if d["kind"] == "Deployment"
                  for c in d["spec"]["template"]["spec"]["containers"]]
        check(images == [image], f"?image= names the Deployment's image: {images}")

        # docker: the token goes through an env file; the Dockerfile exists.
        docker = scripts["docker"]
        run_lines = [l for l in docker.splitlines() if "docker run" in l]
        check(len(run_lines) == 1 and "--env-file" in run_lines[0] and token not in run_lines[0],
              "docker run reads the token from --env-file")
        check(f"QUEUEDECK_TOKEN={token}" in docker, "the env file is written with the token")
        dockerfile = re.search(r"docker build -f (\S+)", docker)
        check(dockerfile is not None and (ROOT / dockerfile.group(1)).is_file(),
              "the Dockerfile it builds is in the repository")
        check("image=queuedeck-worker:" in docker and "docker pull" in docker,
              "outside a checkout the docker script pulls the image")
        check(f"image={image}" in scripts["docker-image"], "?image= names the docker image")

    if failures:
        print(f"{len(failures)} checks failed", file=sys.stderr)
        return 1
    print("install scripts: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
