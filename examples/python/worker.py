#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""A QueueDeck worker in Python with nothing but the standard library.

    QUEUEDECK_TOKEN=qdj_… python3 worker.py --server http://127.0.0.1:7070 --queue-id q_…

A server with a self-signed certificate (what `qdeck serve` makes beyond loopback) is trusted by
its fingerprint, which the queue's connect command carries: --server-fingerprint sha256:AB:…
(or QUEUEDECK_SERVER_FINGERPRINT); a private CA by --ca-file (or QUEUEDECK_CA_FILE).

It follows the API document (GET /api/v1/openapi.json): register with the queue's join token,
heartbeat in the background, long-poll for tasks, run them, acknowledge or fail them in one call.
Replace handle() with your work. Ctrl+C or SIGTERM: finish the task at hand, deregister, exit.
"""

import argparse
import hashlib
import http.client
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.error
import urllib.request


def handle(task):
    """The work: returns the result (any JSON value) or raises to fail the attempt."""
    payload = task["payload"]
    if isinstance(payload, dict) and payload.get("fail"):
        raise ValueError("asked to fail")
    return {"echo": payload, "type": task["type"]}


class WorkerLost(RuntimeError):
    """404 with details.reason "worker_lost": the server declared this worker lost and gave its
    slot away; the worker registers again at once."""
def fingerprint_text(digest_hex):
    return "sha256:" + ":".join(digest_hex[i:i + 2] for i in range(0, 64, 2)).upper()


def parse_fingerprint(text):
    """The hex digest of "sha256:AB:CD:…" written with or without the prefix and colons."""
    digest = text.strip()
    if digest.lower().startswith("sha256:"):
        digest = digest[7:]
    digest = digest.replace(":", "").lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        sys.exit(f"a server fingerprint is sha256: and 32 hex pairs, e.g. sha256:AB:CD:…; got {text}")
    return digest


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Trusts exactly the server certificate with the pinned SHA-256 fingerprint, whoever signed
    it; checked right after the handshake, before any byte of the request is sent."""

    def __init__(self, host, pin, timeout=None):
        context = ssl.create_default_context()
        context.check_hostname = False  # the pin names the certificate itself
        context.verify_mode = ssl.CERT_NONE
        super().__init__(host, timeout=timeout, context=context)
        self.pin = pin

    def connect(self):
        super().connect()
        presented = hashlib.sha256(self.sock.getpeercert(binary_form=True)).hexdigest()
        if presented != self.pin:
            self.close()
            raise ssl.SSLError(f"refused the server's TLS certificate: it is "
                               f"{fingerprint_text(presented)}, but the pinned fingerprint is "
                               f"{fingerprint_text(self.pin)}")


class PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, pin):
        super().__init__()
        self.pin = pin

    def https_open(self, req):
        return self.do_open(
            lambda host, timeout=None, **_: PinnedHTTPSConnection(host, self.pin, timeout), req)


class Api:
    def __init__(self, server, token, fingerprint=None, ca_file=None):
        self.server = server.rstrip("/")
        self.token = token
        if fingerprint:
            self.opener = urllib.request.build_opener(PinnedHTTPSHandler(parse_fingerprint(fingerprint)))
        elif ca_file:
            self.opener = urllib.request.build_opener(
                urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=ca_file)))
        else:
            self.opener = urllib.request.build_opener()

    def call(self, method, path, body=None, timeout=30):
        request = urllib.request.Request(
            self.server + "/api/v1" + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": "Bearer " + self.token,
                     "Content-Type": "application/json"})
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                return json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = json.loads(error.read() or b"{}").get("error", {})
            if error.code == 404 and (detail.get("details") or {}).get("reason") == "worker_lost":
                raise WorkerLost(detail.get("message"))
            raise RuntimeError(f"{error.code} {detail.get('code')}: {detail.get('message')}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--queue-id", required=True)
    parser.add_argument("--max", type=int, default=4, help="tasks leased per call")
    parser.add_argument("--server-fingerprint",
                        default=os.environ.get("QUEUEDECK_SERVER_FINGERPRINT"),
                        help="trust exactly the server certificate with this SHA-256 fingerprint")
    parser.add_argument("--ca-file", default=os.environ.get("QUEUEDECK_CA_FILE"),
                        help="trust the CA certificates of this PEM file")
    args = parser.parse_args()
    token = os.environ.get("QUEUEDECK_TOKEN")
    if not token:
        sys.exit("set QUEUEDECK_TOKEN to the queue's join token")
    if args.server_fingerprint and args.ca_file:
        sys.exit("give either --server-fingerprint or --ca-file, not both")

    api = Api(args.server, token, args.server_fingerprint, args.ca_file)
    registration = {}

    def register():
        api.token = token
        registration.update(api.call("POST", "/workers/register", {
            "worker_id": registration.get("worker_id"), "queue_id": args.queue_id,
            "hostname": socket.gethostname(), "pid": os.getpid(), "version": "example-python",
            "concurrency": args.max}))
        api.token = registration["credential"]  # from here on the worker's own credential
        print(f"registered as {registration['worker_id']}", flush=True)

    try:
        register()
    except (OSError, RuntimeError) as error:
        sys.exit(f"cannot register: {getattr(error, 'reason', error)}")
    worker_id = registration["worker_id"]

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())

    def heartbeat():
        while not stopping.wait(registration["heartbeat_interval_s"]):
            try:
                reply = api.call("POST", f"/workers/{worker_id}/heartbeat", {"status": "ok"})
                if reply["state"] != "run":
                    stopping.set()
            except (OSError, RuntimeError) as error:
                print(f"heartbeat: {error}", file=sys.stderr, flush=True)

    threading.Thread(target=heartbeat, daemon=True).start()

    while not stopping.is_set():
        try:
            # Answered the moment work arrives; an empty list after wait_ms.
            leased = api.call("POST", f"/workers/{worker_id}/lease",
                              {"max": args.max, "wait_ms": 2000}, timeout=35)["tasks"]
        except WorkerLost as error:
            print(f"lease: {error}; registering again", file=sys.stderr, flush=True)
            register()
            continue
        except (OSError, RuntimeError) as error:
            print(f"lease: {error}; retrying", file=sys.stderr, flush=True)
            time.sleep(1)
            continue
        acks, fails = [], []
        for task in leased:
            try:
                acks.append({"task_id": task["id"], "lease_id": task["lease_id"],
                             "result": handle(task)})
            except Exception as error:  # the attempt fails; the queue's retry policy decides
                fails.append({"task_id": task["id"], "lease_id": task["lease_id"],
                              "error": str(error), "retryable": True})
        if acks or fails:
            outcome = api.call("POST", f"/workers/{worker_id}/complete",
                               {"acks": acks, "fails": fails})
            for item in outcome["results"]:
                if not item["ok"]:
                    print(f"{item['task_id']}: {item['error']['message']}", file=sys.stderr)

    api.call("DELETE", f"/workers/{worker_id}")
    print("deregistered", flush=True)


if __name__ == "__main__":
    main()
