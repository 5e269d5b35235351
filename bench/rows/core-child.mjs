// The core rows, in a process of their own on the server core: getVisitorId's growth with the
// header, payments.create against a bare fetch of the same request, and track()'s cost in the
// request path. Prints one JSON line of figures per round.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createDatafast, getVisitorId } from '@datafast-checkout/core';
import { apiKey, visitorId } from '../lib/fixtures.mjs';
import { interleaved } from '../lib/stats.mjs';

const rounds = Number(process.argv[2]);

/** ms per call of `fn` over `iterations` calls, after a warm-up. */
function time(fn, iterations) {
  for (let i = 0; i < Math.min(iterations, 1000); i++) fn(i);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return (performance.now() - start) / iterations;
}

async function timeAsync(fn, iterations) {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn(i);
  return (performance.now() - start) / iterations;
}

// A peer that answers like DataFast, in this process: both variants pay for it alike.
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
const datafast = createDatafast({ apiKey, baseUrl, logger: { warn() {}, error() {} } });
const background = createDatafast({ apiKey, baseUrl, maxQueueSize: 1_000_000 });
const header = (pairs) => `${'a=1; '.repeat(pairs)}datafast_visitor_id=${visitorId}`;
const small = header(2_500);
const large = header(10_000);
let sequence = 0;
const payment = () => ({
  amount: 29.99,
  currency: 'USD',
  transaction_id: `t${sequence++}`,
  datafast_visitor_id: visitorId,
});

const variants = {
  cookieSmall: () => time(() => getVisitorId(small), 2_000),
  cookieLarge: () => time(() => getVisitorId(large), 500),
  bareFetch: () =>
    timeAsync(
      () =>
        fetch(`${baseUrl}/api/v1/payments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body,
        }).then((response) => response.text()),
      100,
    ),
  create: () => timeAsync(() => datafast.payments.create(payment()), 100),
  object: () => time(payment, 2_000),
  track: async () => {
    const ms = time(() => background.track(payment()), 2_000);
    await background.flush(60_000); // delivered between rounds, not while another is timed
    return ms;
  },
};
for (const measure of Object.values(variants)) await measure(); // warm-up
const results = await interleaved(rounds, Object.keys(variants), (name) => variants[name]());
server.close();
process.stdout.write(`${JSON.stringify(results)}\n`);
