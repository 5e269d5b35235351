// Row 1: what each adapter adds to a request, set against the CPU cost of a bare request of its
// framework. The bare requests are whole requests under load (server CPU per request, the
// server and autocannon on different cores), with a second bare Express process as the control
// that shows how finely whole requests resolve. The adapters' own cost is far below that
// resolution, so it is measured in process (middleware-inprocess.mjs) and divided by it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { astroNode, startApp } from '../lib/apps.mjs';
import { cpuPerRequest } from '../lib/cannon.mjs';
import { cores } from '../lib/processes.mjs';
import { interleaved, median } from '../lib/stats.mjs';
import { duration, row } from '../lib/table.mjs';

const inProcess = fileURLToPath(new URL('middleware-inprocess.mjs', import.meta.url));
const astroInProcess = fileURLToPath(new URL('astro-inprocess.mjs', import.meta.url));

/**
 * One entry per framework: its bench app (apps/<app>.mjs or a build, its bare request on
 * `/bare`), the in-process variants with and without our code (middleware-inprocess.mjs), and
 * the yardstick: what a user would otherwise write to read the visitor's cookie, with the
 * variant it is measured against. Express, SvelteKit and Next.js share `cookie-parser` on Express
 * (the first yardstick); Hono, Fastify and Nuxt (h3) have their own framework's cookie reader, on
 * the same request objects and dispatch as our code, and so has Astro, whose variants are whole
 * requests through the built app's own handler on Node 22 (`inProcess: 'astro'`). Where our code
 * binds the visitor on first use (Hono, Fastify, Nuxt), `ours` is a route that never reports (what every other request pays) and
 * `oursUsed`, set against the yardstick, a route that reads the visitor as the yardstick's does.
 */
const cookieParser = {
  name: 'cookie-parser',
  title: "`cookie-parser`'s",
  variants: ['express.cookieParser', 'express.empty'],
};
const frameworks = [
  {
    id: '1b',
    app: 'express',
    label: 'Express',
    name: 'Express `datafast()` middleware',
    ours: ['express.ours', 'express.empty'],
    yardstick: cookieParser,
  },
  {
    id: '1d',
    app: 'sveltekit',
    label: 'SvelteKit',
    name: 'SvelteKit `datafastHandle()` in `sequence()`',
    ours: ['sveltekit.ours', 'sveltekit.empty'],
    yardstick: cookieParser,
  },
  {
    id: '1f',
    app: 'next',
    label: 'Next.js',
    name: 'Next.js `withDatafast` route wrapper',
    ours: ['next.ours', 'next.bare'],
    yardstick: cookieParser,
  },
  {
    id: '1h',
    app: 'hono',
    label: 'Hono',
    name: 'Hono `app.use(datafast())` (`app.fetch`)',
    ours: ['hono.ours', 'hono.bare'],
    oursUsed: ['hono.oursUsed', 'hono.bare'],
    yardstick: {
      name: 'getCookie',
      title: "`hono/cookie`'s `getCookie` in the route",
      variants: ['hono.getCookie', 'hono.bare'],
    },
  },
  {
    id: '1j',
    app: 'fastify',
    label: 'Fastify',
    name: "Fastify `app.register(datafast())` (Fastify's request handler)",
    ours: ['fastify.ours', 'fastify.bare'],
    oursUsed: ['fastify.oursUsed', 'fastify.bare'],
    yardstick: {
      name: '@fastify/cookie',
      title: "`@fastify/cookie`'s, registered the same way",
      variants: ['fastify.cookie', 'fastify.bare'],
    },
  },
  {
    id: '1l',
    app: 'h3',
    label: 'h3 (Nuxt/Nitro)',
    name: "Nuxt's Nitro plugin (`@datafast-checkout/nuxt`) on Nitro's h3 app",
    ours: ['nitro.ours', 'nitro.bare'],
    oursUsed: ['nitro.oursUsed', 'nitro.bare'],
    yardstick: {
      name: 'getCookie',
      title: "h3's `getCookie` in the route",
      variants: ['nitro.getCookie', 'nitro.bare'],
    },
  },
  {
    id: '1n',
    app: 'astro',
    label: 'Astro',
    name: 'Astro `datafast()` middleware (`@astrojs/node`, Node 22)',
    // Whole requests through Astro's own handler, in a Node 22 child (astro-inprocess.mjs).
    inProcess: 'astro',
    ours: ['astro.ours', 'astro.bare'],
    oursUsed: ['astro.oursUsed', 'astro.bare'],
    yardstick: {
      name: 'cookies.get',
      title: "Astro's `context.cookies.get` in the route",
      variants: ['astro.cookies', 'astro.bare'],
    },
  },
];

export async function middlewareRows({ rounds }) {
  const bare = await bareRequests(rounds);
  const rows = [
    row({
      id: '1a',
      title: 'control: bare Express request, CPU per request in a second process vs the first',
      baseline: duration(median(bare.express) / 1000),
      measured: duration(median(bare.control) / 1000),
      ratios: bare.control.map((us, i) => us / bare.express[i]),
      unit: 'x',
      goal: 'none: the resolution of whole requests',
    }),
  ];
  for (const { id, app, label, name, inProcess, ours, oursUsed = ours, yardstick } of frameworks) {
    const request = median(bare[app]);
    // This framework's variants and its yardstick's, interleaved in a process of their own.
    const calls = callCosts(
      rounds + 2,
      [...new Set([...ours, ...oursUsed, ...yardstick.variants])],
      inProcess,
    );
    const added = (variant, without) =>
      calls[variant].map((ns, i) => (ns - calls[without][i]) / 1000);
    const us = added(...ours);
    const usUsed = added(...oursUsed);
    const theirs = added(...yardstick.variants);
    const reading = oursUsed === ours ? '' : ', the route reading the visitor';
    rows.push(
      row({
        id,
        title: `${name}: added CPU per request, as % of a bare ${label} request`,
        baseline: `${duration(request / 1000)} (bare request)`,
        measured: `+${duration(median(us) / 1000)}`,
        ratios: us.map((value) => (100 * value) / request),
        unit: '%',
        goal: '≤ 1%',
        met: (percent) => percent <= 1,
      }),
      row({
        id: nextId(id),
        title: `${name}: added CPU vs ${yardstick.title} (same Cookie header${reading})`,
        baseline: `+${duration(median(theirs) / 1000)} (${yardstick.name})`,
        measured: `+${duration(median(usUsed) / 1000)}`,
        ratios: usUsed.map((value, i) => value / theirs[i]),
        unit: 'x',
        goal: '< 1x',
        met: (ratio) => ratio < 1,
      }),
    );
  }
  return rows;
}

const nextId = (id) => `${id[0]}${String.fromCharCode(id.charCodeAt(1) + 1)}`;

/** CPU µs per bare request of each framework (and of the control process), per round. */
async function bareRequests(rounds) {
  const servers = {};
  for (const name of ['express', 'control', ...frameworks.map(({ app }) => app)]) {
    servers[name] ??= await startApp(name === 'control' ? 'express' : name);
  }
  try {
    const load = (name, seconds) =>
      cpuPerRequest(servers[name], `${servers[name].url}/bare`, { seconds });
    for (const name of Object.keys(servers)) await load(name, 1); // warm-up (JIT, caches)
    return await interleaved(rounds, Object.keys(servers), (name) => load(name, 2));
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }
}

/**
 * CPU ns per call of each in-process variant named, per round, from a child on the server core:
 * middleware-inprocess.mjs on the bench's Node, or for `astro` astro-inprocess.mjs on the Astro
 * app's Node 22.
 */
function callCosts(rounds, variants, child) {
  const [node, script] = child === 'astro' ? [astroNode(), astroInProcess] : ['node', inProcess];
  const result = spawnSync(
    'taskset',
    ['-c', String(cores.server), node, script, String(rounds), variants.join(',')],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`middleware-inprocess failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}
