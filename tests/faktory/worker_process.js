// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// One faktory-worker Worker process for the load test: runs "Record" jobs of the queue given in
// argv[2] and appends each job's number to the file in argv[3]; stops on SIGTERM.
"use strict";
const fs = require("fs");
const { Worker } = require("faktory-worker");

const [queue, outFile] = process.argv.slice(2);
const worker = new Worker({
  url: process.env.FAKTORY_URL,
  queues: [queue],
  concurrency: 5,
  registry: {
    Record: async (n) => {
      fs.appendFileSync(outFile, `${n}\n`);
    },
  },
});
worker.on("error", (e) => console.error("worker error:", e.message));
worker.work().then(() => process.send && process.send("working"));
