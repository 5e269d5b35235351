// Row 1, in process: what each adapter adds to a request, called directly with real request
// objects (Node's IncomingMessage for Express; Web Requests and SvelteKit's own cookies for the
// handle; Web Requests for the Next.js wrapper and through Hono's `app.fetch`; Node's
// IncomingMessage and ServerResponse through Fastify's own request handler and h3's Node
// listener, as Nitro runs it for Nuxt), against the same
// call without our code. Run pinned to a core of its own by middleware.mjs, once per framework
// with only that framework's variants and its yardstick's: one framework's machinery must not tax
// another's (once SvelteKit's request store has run an AsyncLocalStorage, every later await of
// the process costs more: Hono's row read 3x higher in a shared process). Prints one JSON line:
// CPU ns per call for each variant in each round.
import { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDatafast } from '@datafast-checkout/core';
import { datafast } from '@datafast-checkout/express';
import { datafast as fastifyDatafast } from '@datafast-checkout/fastify';
import { datafast as honoDatafast } from '@datafast-checkout/hono';
import { withDatafast } from '@datafast-checkout/next';
import { datafast as nitroDatafast } from '@datafast-checkout/nuxt/server';
import { datafastHandle } from '@datafast-checkout/sveltekit';
import fastifyCookie from '@fastify/cookie';
import { sequence } from '@sveltejs/kit/hooks';
import cookieParser from 'cookie-parser';
import Fastify from 'fastify';
import {
  createApp,
  createRouter,
  defineEventHandler,
  getCookie as h3GetCookie,
  toNodeListener,
} from 'h3';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { apiKey, cookieHeader, visitorId } from '../lib/fixtures.mjs';
import { nodeExchange, printCallCosts } from '../lib/in-process.mjs';

const rounds = Number(process.argv[2] ?? 15);

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

// Hono: whole `app.fetch` calls, as `@hono/node-server` and Workers make them, with no execution
// context (Node: our middleware's guarded `c.executionCtx` read throws, as it does there).
// The route answers one prebuilt Response, as the Next.js route does: building one costs more
// than the middleware and varies with it, and is the same with or without our code.
function honoApp(middleware, route = () => response) {
  const app = new Hono();
  if (middleware) app.use(middleware);
  app.post('/api/checkout', route);
  return app;
}
const readVisitor = (c) => getCookie(c, 'datafast_visitor_id');

// Fastify: the request handler its server runs (`app.routing`, the router's lookup: request and
// reply objects, hooks, the route, serialization, `res.end`), on a socketless ServerResponse that
// says when it ended. Lighter than `app.inject()`, whose fake request and response cost more
// than a real request's parsing.
async function fastifyApp(plugin, route = async () => 'ok') {
  const app = Fastify();
  if (plugin) await app.register(plugin);
  // GET: Fastify parses no body for it (nothing is streamed into these requests).
  app.get('/api/checkout', route);
  await app.ready();
  return app;
}
function nodeGetExchange() {
  const req = nodeRequest();
  req.method = 'GET';
  return nodeExchange(req);
}
const fastifyCall =
  (app) =>
  ({ req, res, ended }) => {
    app.routing(req, res);
    return ended;
  };

// Nuxt: Nitro's h3 app. Nitro builds it with `onRequest` calling its `request` hooks, where
// Nuxt's module installs our plugin; here the plugin is installed on the same hook list, and the
// bare app runs that list empty (a Nitro app without our plugin). Through h3's Node listener on
// the same socketless ServerResponse as Fastify.
function nitroApp(plugin, route = () => 'ok') {
  const requestHooks = [];
  plugin?.({
    hooks: {
      hook: (name, handler) => {
        if (name === 'request') requestHooks.push(handler);
      },
    },
  });
  const app = createApp({
    onRequest: (event) => {
      for (const hook of requestHooks) hook(event);
    },
  });
  app.use(createRouter().get('/api/checkout', defineEventHandler(route)));
  return toNodeListener(app);
}
const nitroCall =
  (listener) =>
  ({ req, res, ended }) => {
    listener(req, res);
    return ended;
  };

const parseCookies = cookieParser();
const ourMiddleware = datafast(client);
const emptySequence = sequence(({ event, resolve }) => resolve(event));
const ourSequence = sequence(datafastHandle(client));
const routeHandler = async () => response;
const wrappedHandler = withDatafast(routeHandler, client);
const context = { params: Promise.resolve({}) };
const resolve = () => response;
const honoBare = honoApp();
const honoEmpty = honoApp(async (_c, next) => {
  await next();
});
const honoOurs = honoApp(honoDatafast(client));
// The yardsticks read the cookie in the route: ours, measured against them, reads the visitor
// there too (the middleware alone binds on first use, so a route that never reports reads nothing).
const readBound = (bound) => bound.visitorId;
const honoOursUsed = honoApp(honoDatafast(client), (c) => {
  readBound(c.get('datafast'));
  return response;
});
const honoGetCookie = honoApp(undefined, (c) => {
  readVisitor(c);
  return response;
});
const fastifyBare = await fastifyApp();
const fastifyEmptyHook = await fastifyApp(
  Object.assign(
    async (instance) => {
      instance.addHook('onRequest', (_request, _reply, done) => done());
    },
    { [Symbol.for('skip-override')]: true },
  ),
);
const fastifyOurs = await fastifyApp(fastifyDatafast(client));
const fastifyOursUsed = await fastifyApp(fastifyDatafast(client), async (request) => {
  readBound(request.datafast);
  return 'ok';
});
const nitroBare = nitroApp();
const nitroOurs = nitroApp(nitroDatafast(client));
const nitroOursUsed = nitroApp(nitroDatafast(client), (event) => {
  readBound(event.context.datafast);
  return 'ok';
});
const nitroGetCookie = nitroApp(undefined, (event) => {
  h3GetCookie(event, 'datafast_visitor_id');
  return 'ok';
});
const fastifyWithCookie = await fastifyApp(fastifyCookie);

/** Each variant: how to make one input, and the call timed on it. */
const variants = {
  'express.empty': [nodeRequest, (req) => next(req)],
  'express.cookieParser': [nodeRequest, (req) => parseCookies(req, undefined, next)],
  'express.ours': [nodeRequest, (req) => ourMiddleware(req, undefined, next)],
  'sveltekit.empty': [kitEvent, kitHandle(emptySequence)],
  'sveltekit.ours': [kitEvent, kitHandle(ourSequence)],
  'next.bare': [webRequest, (request) => routeHandler(request, context)],
  'next.ours': [webRequest, (request) => wrappedHandler(request, context)],
  'hono.bare': [webRequest, (request) => honoBare.fetch(request)],
  // Hono's own cost of one more middleware, for the notes: not a row.
  'hono.emptyMiddleware': [webRequest, (request) => honoEmpty.fetch(request)],
  'hono.ours': [webRequest, (request) => honoOurs.fetch(request)],
  'hono.oursUsed': [webRequest, (request) => honoOursUsed.fetch(request)],
  'hono.getCookie': [webRequest, (request) => honoGetCookie.fetch(request)],
  'fastify.bare': [nodeGetExchange, fastifyCall(fastifyBare)],
  // Fastify's own cost of a first onRequest hook, for the notes: not a row.
  'fastify.emptyHook': [nodeGetExchange, fastifyCall(fastifyEmptyHook)],
  'fastify.ours': [nodeGetExchange, fastifyCall(fastifyOurs)],
  'fastify.oursUsed': [nodeGetExchange, fastifyCall(fastifyOursUsed)],
  'fastify.cookie': [nodeGetExchange, fastifyCall(fastifyWithCookie)],
  'nitro.bare': [nodeGetExchange, nitroCall(nitroBare)],
  'nitro.ours': [nodeGetExchange, nitroCall(nitroOurs)],
  'nitro.oursUsed': [nodeGetExchange, nitroCall(nitroOursUsed)],
  'nitro.getCookie': [nodeGetExchange, nitroCall(nitroGetCookie)],
};

// The variants read what they are meant to: the visitor, from the same Cookie header.
async function check() {
  // Hono answers a synchronous route's Response as it is, not in a promise.
  const honoAnswer = async (app) => (await app.fetch(webRequest())).text();
  const honoSeen = honoApp(honoDatafast(client), (c) => c.text(c.get('datafast').visitorId));
  const honoRead = honoApp(undefined, (c) => c.text(readVisitor(c)));
  const fastifySeen = await fastifyApp(fastifyDatafast(client), async (request) => [
    request.datafast.visitorId,
  ]);
  const fastifyCookieSeen = await fastifyApp(fastifyCookie, async (request) => [
    request.cookies.datafast_visitor_id,
  ]);
  const nitroSeen = nitroApp(nitroDatafast(client), (event) => [event.context.datafast.visitorId]);
  const nitroRead = nitroApp(undefined, (event) => [h3GetCookie(event, 'datafast_visitor_id')]);
  const exchange = async (app, call = fastifyCall) => {
    const { req, res, ended } = nodeGetExchange();
    await call(app)({ req, res, ended });
    return res.outputData.map(({ data }) => String(data)).join('');
  };
  const answers = [
    await honoAnswer(honoSeen),
    await honoAnswer(honoRead),
    await exchange(fastifySeen),
    await exchange(fastifyCookieSeen),
    await exchange(nitroSeen, nitroCall),
    await exchange(nitroRead, nitroCall),
  ];
  const wrong = answers.filter((answer) => !answer.includes(visitorId));
  if (wrong.length > 0) throw new Error(`a variant misses the visitor:\n${wrong.join('\n')}`);
}
await check();

// `node middleware-inprocess.mjs 7 hono.ours,hono.bare`: only those variants (all without).
await printCallCosts(variants, rounds, process.argv[3]?.split(',') ?? Object.keys(variants));
