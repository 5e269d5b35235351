// Row 8, in a process of its own on the server core: 2,000 payments reported by `track` (the
// defaults: concurrency 8, 3 retries per round) to the devserver on the other core, healthy and
// under faults, once each per round. Prints one JSON line: for each variant and round, the wall
// time (ms) until all were stored, and the requests it took.
import { performance } from 'node:perf_hooks';
import { createDatafast } from '@datafast-checkout/core';
import { visitorId } from '../lib/fixtures.mjs';
import { interleaved } from '../lib/stats.mjs';

const [baseUrl, apiKey, roundsArg, countArg, faultsArg] = process.argv.slice(2);
const rounds = Number(roundsArg);
const count = Number(countArg);
const faults = JSON.parse(faultsArg);
let batch = 0;

const control = async (method, path, body) => {
  const response = await fetch(`${baseUrl}/__devserver/${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`devserver ${method} ${path}: ${response.status}`);
  return response.json();
};

async function measure(name) {
  batch += 1;
  await control('POST', 'reset');
  if (name === 'faults') await control('PUT', 'faults', faults);
  const lost = [];
  const datafast = createDatafast({
    apiKey,
    baseUrl,
    onError: (error) => lost.push(error),
  });
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    datafast.track({
      amount: 29.99,
      currency: 'USD',
      transaction_id: `pace_${batch}_${i}`,
      datafast_visitor_id: visitorId,
    });
  }
  const { settled } = await datafast.flush(300_000);
  const wallMs = performance.now() - start;
  await datafast.shutdown(0);
  const stats = await control('GET', 'stats');
  await control('PUT', 'faults', {});
  // Nothing lost, nothing stored twice, every report accepted once (duplicates: sent again
  // after DataFast had stored it).
  if (!settled || lost.length > 0 || stats.payments !== count) {
    throw new Error(
      `${name}: ${stats.payments} of ${count} stored, ${lost.length} lost (${lost[0]?.message ?? 'flush timed out'})`,
    );
  }
  return { wallMs, requests: stats.requests, duplicates: stats.duplicates };
}

await measure('healthy'); // warm-up: connections, JIT
process.stdout.write(
  `${JSON.stringify(await interleaved(rounds, ['healthy', 'faults'], measure))}\n`,
);
