// Row 0: the core client alone (the rows `pnpm bench` had first), measured in core-child.mjs
// pinned to the server core.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cores } from '../lib/processes.mjs';
import { median } from '../lib/stats.mjs';
import { duration, row } from '../lib/table.mjs';

const child = fileURLToPath(new URL('core-child.mjs', import.meta.url));

export async function coreRows({ rounds }) {
  const result = spawnSync('taskset', ['-c', String(cores.server), 'node', child, String(rounds)], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`core-child failed:\n${result.stderr}`);
  const runs = JSON.parse(result.stdout);
  const compare = (measured, baseline) => ({
    baseline: duration(median(runs[baseline])),
    measured: duration(median(runs[measured])),
    ratios: runs[measured].map((ms, i) => ms / runs[baseline][i]),
    unit: 'x',
  });
  const linear = compare('cookieLarge', 'cookieSmall');
  return [
    row({
      id: '0a',
      title: '`getVisitorId` on a 4x larger Cookie header (2,500 vs 10,000 pairs)',
      ...linear,
      goal: '< 6x (linear: 4x; quadratic: 16x)',
      met: (ratio) => ratio < 6,
    }),
    row({
      id: '0b',
      title: '`payments.create` round trip vs a bare `fetch` of the same request',
      ...compare('create', 'bareFetch'),
      goal: 'none: validation, retries and timeouts on top of the fetch',
    }),
    row({
      id: '0c',
      title: '`track()` call in the request path vs building the payment object',
      ...compare('track', 'object'),
      goal: 'none: absolute cost in the ours column',
    }),
  ];
}
