// The file outbox at the size of a long outage: start-up time, the longest event-loop block of
// one sweep, and memory, for a log of N stored reports (default 200,000; 1,550,000 is 43 hours
// of a 10 payments/s outage, inside the 3-day default `maxAgeMs`).
//
//   pnpm --filter @datafast-checkout/core build
//   node --expose-gc bench/file-outbox-scale.mjs 200000
//
// Not a `pnpm bench` row: it prints absolute figures for one machine, to compare two versions
// of the outbox on the same machine (run it on each), not a ratio to a baseline.
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createDatafast } from '@datafast-checkout/core';
import { fileOutbox } from '@datafast-checkout/core/file-outbox';

const count = Number(process.argv[2] ?? 200_000);
// What a sweep asks for: the client's default `maxQueueSize` (an older outbox ignores it and
// reads everything).
const sweepLimit = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'datafast-outbox-scale-'));
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

// An outage at 10 payments a second, ending now (inside the client's 3-day `maxAgeMs`).
const startedAt = Date.now() - count * 100;

function entry(i) {
  const id = `ch_${randomBytes(12).toString('hex')}`;
  const createdAt = startedAt + i * 100;
  return {
    id,
    body: {
      amount: 10 + (i % 50),
      currency: 'EUR',
      transaction_id: id,
      datafast_visitor_id: randomUUID(),
      email: `buyer${i}@example.com`,
      name: `Customer Number ${i}`,
      customer_id: `cus_${randomBytes(7).toString('hex')}`,
      timestamp: new Date(createdAt).toISOString(),
    },
    createdAt,
  };
}

// The log an outage leaves: one `put` line per report, in the format every version reads
// (`outbox.jsonl`, one JSON line per operation).
async function writeLog() {
  const out = createWriteStream(join(dir, 'outbox.jsonl'), { mode: 0o600 });
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const line = `${JSON.stringify({ op: 'put', entry: entry(i) })}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return bytes;
}

try {
  const bytes = await writeLog();
  console.log(`log: ${count.toLocaleString('en')} entries, ${mib(bytes)}`);
  globalThis.gc?.();
  const before = process.memoryUsage();

  let outbox;
  const started = performance.now();
  try {
    outbox = fileOutbox(dir);
  } catch (error) {
    console.log(`start-up: threw ${error.code ?? ''} ${error.message.split('\n')[0]}`);
    process.exit(0);
  }
  const startup = performance.now() - started;
  globalThis.gc?.();
  const after = process.memoryUsage();
  console.log(`start-up: ${startup.toFixed(0)} ms, ${outbox.size.toLocaleString('en')} entries`);
  console.log(
    `memory after start-up: heap +${mib(after.heapUsed - before.heapUsed)}, rss ${mib(after.rss)}`,
  );

  // A sweep: what the client reads from the outbox every minute (and whenever memory frees up
  // while the outbox holds more than fits).
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const sweeps = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const listed = await outbox.list({ limit: sweepLimit });
    sweeps.push({ ms: performance.now() - t, entries: listed.length });
    await new Promise((resolve) => setImmediate(resolve));
  }
  delay.disable();
  globalThis.gc?.();
  const swept = process.memoryUsage();
  console.log(
    `sweep: ${sweeps.map((s) => `${s.ms.toFixed(0)} ms for ${s.entries.toLocaleString('en')} entries`).join(', ')}; ` +
      `longest loop block ${(delay.max / 1e6).toFixed(0)} ms; heap after ${mib(swept.heapUsed)}`,
  );

  // The client's own sweep, at its start-up, with DataFast unreachable (a closed port): the
  // longest the event loop is blocked while it reads the outbox and schedules what fits.
  const clientDelay = monitorEventLoopDelay({ resolution: 1 });
  clientDelay.enable();
  const datafast = createDatafast({
    apiKey: 'df_scale',
    baseUrl: 'http://127.0.0.1:9',
    outbox,
    maxRetries: 0,
    logger: { warn() {}, error() {} },
  });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  clientDelay.disable();
  console.log(
    `client start-up sweep: longest loop block ${(clientDelay.max / 1e6).toFixed(0)} ms, ${datafast.pending.toLocaleString('en')} reports scheduled`,
  );
  await datafast.shutdown(100);

  // Delivery catching up: the oldest 10 % delivered, so the log is compacted as it goes.
  const t = performance.now();
  let longest = 0;
  const listed = await outbox.list({ limit: Math.ceil(count / 10) });
  for (const item of listed) {
    const one = performance.now();
    outbox.delete(item.id);
    longest = Math.max(longest, performance.now() - one);
  }
  console.log(
    `delete ${listed.length.toLocaleString('en')}: ${(performance.now() - t).toFixed(0)} ms in all, longest single delete ${longest.toFixed(1)} ms`,
  );
  outbox.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
