// Row 3: delivery throughput and CPU per payment of `track` (and with the file outbox) against a
// hand-written keep-alive fetch loop at the same concurrency. Measured in delivery-child.mjs,
// pinned to the server core; the devserver runs on the other.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cores } from '../lib/processes.mjs';
import { median } from '../lib/stats.mjs';
import { duration, row } from '../lib/table.mjs';

const child = fileURLToPath(new URL('delivery-child.mjs', import.meta.url));
/** Payments per variant in each round: 10,000 per variant over the run's 5 rounds. */
const perRound = 2_000;

export async function deliveryRows({ rounds, devserver }) {
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
      String(perRound),
    ],
    { encoding: 'utf8', timeout: 400_000 },
  );
  if (result.status !== 0) throw new Error(`delivery-child failed:\n${result.stderr}`);
  const runs = JSON.parse(result.stdout);
  const perSecond = (run) => (perRound * 1000) / run.wallMs;
  const cpuPer = (run) => run.cpuMs / perRound;
  const total = (perRound * rounds).toLocaleString('en');
  const rows = [];
  const variants = [
    ['3a', 'track', '`track` (validation and retries on)'],
    [
      '3b',
      'trackOutbox',
      '`track` with the file outbox (group commit: one fsync per event-loop turn)',
    ],
  ];
  for (const [id, name, title] of variants) {
    rows.push(
      row({
        id,
        title: `${title}: payments per second (${total} in ${rounds} rounds) vs a hand-written keep-alive fetch loop (concurrency 8)`,
        baseline: `${median(runs.fetchLoop.map(perSecond)).toFixed(0)}/s`,
        measured: `${median(runs[name].map(perSecond)).toFixed(0)}/s`,
        ratios: runs[name].map((run, i) => perSecond(run) / perSecond(runs.fetchLoop[i])),
        unit: 'x',
        goal: '≥ 0.9x',
        met: (ratio) => ratio >= 0.9,
      }),
      row({
        id: `${id}′`,
        title: `${title}: client CPU per payment vs the fetch loop's`,
        baseline: duration(median(runs.fetchLoop.map(cpuPer))),
        measured: duration(median(runs[name].map(cpuPer))),
        ratios: runs[name].map((run, i) => cpuPer(run) / cpuPer(runs.fetchLoop[i])),
        unit: 'x',
        goal: 'none: shown for comparison',
      }),
    );
  }
  return rows;
}
