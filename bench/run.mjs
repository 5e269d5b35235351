// Benchmarks against a real HTTP peer on 127.0.0.1. Each figure is compared with a baseline
// measured in the same run, and printed as a ratio, so results mean the same on any machine.
// Run with `pnpm bench` (builds the packages first).
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createDatafast, getVisitorId } from '@datafast-checkout/core';

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';

function time(fn, iterations) {
  for (let i = 0; i < Math.min(iterations, 1000); i++) fn(i); // warm-up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return (performance.now() - start) / iterations;
}

async function timeAsync(fn, iterations) {
  for (let i = 0; i < 20; i++) await fn(i);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn(i);
  return (performance.now() - start) / iterations;
}

const rows = [];
const row = (name, baseline, measured, unit = 'µs') =>
  rows.push({
    name,
    baseline: `${(baseline * 1000).toFixed(2)} ${unit}`,
    measured: `${(measured * 1000).toFixed(2)} ${unit}`,
    ratio: (measured / baseline).toFixed(2),
  });

// 1. getVisitorId is linear: 4x the header costs about 4x the time.
const header = (pairs) => `${'a=1; '.repeat(pairs)}datafast_visitor_id=${visitor}`;
const small = header(2_500);
const large = header(10_000);
const tSmall = time(() => getVisitorId(small), 2_000);
const tLarge = time(() => getVisitorId(large), 500);
row('getVisitorId, 4x larger Cookie header (linear: ~4)', tSmall, tLarge);

// A real peer that answers like DataFast.
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"message":"Payment recorded and attributed successfully","transaction_id":"t"}');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}`;
const body = JSON.stringify({ amount: 29.99, currency: 'USD', transaction_id: 't' });

// 2. payments.create round trip vs a bare fetch of the same request (client overhead). The two
// alternate in rounds so that connection reuse and machine load affect both alike.
const datafast = createDatafast({ apiKey: 'df_bench', baseUrl, logger: { warn() {}, error() {} } });
const bareFetch = () =>
  fetch(`${baseUrl}/api/v1/payments`, {
    method: 'POST',
    headers: { authorization: 'Bearer df_bench', 'content-type': 'application/json' },
    body,
  }).then((r) => r.text());
const create = (i) =>
  datafast.payments.create({
    amount: 29.99,
    currency: 'USD',
    transaction_id: `t${i}`,
    datafast_visitor_id: visitor,
  });
let tFetch = 0;
let tCreate = 0;
const rounds = 10;
for (let round = 0; round < rounds; round++) {
  tFetch += (await timeAsync(bareFetch, 100)) / rounds;
  tCreate += (await timeAsync(create, 100)) / rounds;
}
row('payments.create vs bare fetch round trip', tFetch, tCreate);

// 3. What track() adds to a request handler: the synchronous call, vs building the same object.
const background = createDatafast({ apiKey: 'df_bench', baseUrl, maxQueueSize: 1_000_000 });
const tObject = time(
  (i) => ({
    amount: 29.99,
    currency: 'USD',
    transaction_id: `t${i}`,
    datafast_visitor_id: visitor,
  }),
  5_000,
);
const tTrack = time(
  (i) =>
    background.track({
      amount: 29.99,
      currency: 'USD',
      transaction_id: `t${i}`,
      datafast_visitor_id: visitor,
    }),
  5_000,
);
row('track() call in the request path vs building the payment object', tObject, tTrack);
const flushStart = performance.now();
await background.flush(60_000);
const flushMs = performance.now() - flushStart;

server.close();
console.table(rows);
console.log(`background delivery of ${6_000} tracked payments settled in ${flushMs.toFixed(0)} ms`);
