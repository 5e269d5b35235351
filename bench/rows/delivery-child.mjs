// Row 3, in a process of its own on the server core: payments delivered to the devserver (on
// the other core) by `track`, by `track` with the file outbox, and by a hand-written keep-alive
// fetch loop at the same concurrency, `count` per variant in each round (so 10,000 per variant
// over 5 rounds). Prints one JSON line: for each variant and round, the wall time and this
// process's CPU time (ms).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDatafast } from '@datafast-checkout/core';
import { fileOutbox } from '@datafast-checkout/core/file-outbox';
import { visitorId } from '../lib/fixtures.mjs';
import { interleaved } from '../lib/stats.mjs';

const [baseUrl, apiKey, roundsArg, countArg] = process.argv.slice(2);
const rounds = Number(roundsArg);
const count = Number(countArg);
const concurrency = 8; // core's default
let batch = 0;

const payments = (length = count) => {
  batch += 1;
  return Array.from({ length }, (_, i) => ({
    amount: 29.99,
    currency: 'USD',
    transaction_id: `bench_${batch}_${i}`,
    datafast_visitor_id: visitorId,
    email: 'ada@example.com',
  }));
};

/** What someone would write by hand: `concurrency` workers, one keep-alive fetch at a time. */
async function fetchLoop(list) {
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const payment = list[next++];
      const response = await fetch(`${baseUrl}/api/v1/payments`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(payment),
      });
      await response.text();
      if (!response.ok) throw new Error(`the devserver answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** `track` with validation and retries on (the defaults), optionally with the file outbox. */
async function tracked(list, withOutbox) {
  const dir = withOutbox ? mkdtempSync(join(tmpdir(), 'datafast-bench-outbox-')) : undefined;
  const outbox = dir ? fileOutbox(dir) : undefined;
  const failures = [];
  const datafast = createDatafast({
    apiKey,
    baseUrl,
    concurrency,
    outbox,
    onError: (error) => failures.push(error),
  });
  try {
    for (const payment of list) datafast.track(payment);
    const { settled } = await datafast.flush(120_000);
    if (!settled || failures.length > 0) {
      throw new Error(`track lost payments: ${failures[0]?.message ?? 'flush timed out'}`);
    }
  } finally {
    outbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

const variants = {
  fetchLoop,
  track: (list) => tracked(list, false),
  trackOutbox: (list) => tracked(list, true),
};

async function measure(name, length = count) {
  const list = payments(length);
  await fetch(`${baseUrl}/__devserver/reset`, { method: 'POST' });
  const cpu = process.cpuUsage();
  const start = performance.now();
  await variants[name](list);
  const wallMs = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  const stats = await (await fetch(`${baseUrl}/__devserver/stats`)).json();
  if (stats.payments !== length) {
    throw new Error(`${name}: the devserver stored ${stats.payments} of ${length}`);
  }
  return { wallMs, cpuMs: (user + system) / 1000 };
}

for (const name of Object.keys(variants)) await measure(name, 500); // warm-up: connections, JIT
process.stdout.write(
  `${JSON.stringify(await interleaved(rounds, Object.keys(variants), (name) => measure(name)))}\n`,
);
