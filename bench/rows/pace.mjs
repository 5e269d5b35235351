// Row 8: delivery pace under faults. `track` with its defaults reports 2,000 payments to a
// devserver that fails 30 % of requests with 503, resets 10 %, answers 5 % with 429
// `Retry-After: 1` and delays 15 % by up to 200 ms, against the same client and devserver
// healthy, in interleaved rounds. Measured in pace-child.mjs, pinned to the server core.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cores } from '../lib/processes.mjs';
import { median } from '../lib/stats.mjs';
import { row } from '../lib/table.mjs';

const child = fileURLToPath(new URL('pace-child.mjs', import.meta.url));
const reports = 2_000;
const goalMs = 30_000;

/**
 * The fault profile. The devserver draws drops, then rate limits, then failures, each
 * on what the earlier ones left: these conditional rates give 10 % resets, 5 % 429s and 30 %
 * 503s of all requests.
 */
export const faultProfile = {
  dropRate: 0.1,
  rateLimitRate: 0.05 / 0.9,
  failureRate: 0.3 / 0.85,
  retryAfter: '1',
  latencyMs: { min: 0, max: 200 },
  latencyRate: 0.15,
};

export async function paceRows({ rounds, devserver }) {
  const result = spawnSync(
    'taskset',
    [
      '-c',
      String(cores.server),
      'node',
      child,
      devserver.url,
      devserver.apiKey,
      String(rounds),
      String(reports),
      JSON.stringify(faultProfile),
    ],
    { encoding: 'utf8', timeout: 900_000 },
  );
  if (result.status !== 0) throw new Error(`pace-child failed:\n${result.stderr}`);
  const runs = JSON.parse(result.stdout);
  const perSecond = (run) => (reports * 1000) / run.wallMs;
  const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const requests = median(runs.faults.map((run) => run.requests)).toLocaleString('en');
  return [
    row({
      id: '8a',
      title: `\`track\` (defaults) under faults (30 % 503, 10 % resets, 5 % 429 \`Retry-After: 1\`, 15 % delayed up to 200 ms): reports stored per second vs the same client against a healthy devserver (${reports.toLocaleString('en')} per round, ~${requests} requests under faults, none lost or stored twice)`,
      baseline: `${median(runs.healthy.map(perSecond)).toFixed(0)}/s`,
      measured: `${median(runs.faults.map(perSecond)).toFixed(0)}/s`,
      ratios: runs.faults.map((run, i) => perSecond(run) / perSecond(runs.healthy[i])),
      unit: 'x',
      goal: 'none: the figure is the point',
    }),
    row({
      id: '8b',
      title: `the same under faults: time until all ${reports.toLocaleString('en')} are stored, vs the goal`,
      baseline: `${seconds(goalMs)} (goal)`,
      measured: seconds(median(runs.faults.map((run) => run.wallMs))),
      ratios: runs.faults.map((run) => run.wallMs / goalMs),
      unit: 'x',
      goal: '≤ 30 s in every round',
      met: Math.max(...runs.faults.map((run) => run.wallMs)) <= goalMs,
    }),
  ];
}
