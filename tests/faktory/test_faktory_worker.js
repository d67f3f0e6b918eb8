// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// QueueDeck's Faktory listener driven by the real Node client faktory-worker. Started by
// run_faktory_tests.py, which gives FAKTORY_URL (with the listener's password), QUEUEDECK_URL and
// QUEUEDECK_ADMIN_TOKEN.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { fork } = require("child_process");
const { Client, Worker } = require("faktory-worker");

const url = process.env.FAKTORY_URL;
const api = process.env.QUEUEDECK_URL;
const adminToken = process.env.QUEUEDECK_ADMIN_TOKEN;

async function until(what, check, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function admin(method, route, body) {
  const headers = { Authorization: `Bearer ${adminToken}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${api}${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${route}: ${response.status} ${await response.text()}`);
}

test("push, fetch and ack", async () => {
  const producer = new Client({ url });
  const consumer = new Client({ url, wid: "node-basic" });
  try {
    const jid = await producer.job("Add", 1, 2).push();
    const job = await consumer.fetch("default");
    assert.strictEqual(job.jid, jid);
    assert.strictEqual(job.jobtype, "Add");
    assert.deepStrictEqual(job.args, [1, 2]);
    assert.strictEqual(await consumer.ack(jid), "OK");
  } finally {
    await producer.close();
    await consumer.close();
  }
});

test("push-bulk answers the bad job only", async () => {
  const client = new Client({ url });
  try {
    const good = client.job("Bulk", 1);
    good.queue = "bulk";
    const rejected = await client.pushBulk([
      good,
      { jid: "bad-1", jobtype: "", queue: "bulk", args: [] },
      { jid: "bad-2", jobtype: "X", queue: "bulk", args: [], at: "not a time" },
    ]);
    assert.deepStrictEqual(Object.keys(rejected).sort(), ["bad-1", "bad-2"]);
    assert.match(rejected["bad-1"].reason, /jobtype/);
    const info = await client.info();
    assert.strictEqual(info.faktory.queues.bulk, 1);
  } finally {
    await client.close();
  }
});

test("fetch from several queues in the order given", async () => {
  const client = new Client({ url, wid: "node-multi" });
  try {
    const low = client.job("Low");
    low.queue = "multi-low";
    const high = client.job("High");
    high.queue = "multi-high";
    await low.push();
    await high.push();
    const first = await client.fetch("multi-high", "multi-low");
    const second = await client.fetch("multi-high", "multi-low");
    assert.strictEqual(first.jobtype, "High");
    assert.strictEqual(second.jobtype, "Low");
    assert.strictEqual(await client.fetch("multi-high", "multi-low"), null);
    await client.ack(first.jid);
    await client.ack(second.jid);
  } finally {
    await client.close();
  }
});

test("fail with retry, then dead", async () => {
  const client = new Client({ url, wid: "node-fail" });
  try {
    const deadBefore = (await client.info()).faktory.sets.dead;
    const job = client.job("Flaky");
    job.queue = "flaky";
    job.retry = 1;
    await job.push();
    const first = await client.fetch("flaky");
    assert.strictEqual(first.failure, undefined);
    await client.fail(first.jid, Object.assign(new Error("first try"), { code: "EFLAKY" }));
    // Back after the queue's backoff (about a second), carrying its failure.
    const again = await until("the retry", () => client.fetch("flaky"));
    assert.strictEqual(again.jid, first.jid);
    assert.strictEqual(again.failure.errtype, "EFLAKY");
    assert.strictEqual(again.failure.message, "first try");
    await client.fail(again.jid, new Error("second try"));
    const info = await client.info();
    assert.strictEqual(info.faktory.sets.dead, deadBefore + 1);
  } finally {
    await client.close();
  }
});

test("a job scheduled with at waits for its time", async () => {
  const client = new Client({ url, wid: "node-at" });
  try {
    const job = client.job("Later");
    job.queue = "later";
    const at = new Date(Date.now() + 4000);
    job.at = at;
    await job.push();
    // A FETCH blocks about 2 s: the job is not due before it ends.
    assert.strictEqual(await client.fetch("later"), null);
    const fetched = await until("the scheduled job", () => client.fetch("later"));
    assert.ok(Date.now() >= at.getTime() - 50);
    await client.ack(fetched.jid);
  } finally {
    await client.close();
  }
});

test("MUTATE through the client's retries, scheduled and dead sets", async () => {
  // Failed jobs wait out a long backoff here, so they stay in the retries set while tested.
  await admin("POST", "/api/v1/environments/default/worker-queues", {
    name: "mutate",
    initial_backoff_ms: 600000,
    max_backoff_ms: 600000,
  });
  const client = new Client({ url, wid: "node-mutate" });
  try {
    const sets = async () => (await client.info()).faktory.sets;
    const push = async (type, fields) => {
      const job = client.job(type);
      job.queue = "mutate";
      Object.assign(job, fields);
      return job.push();
    };
    const later = new Date(Date.now() + 3600 * 1000);
    const before = await sets();
    await push("A", { at: later });
    await push("B", { at: later });
    const marked = await push("A", { at: later, custom: { who: "uid:7" } });
    const flaky = await push("A", { retry: 3 });
    assert.strictEqual((await client.fetch("mutate")).jid, flaky);
    await client.fail(flaky, new Error("later"));
    assert.strictEqual((await sets()).scheduled, before.scheduled + 4); // 3 scheduled, 1 retry

    // kill: only the A job whose payload matches goes to the dead set.
    await client.scheduled.ofType("A").matching("*uid:7*").kill();
    assert.strictEqual((await sets()).dead, before.dead + 1);
    assert.strictEqual((await sets()).scheduled, before.scheduled + 3);
    // requeue from the retries set by jid: it is fetched at once.
    await client.retries.withJids(flaky).requeue();
    assert.strictEqual((await client.fetch("mutate")).jid, flaky);
    await client.ack(flaky);
    // requeue from the dead set: the killed job runs now.
    await client.dead.withJids(marked).requeue();
    assert.strictEqual((await sets()).dead, before.dead);
    assert.strictEqual((await client.fetch("mutate")).jid, marked);
    await client.ack(marked);
    // discard the scheduled B job; clear the rest of the scheduled set and the dead set.
    await client.scheduled.ofType("B").discard();
    assert.strictEqual((await sets()).scheduled, before.scheduled + 1);
    await client.scheduled.clear();
    await client.dead.clear();
    const after = await sets();
    assert.strictEqual(after.scheduled, 0);
    assert.strictEqual(after.dead, 0);
  } finally {
    await client.close();
  }
});

test("INFO has the keys the client reads", async () => {
  const client = new Client({ url });
  try {
    const info = await client.info();
    for (const key of ["queues", "sets", "total_failures", "total_processed", "total_enqueued", "total_queues"])
      assert.ok(key in info.faktory, key);
    for (const key of ["scheduled", "retries", "dead", "working"]) assert.ok(key in info.faktory.sets, key);
    for (const key of ["description", "faktory_version", "uptime", "connections", "command_count"])
      assert.ok(key in info.server, key);
  } finally {
    await client.close();
  }
});

test("a wrong password is refused", async () => {
  const wrong = new URL(url);
  wrong.password = "not-the-password";
  const client = new Client({ url: wrong.toString() });
  try {
    await assert.rejects(client.job("X").push(), /Invalid password|timed out|Connection closed/);
  } finally {
    await client.close().catch(() => {});
  }
});

test("quiet and terminate reach a running Worker through its beats", async () => {
  const worker = new Worker({ url, wid: "node-beats", queues: ["beats"], beatInterval: 0.2, registry: {} });
  const producer = new Client({ url });
  try {
    await worker.work();
    // Its first FETCH registers the wid with QueueDeck.
    const ping = producer.job("Ping");
    ping.queue = "beats";
    await until("the worker's registration", async () => {
      const r = await fetch(`${api}/api/v1/workers`, { headers: { Authorization: `Bearer ${adminToken}` } });
      const body = await r.json();
      return (body.items || body).some((w) => w.id === "faktory:node-beats");
    });
    await admin("POST", `/api/v1/workers/${encodeURIComponent("faktory:node-beats")}/drain`);
    await until("quiet", () => worker.quieted);
    await admin("DELETE", `/api/v1/workers/${encodeURIComponent("faktory:node-beats")}`);
    const stopped = new Promise((resolve) => {
      const original = worker.stop.bind(worker);
      worker.stop = async () => {
        await original();
        resolve();
      };
    });
    await Promise.race([stopped, until("terminate", () => false, 10000)]);
  } finally {
    clearInterval(worker.pulse);
    await producer.close();
    await worker.client.close().catch(() => {});
  }
});

test("1,000 jobs through 4 Worker processes, each exactly once", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-faktory-"));
  const client = new Client({ url });
  const children = [];
  try {
    const total = 1000;
    for (let start = 0; start < total; start += 250) {
      const jobs = [];
      for (let n = start; n < start + 250; n++) {
        const job = client.job("Record", n);
        job.queue = "load";
        jobs.push(job);
      }
      assert.deepStrictEqual(await client.pushBulk(jobs), {});
    }
    for (let i = 0; i < 4; i++) {
      children.push(
        fork(path.join(__dirname, "worker_process.js"), ["load", path.join(dir, `out-${i}.txt`)], {
          env: process.env,
        }),
      );
    }
    const seen = () =>
      fs
        .readdirSync(dir)
        .flatMap((f) => fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean));
    await until("1,000 jobs", () => seen().length >= total, 90000);
    const counts = new Map();
    for (const n of seen()) counts.set(n, (counts.get(n) || 0) + 1);
    assert.strictEqual(counts.size, total);
    for (const [n, c] of counts) assert.strictEqual(c, 1, `job ${n} ran ${c} times`);
    await until("the acks", async () => (await client.info()).faktory.queues.load === 0);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once("exit", r)))));
    await client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
