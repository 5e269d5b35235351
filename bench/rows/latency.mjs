// Rows 2 and 6: a checkout's latency with our adapter, against the same route that reports
// nothing (and the docs' naive integration), under an open-loop load of checkouts on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp } from '../lib/apps.mjs';
import { cookieHeader, orderBody } from '../lib/fixtures.mjs';
import { fixedRate } from '../lib/load.mjs';
import { interleaved, median, percentile } from '../lib/stats.mjs';
import { row } from '../lib/table.mjs';

const label = { express: 'Express', next: 'Next.js', sveltekit: 'SvelteKit' };
const headers = { cookie: cookieHeader, 'content-type': 'application/json' };
/** Checkouts per second and seconds per variant per round: 300 latencies each time. */
const load = { rate: 100, seconds: 3 };

/**
 * Starts one process per variant, warms each up, then measures them in interleaved rounds.
 * Resolves `{ variant: [{ p50, p99 }, ...one per round] }`.
 */
async function measureVariants(framework, variants, env, rounds) {
  const servers = {};
  try {
    for (const variant of variants)
      servers[variant] = await startApp(framework, env[variant] ?? env.all);
    const url = (variant) => `${servers[variant].url}/api/checkout/${variant}`;
    const run = (variant, options = load) =>
      fixedRate(url(variant), { ...options, headers, body: orderBody });
    for (const variant of variants) await run(variant, { rate: 50, seconds: 1 }); // warm-up
    return await interleaved(rounds, variants, async (variant) => {
      const latencies = await run(variant);
      return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
    });
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }
}

const ms = (value) => `${value.toFixed(2)} ms`;

/**
 * The rows comparing `variant` with `none`, per round: p50 and p99 differences, or for a
 * reference (the naive integration) one row with the p50 difference and both latencies.
 */
function latencyRows(id, results, variant, title, { goal, reference = false }) {
  const medianOf = (name, key) => median(results[name].map((r) => r[key]));
  const differences = (key) => results[variant].map((r, i) => r[key] - results.none[i][key]);
  if (reference) {
    return [
      row({
        id,
        title: `${title}: p50 latency vs a route that reports nothing`,
        baseline: `${ms(medianOf('none', 'p50'))} (p99 ${ms(medianOf('none', 'p99'))})`,
        measured: `${ms(medianOf(variant, 'p50'))} (p99 ${ms(medianOf(variant, 'p99'))})`,
        ratios: differences('p50'),
        unit: 'ms',
        goal: 'none: shown for comparison',
      }),
    ];
  }
  return ['p50', 'p99'].map((key) => {
    const figures = differences(key);
    return row({
      id: key === 'p50' ? id : `${id}′`,
      title: `${title}: ${key} latency vs a route that reports nothing`,
      baseline: ms(medianOf('none', key)),
      measured: ms(medianOf(variant, key)),
      ratios: figures,
      unit: 'ms',
      goal,
      met: Math.abs(median(figures)) <= 1,
    });
  });
}

/**
 * Row 2: the devserver answers after 300 ms and then fails half the requests (503), and each
 * framework's checkout is measured with our adapter, with the docs' awaited fetch, and without
 * reporting. Express also runs with the file outbox, as its example does when
 * DATAFAST_OUTBOX_DIR is set.
 */
export async function insulationRows({ rounds, devserver }) {
  await devserver.setFaults({ latencyMs: 300, failureRate: 0.5 });
  const outboxDir = mkdtempSync(join(tmpdir(), 'datafast-bench-outbox-'));
  const rows = [];
  try {
    const ids = { express: '2a', next: '2b', sveltekit: '2c' };
    for (const framework of ['express', 'next', 'sveltekit']) {
      const variants = ['ours', 'naive', 'none', ...(framework === 'express' ? ['outbox'] : [])];
      const env = {
        all: devserver.env,
        outbox: { ...devserver.env, BENCH_OUTBOX_DIR: outboxDir },
      };
      const results = await measureVariants(framework, variants, env, rounds);
      const name = `${label[framework]} checkout`;
      rows.push(
        ...latencyRows(ids[framework], results, 'ours', `${name} with our adapter`, {
          goal: '≤ 1 ms',
        }),
      );
      if (results.outbox) {
        rows.push(
          ...latencyRows(
            `${ids[framework]}+`,
            results,
            'outbox',
            `${name} with our adapter and the file outbox`,
            {
              goal: '≤ 1 ms',
            },
          ),
        );
      }
      rows.push(
        ...latencyRows(
          `${ids[framework]}*`,
          results,
          'naive',
          `${name}, the docs' naive integration`,
          {
            reference: true,
          },
        ),
      );
    }
  } finally {
    await devserver.setFaults({});
    rmSync(outboxDir, { recursive: true, force: true });
  }
  return rows;
}

/** Row 6: a Next.js route on `next start` with `withDatafast` and `after()` vs no reporting. */
export async function serverlessRows({ rounds, devserver }) {
  const results = await measureVariants('next', ['ours', 'none'], { all: devserver.env }, rounds);
  return latencyRows(
    '6',
    results,
    'ours',
    'Next.js route on `next start`, `withDatafast` + `after()`, healthy devserver',
    {
      goal: '≤ 1 ms',
    },
  );
}
