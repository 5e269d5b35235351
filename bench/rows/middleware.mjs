// Row 1: what each adapter adds to a request, set against the CPU cost of a bare request of its
// framework. The bare requests are whole requests under load (server CPU per request, the
// server and autocannon on different cores), with a second bare Express process as the control
// that shows how finely whole requests resolve. The adapters' own cost is far below that
// resolution, so it is measured in process (middleware-inprocess.mjs) and divided by it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startApp } from '../lib/apps.mjs';
import { cpuPerRequest } from '../lib/cannon.mjs';
import { cores } from '../lib/processes.mjs';
import { interleaved, median } from '../lib/stats.mjs';
import { duration, row } from '../lib/table.mjs';

const inProcess = fileURLToPath(new URL('middleware-inprocess.mjs', import.meta.url));

export async function middlewareRows({ rounds }) {
  const bare = await bareRequests(rounds);
  const calls = callCosts(rounds + 2);
  const added = (ours, baseline) => calls[ours].map((ns, i) => (ns - calls[baseline][i]) / 1000);
  const cookieParser = added('express.cookieParser', 'express.empty');
  const adapters = [
    ['1b', 'Express `datafast()` middleware', 'express', added('express.ours', 'express.empty')],
    [
      '1d',
      'SvelteKit `datafastHandle()` in `sequence()`',
      'sveltekit',
      added('sveltekit.ours', 'sveltekit.empty'),
    ],
    ['1f', 'Next.js `withDatafast` route wrapper', 'next', added('next.ours', 'next.bare')],
  ];
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
  for (const [id, name, framework, us] of adapters) {
    const request = median(bare[framework]);
    rows.push(
      row({
        id,
        title: `${name}: added CPU per request, as % of a bare ${label[framework]} request`,
        baseline: `${duration(request / 1000)} (bare request)`,
        measured: `+${duration(median(us) / 1000)}`,
        ratios: us.map((value) => (100 * value) / request),
        unit: '%',
        goal: '≤ 1%',
        met: (percent) => percent <= 1,
      }),
      row({
        id: nextId(id),
        title: `${name}: added CPU vs \`cookie-parser\`'s (same Cookie header)`,
        baseline: `+${duration(median(cookieParser) / 1000)} (cookie-parser)`,
        measured: `+${duration(median(us) / 1000)}`,
        ratios: us.map((value, i) => value / cookieParser[i]),
        unit: 'x',
        goal: '< 1x',
        met: (ratio) => ratio < 1,
      }),
    );
  }
  return rows;
}

const label = { express: 'Express', sveltekit: 'SvelteKit', next: 'Next.js' };
const nextId = (id) => `${id[0]}${String.fromCharCode(id.charCodeAt(1) + 1)}`;

/** CPU µs per bare request of each framework (and of the control process), per round. */
async function bareRequests(rounds) {
  const servers = {
    express: await startApp('express'),
    control: await startApp('express'),
    next: await startApp('next'),
    sveltekit: await startApp('sveltekit'),
  };
  try {
    const load = (name, seconds) =>
      cpuPerRequest(servers[name], `${servers[name].url}/bare`, { seconds });
    for (const name of Object.keys(servers)) await load(name, 1); // warm-up (JIT, caches)
    return await interleaved(rounds, Object.keys(servers), (name) => load(name, 2));
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }
}

/** ns per call of each in-process variant, per round, from a child on the server core. */
function callCosts(rounds) {
  const result = spawnSync(
    'taskset',
    ['-c', String(cores.server), 'node', inProcess, String(rounds)],
    {
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`middleware-inprocess failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}
