#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Writes the hand-made seeds of the fuzz corpora (tests/fuzz/corpus/<target>/seed-*).
Findings are added beside them as regression-* files and are never rewritten by this script."""

import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent

HTTP = {
    "get": b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n",
    "post-json": b"POST /api/v1/worker-queues/q_8k2m4xa9bc/tasks HTTP/1.1\r\nHost: x\r\n"
                 b"Authorization: Bearer qda_x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 30\r\n\r\n{\"type\":\"t\",\"payload\":{\"a\":1}}",
    "chunked": b"POST /api/v1/workers/w/lease HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"5\r\n{\"max\r\nc\r\n\": 1, \"x\":2}\r\n0\r\n\r\n",
    "pipelined": b"GET /a HTTP/1.1\r\n\r\nGET /b?x=1 HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n"
                 b"GET /d HTTP/1.1\r\n\r\nGET /e HTTP/1.1\r\n\r\nGET /f HTTP/1.1\r\n\r\n",
    "close": b"GET /api/v1/version HTTP/1.1\r\nConnection: close\r\n\r\nGET /after HTTP/1.1\r\n\r\n",
    "http10": b"GET /api/v1/version HTTP/1.0\r\n\r\n",
    "too-large-body": b"POST / HTTP/1.1\r\nContent-Length: 999999\r\n\r\nabc",
    "too-many-headers": b"GET / HTTP/1.1\r\n" + b"X-A: " + b"a" * 1100 + b"\r\n\r\n",
    "folded-header": b"GET / HTTP/1.1\r\nX-A: one\r\n two\r\nx-a: three\r\n\r\n",
    "query": b"GET /api/v1/tasks/t_1?wait_s=1.5&limit=10&q=%E2%9C%93+x HTTP/1.1\r\n\r\n",
    "malformed": b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "upgrade": b"GET /events HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
    "length-and-chunked": b"POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked"
                          b"\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n",
    "chunk-extensions": b"\r\n\r\nPOST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        b"3;a=b\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\nGET /y HTTP/1.1\r\n\r\n",
    "bare-lf": b"GET / HTTP/1.1\nHost: x\n\n",
}

QUERY = {
    "plain": b"/api/v1/worker-queues/q_8k2m4xa9bc/tasks?state=queued&limit=50&cursor=abc",
    "encoded": b"/api/v1/environments/de%2Ffault/queues/a%20b/tasks?q=%C3%A9t%C3%A9+%2B1",
    "bad-percent": b"/api/v1/tasks/%zz%?wait_s=%&limit=%ff%fe",
    "metrics": b"/api/v1/metrics?range=24h&range=5m",
    "events": b"/api/v1/events?topics=stats,%20queue,task&cards=changed",
    "empty-items": b"/?&&=&a==b&;c",
    "float": b"/api/v1/tasks/t_1?wait_s=1e308&after=-9223372036854775808",
    "nothing": b"",
}

QUEUE = {"name": "q", "max_workers": 3, "task_timeout_s": 60, "retention_s": 3600}
TASK = {"type": "t", "payload": {"a": [1, 2]}, "priority": 5, "idempotency_key": "k",
        "concurrency_key": "c", "required_labels": {"gpu": "true"}, "delay_ms": 10,
        "max_attempts": 3, "timeout_s": 30}
CODEC = [
    {"name": "prod", "description": "d", "auto_create": True},
    QUEUE,
    {"max_workers": 5, "paused": True, "display_name": "x"},
    TASK,
    {"action": "retry", "filter": {"state": "dead"}},
    {"tasks": [TASK, {"type": "u", "payload": None}]},
    {"worker_id": "w1", "queue_id": "q_8k2m4xa9bc", "hostname": "h", "pid": 1, "version": "1",
     "concurrency": 2, "capabilities": {"a": 1}, "labels": {"gpu": "true"}},
    {"worker_id": "w1", "status": "ok", "running": ["t_1"]},
    {"max": 8, "wait_ms": 1000},
    {"acks": [{"task_id": "t_1", "lease_id": "l_1", "result": {"r": 1}}],
     "fails": [{"task_id": "t_2", "lease_id": "l_2", "error": "e", "retryable": False}],
     "then_lease": {"max": 1, "wait_ms": 0}},
    {"id": "q_8k2m4xa9bc", "name": "q", "environment": "default", "counts": {"queued": 1}},
    {"id": "t_1", "queue_id": "q_1", "type": "t", "state": "running", "payload": {}},
    {"worker_id": "w1", "state": "idle", "queue_ids": ["q_1"], "labels": {}},
    {"id": "t_1", "lease_id": "l_1", "queue_id": "q_1", "type": "t", "payload": 1, "attempt": 1},
    {"name": "default", "description": "", "auto_create": True},
    {"id": 3, "at": "2026-01-01T00:00:00Z", "stream": "stdout", "line": "hello"},
    {"name": "p", "queue_ids": ["q_1"], "token": "qdp_x"},
    {"id": 1, "at": "2026-01-01T00:00:00Z", "action": "x", "target": "y"},
    {"active_workers": 1, "queues": 1, "cards": [{"queue": {"id": "q_1"}}]},
    {"queue": {"id": "q_1", "name": "q"}, "wait_p95_ms": 3.5},
    {"range": "5m", "samples": [{"at": "2026-01-01T00:00:00Z", "depth": 1}]},
]

JOB = b'{"jid":"j1","jobtype":"Add","args":[1,2],"queue":"default","retry":3,"custom":{"k":"v"}}'
FAKTORY = {
    "producer": b"HELLO {\"v\":2,\"pwdhash\":\"00ff\"}\r\nPUSH " + JOB + b"\r\nINFO\r\nEND\r\n",
    "consumer": b'HELLO {"v":2,"wid":"w1","hostname":"h","pid":1,"labels":["gpu"]}\r\n'
                b"FETCH critical default\r\nACK {\"jid\":\"j1\"}\r\n"
                b'FAIL {"jid":"j1","errtype":"E","message":"m","backtrace":["a:1","b:2"]}\r\n'
                b'BEAT {"wid":"w1"}\r\n',
    "pushb": b'PUSHB [' + JOB + b',{"jid":"j2","jobtype":"","at":"nope"},3]\n'
             b'PUSH {"jid":"j3","jobtype":"T","at":"2026-01-01T00:00:00Z","reserve_for":60,'
             b'"priority":9}\n',
    "mutate": b'MUTATE {"cmd":"kill","target":"retries","filter":{"jobtype":"A",'
              b'"jids":["a","b"],"regexp":"*uid:[0-9]?\\\\*[^x]*"}}\n'
              b'MUTATE {"cmd":"clear","target":"dead"}\nMUTATE {"cmd":"requeue","target":"x"}\n'
              b'MUTATE {"cmd":"discard","target":"scheduled","filter":{"regexp":"[a-"}}\n',
    "queue": b"QUEUE PAUSE a b\nQUEUE REMOVE *\nFLUSH\nBATCH new {}\nNOPE x\n\n\r\n",
    "long-line": b"PUSH " + b"x" * 300 + b"\nINFO\n",
    "crlf-split": b"IN\rFO\r\r\nEND",
}

# Bodies for the JSON scans (jsonscanfuzzer): compact as clients send them, and near misses.
JSONSCAN = {
    "compact": b'{"payload":{"i":1,"t":1733059200000000},"type":"bench"}',
    "type-first": b'{"type":"email.send","payload":[1,2,{"a":"b"}]}',
    "extra-member": b'{"type":"t","payload":{},"priority":3}',
    "escapes": b'{"payload":"caf\\u00e9 \\"x\\"","type":"t"}',
    "spaces": b'{"payload": {"a" : 1 },"type":"t"}',
    "unsorted-keys": b'{"payload":{"b":1,"a":2},"type":"t"}',
    "prefix-keys": b'{"payload":{"a":1,"a!":2,"a ":3},"type":"t"}',
    "numbers": b'[0,-0,1.5,-2e3,12345678901234567890,1E400,007]',
    "scalars": b'true',
    "duplicate": b'{"payload":1,"payload":2,"type":"t"}',
    "unicode-key": b'{"p\\u0061yload":1,"type":"t"}',
    "deep": b'[' * 600 + b']' * 600,
}


def write(target, name, data):
    directory = HERE / "corpus" / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"seed-{name}").write_bytes(data)


def main():
    for name, data in HTTP.items():
        write("httprequestfuzzer", name, data)
    for name, data in QUERY.items():
        write("querystringfuzzer", name, data)
    for index, body in enumerate(CODEC):
        write("codecfuzzer", f"{index:02d}", bytes([index]) + json.dumps(body).encode())
    write("codecfuzzer", "not-json", bytes([3]) + b'{"type": "t", "payload": [1, 2')
    for name, data in JSONSCAN.items():
        write("jsonscanfuzzer", name, data)
    # Byte 0: the line limit in 64-byte steps; byte 1: the piece size the stream arrives in.
    for index, (name, data) in enumerate(FAKTORY.items()):
        write("faktorycommandfuzzer", name, bytes([3 + index, [0, 6, 200][index % 3]]) + data)


if __name__ == "__main__":
    main()
