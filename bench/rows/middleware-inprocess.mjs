// Row 1, in process: what each adapter adds to a request, called directly with real request
// objects (Node's IncomingMessage for Express; Web Requests and SvelteKit's own cookies for the
// handle; Web Requests for the Next.js wrapper), against the same call without our code.
// Run pinned to a core of its own by middleware.mjs; prints one JSON line: ns per call for each
// variant in each round.
import { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createDatafast } from '@datafast-checkout/core';
import { datafast } from '@datafast-checkout/express';
import { withDatafast } from '@datafast-checkout/next';
import { datafastHandle } from '@datafast-checkout/sveltekit';
import { sequence } from '@sveltejs/kit/hooks';
import cookieParser from 'cookie-parser';
import { apiKey, cookieHeader } from '../lib/fixtures.mjs';
import { interleaved } from '../lib/stats.mjs';

const rounds = Number(process.argv[2] ?? 15);
const chunks = 10;
const chunk = 1_000;

// Kit's own request machinery, as its server runs a `handle`: `event.cookies` and the request
// store with tracing off (not exported: loaded from its source; a build defines the flag).
globalThis.__SVELTEKIT_SERVER_TRACING_ENABLED__ = false;
const kitDir = dirname(createRequire(import.meta.url).resolve('@sveltejs/kit/package.json'));
const kitSource = (file) => import(pathToFileURL(join(kitDir, 'src', file)).href);
const { get_cookies } = await kitSource('runtime/server/cookie.js');
const { record_span } = await kitSource('runtime/telemetry/record_span.js');
const { noop_span } = await kitSource('runtime/telemetry/noop.js');
const { with_request_store } = await import('@sveltejs/kit/internal/server');
const kitState = { tracing: { record_span } };

// Never sends: the rows call the binding only, not track().
const client = createDatafast({ apiKey, baseUrl: 'http://127.0.0.1:9' });
const url = 'http://localhost:3000/api/checkout';
const response = new Response('ok');
const next = () => {};

function nodeRequest() {
  const req = new IncomingMessage(null);
  req.method = 'POST';
  req.url = '/api/checkout';
  req.headers = {
    host: 'localhost:3000',
    cookie: cookieHeader,
    'content-type': 'application/json',
  };
  return req;
}
function webRequest() {
  return new Request(url, { method: 'POST', headers: { cookie: cookieHeader } });
}
function kitEvent() {
  const request = webRequest();
  const eventUrl = new URL(url);
  const { cookies } = get_cookies(request, eventUrl);
  const tracing = { enabled: false, root: noop_span, current: noop_span };
  return { request, url: eventUrl, cookies, locals: {}, platform: undefined, tracing };
}
const kitHandle = (handle) => (event) =>
  with_request_store({ event, state: kitState }, () => handle({ event, resolve }));

const parseCookies = cookieParser();
const ourMiddleware = datafast(client);
const emptySequence = sequence(({ event, resolve }) => resolve(event));
const ourSequence = sequence(datafastHandle(client));
const routeHandler = async () => response;
const wrappedHandler = withDatafast(routeHandler, client);
const context = { params: Promise.resolve({}) };
const resolve = () => response;

/** Each variant: how to make one input, and the call timed on it. */
const variants = {
  'express.empty': [nodeRequest, (req) => next(req)],
  'express.cookieParser': [nodeRequest, (req) => parseCookies(req, undefined, next)],
  'express.ours': [nodeRequest, (req) => ourMiddleware(req, undefined, next)],
  'sveltekit.empty': [kitEvent, kitHandle(emptySequence)],
  'sveltekit.ours': [kitEvent, kitHandle(ourSequence)],
  'next.bare': [webRequest, (request) => routeHandler(request, context)],
  'next.ours': [webRequest, (request) => wrappedHandler(request, context)],
};

/**
 * ns per call, over `chunks` chunks of `chunk` calls. Each chunk's inputs are made before its
 * clock starts, a thousand at a time: a few thousand live requests would make every scavenge
 * copy them, a cost that the variants that allocate would pay and no server has. Each round
 * keeps its fastest chunk time per call (another process on the core only ever adds time).
 */
async function measure(name) {
  const [make, call] = variants[name];
  let best = Number.POSITIVE_INFINITY;
  for (let c = 0; c < chunks; c++) {
    const inputs = Array.from({ length: chunk }, make);
    const results = new Array(chunk);
    const start = performance.now();
    for (let i = 0; i < chunk; i++) results[i] = call(inputs[i]);
    // Handles and route handlers answer promises: settled inside the timed span, as a server would.
    await Promise.all(results);
    best = Math.min(best, ((performance.now() - start) * 1e6) / chunk);
  }
  return best;
}

const names = Object.keys(variants);
for (const name of names) await measure(name); // warm-up: every path compiled before timing
const results = await interleaved(rounds, names, measure);
process.stdout.write(`${JSON.stringify(results)}\n`);
