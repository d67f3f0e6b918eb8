#!/usr/bin/env node
// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The peers harness's adapter contract (setup | enqueue N BATCH | produce RATE SECONDS FIRST |
// consume C | pending) for QueueDeck's Faktory listener, driven by the Node client
// faktory-worker. The server must run with --faktory-listen 127.0.0.1:$BENCH_FAKTORY_PORT
// (default 17419); the password is read from $BENCH_DATA_DIR/faktory-password.
"use strict";
const fs = require("fs");
const path = require("path");
const { Client, Worker } = require("faktory-worker");

const queue = process.env.BENCH_QUEUE || "bench";
const port = Number(process.env.BENCH_FAKTORY_PORT || 17419);
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const out = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

function url() {
  const file = path.join(process.env.BENCH_DATA_DIR || ".", "faktory-password");
  const password = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
  return `tcp://:${password}@127.0.0.1:${port}`;
}

// One fixed-width 45-byte line per handled job: "<i> <t_enqueue_us> <t_start_us>\n".
let recordFd = null;
function record(job) {
  const started = nowUs();
  if (recordFd === null)
    recordFd = fs.openSync(path.join(process.env.BENCH_REC_DIR, `rec-${process.pid}.txt`), "a");
  fs.writeSync(recordFd, `${String(job.i).padStart(10)} ${String(job.t).padStart(16)} ${String(started).padStart(16)}\n`);
}

let jid = 0;
const asJob = (payload) => ({ jid: `${process.pid}-${jid++}`, jobtype: "bench", queue, args: [payload], retry: 0 });

async function connect() {
  for (let attempt = 0; ; attempt++) {
    const client = new Client({ url: url(), poolSize: 2 });
    try {
      await client.connect();
      return client;
    } catch (e) {
      await client.close().catch(() => {});
      if (attempt >= 50) throw e;
      await sleep(100); // the listener starts just after the HTTP port the harness waits for
    }
  }
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  const num = (k, d) => (args[k] === undefined ? d : Number(args[k]));
  const client = await connect();
  if (command === "setup") {
    await client.send(["QUEUE", "REMOVE", queue]);
    out({ ok: true });
  } else if (command === "enqueue") {
    const n = num(0, 20000);
    const batch = num(1, 1);
    const t0 = nowUs();
    if (batch <= 1) {
      for (let i = 0; i < n; i++) await client.push(asJob({ i, t: nowUs() }));
    } else {
      for (let i = 0; i < n; i += batch) {
        const t = nowUs();
        const jobs = [];
        for (let k = i; k < Math.min(n, i + batch); k++) jobs.push(asJob({ i: k, t }));
        const refused = await client.pushBulk(jobs);
        if (Object.keys(refused).length) throw new Error(`PUSHB refused ${JSON.stringify(refused)}`);
      }
    }
    out({ seconds: (nowUs() - t0) / 1e6, n, batch });
  } else if (command === "produce") {
    const rate = num(0, 500);
    const total = Math.round(rate * num(1, 10));
    const first = num(2, 0);
    const t0 = nowUs();
    for (let k = 0; k < total; k++) {
      const wait = (t0 + (k * 1e6) / rate - nowUs()) / 1000;
      if (wait >= 0.5) await sleep(Math.round(wait));
      await client.push(asJob({ i: first + k, t: nowUs() }));
    }
    out({ sent: total, seconds: (nowUs() - t0) / 1e6 });
  } else if (command === "consume") {
    const worker = new Worker({
      url: url(),
      queues: [queue],
      concurrency: num(0, 8),
      registry: { bench: async (payload) => record(payload) },
    });
    await worker.work();
    await new Promise((resolve) => {
      process.once("SIGTERM", resolve);
      process.once("SIGINT", resolve);
    });
    await worker.stop();
  } else if (command === "pending") {
    const info = await client.info();
    out({ pending: (info.faktory.queues[queue] || 0) + info.faktory.sets.working + info.faktory.sets.scheduled });
  } else {
    throw new Error(`unknown command ${command}`);
  }
  await client.close();
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
