// Row 4: what `stripeWebhook` adds to a Stripe webhook besides the network: one event at a time,
// against `constructEventAsync` plus one keep-alive fetch of the same payment (what one would
// write by hand), with `constructEventAsync` alone shown for scale. Measured in
// webhooks-child.mjs, pinned to the server core; the devserver runs on the other.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cores } from '../lib/processes.mjs';
import { median } from '../lib/stats.mjs';
import { duration, row } from '../lib/table.mjs';

const child = fileURLToPath(new URL('webhooks-child.mjs', import.meta.url));

export async function webhookRows({ rounds, devserver }) {
  const result = spawnSync(
    'taskset',
    ['-c', String(cores.server), 'node', child, devserver.url, devserver.apiKey, String(rounds)],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (result.status !== 0) throw new Error(`webhooks-child failed:\n${result.stderr}`);
  const runs = JSON.parse(result.stdout);
  const us = (value) => duration(value / 1000);
  const verifyWall = median(runs.verify.map((r) => r.wallUs));
  const verifyCpu = median(runs.verify.map((r) => r.cpuUs));
  const figure = (key) => ({
    baseline: `${us(median(runs.verifyAndFetch.map((r) => r[key])))} (verify alone ${us(key === 'wallUs' ? verifyWall : verifyCpu)})`,
    measured: us(median(runs.stripeWebhook.map((r) => r[key]))),
    ratios: runs.stripeWebhook.map((r, i) => r[key] / runs.verifyAndFetch[i][key]),
    unit: 'x',
    goal: 'none set: the figure is the point',
  });
  return [
    row({
      id: '4',
      title:
        '`stripeWebhook` (verify, map, awaited delivery), time per event vs `constructEventAsync` + one fetch',
      ...figure('wallUs'),
    }),
    row({
      id: '4′',
      title: '`stripeWebhook`: CPU per event vs `constructEventAsync` + one fetch',
      ...figure('cpuUs'),
    }),
  ];
}
