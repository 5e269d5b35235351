// Rows 2 and 6: a checkout's latency with our adapter, against the same route that reports
// nothing (and the docs' naive integration), under an open-loop load of checkouts on loopback.
// Every variant runs in its own process of the same app, and one load interleaves them request
// by request; a second process of the no-report route is the control, whose difference from
// the first is how finely latencies resolve on this machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migratePostgresOutbox } from '@datafast-checkout/postgres';
import pg from 'pg';
import { startPostgres } from '../../internal/testing/src/engines/postgres.mjs';
import { startApp } from '../lib/apps.mjs';
import { cookieHeader, orderBody } from '../lib/fixtures.mjs';
import { interleavedLoad } from '../lib/load.mjs';
import { delay } from '../lib/processes.mjs';
import { median, percentile } from '../lib/stats.mjs';
import { row } from '../lib/table.mjs';

const label = { express: 'Express', next: 'Next.js', sveltekit: 'SvelteKit' };
const headers = { cookie: cookieHeader, 'content-type': 'application/json' };
/**
 * Checkouts per second to each variant, and seconds per round: 75 latencies each round. A light
 * load, as a shop has: the figure is what reporting adds to a checkout, not to a saturated server.
 */
const load = { rate: 15, seconds: 5 };
/** The route each variant loads (the control is a second process of `none`). */
const routeOf = (variant) => (variant === 'control' ? 'none' : variant);

/**
 * Starts one process per variant, warms them up, then measures them in `rounds` rounds of one
 * interleaved load each (the order of the variants rotating from round to round). Resolves
 * `{ variant: [{ p50, p99 }, ...one per round] }`.
 */
export async function measureVariants(framework, variants, envOf, rounds) {
  const servers = {};
  try {
    for (const variant of variants) servers[variant] = await startApp(framework, envOf(variant));
    const run = (order, options) =>
      interleavedLoad(
        order.map((variant) => `${servers[variant].url}/api/checkout/${routeOf(variant)}`),
        { ...options, headers, body: orderBody },
      );
    await run(variants, { rate: 20, seconds: 2 }); // warm-up: JIT, connections, Next's caches
    const results = Object.fromEntries(variants.map((variant) => [variant, []]));
    for (let round = 0; round < rounds; round++) {
      const order = variants.map((_, k) => variants[(round + k) % variants.length]);
      const latencies = await run(order, load);
      order.forEach((variant, k) => {
        results[variant].push({
          p50: percentile(latencies[k], 50),
          p99: percentile(latencies[k], 99),
        });
      });
    }
    return results;
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }
}

const ms = (value) => `${value.toFixed(2)} ms`;
const both = (results, variant) =>
  `p50 ${ms(median(results[variant].map((r) => r.p50)))}, p99 ${ms(median(results[variant].map((r) => r.p99)))}`;
const differences = (results, variant, key) =>
  results[variant].map((r, i) => r[key] - results.none[i][key]);

/**
 * p50 and p99 of `variant` against the no-report route, each a row with the ≤ 1 ms goal. A
 * difference above 1 ms but within the control's typical difference (the median over the rounds
 * of how far two identical processes differ), or a variant faster than no reporting by more than
 * 1 ms, is below what this run resolves: it is marked so, neither met nor missed.
 */
function goalRows(id, results, variant, title) {
  return ['p50', 'p99'].map((key) => {
    const figures = differences(results, variant, key);
    const resolution = median(differences(results, 'control', key).map(Math.abs));
    return row({
      id: key === 'p50' ? id : `${id}′`,
      title: `${title}: ${key} latency vs the route that reports nothing`,
      baseline: ms(median(results.none.map((r) => r[key]))),
      measured: ms(median(results[variant].map((r) => r[key]))),
      ratios: figures,
      unit: 'ms',
      goal: '≤ 1 ms',
      met: (difference) => {
        if (Math.abs(difference) <= 1) return true;
        if (difference < 0 || difference <= resolution) {
          return `unresolved (control ±${resolution.toFixed(1)} ms typical)`;
        }
        return false;
      },
    });
  });
}

/** One reference row (no goal): the difference in `key`, both latencies in the columns. */
function referenceRow(id, results, variant, title, key) {
  return row({
    id,
    title: `${title}: ${key} difference`,
    baseline: both(results, 'none'),
    measured: both(results, variant),
    ratios: differences(results, variant, key),
    unit: 'ms',
    goal: 'none: for comparison',
  });
}

/**
 * Row 2: the devserver answers every report after 300 ms and then fails half of them (503),
 * and each framework's checkout runs with our adapter, with the docs' awaited fetch, and without
 * reporting. Express also runs with the file outbox, as its example does with
 * DATAFAST_OUTBOX_DIR.
 */
export async function insulationRows({ rounds, devserver }) {
  await devserver.setFaults({ latencyMs: 300, failureRate: 0.5 });
  const outboxDir = mkdtempSync(join(tmpdir(), 'datafast-bench-outbox-'));
  const envOf = (variant) =>
    variant === 'outbox' ? { ...devserver.env, BENCH_OUTBOX_DIR: outboxDir } : devserver.env;
  const rows = [];
  try {
    const ids = { express: '2a', next: '2b', sveltekit: '2c' };
    for (const framework of ['express', 'next', 'sveltekit']) {
      const withOutbox = framework === 'express' ? ['outbox'] : [];
      const variants = ['ours', 'none', 'control', 'naive', ...withOutbox];
      const results = await measureVariants(framework, variants, envOf, rounds);
      const id = ids[framework];
      const name = `${label[framework]} checkout`;
      rows.push(
        referenceRow(
          `${id}○`,
          results,
          'control',
          `control: ${name}, a second no-report process`,
          'p99',
        ),
        ...goalRows(id, results, 'ours', `${name} with our adapter`),
      );
      if (results.outbox) {
        rows.push(
          ...goalRows(`${id}+`, results, 'outbox', `${name} with our adapter and the file outbox`),
        );
      }
      rows.push(
        referenceRow(`${id}*`, results, 'naive', `${name}, the docs' naive integration`, 'p50'),
      );
    }
  } finally {
    // Reports the stopped servers sent last are still held by the devserver's 300 ms latency:
    // let them land now, not in the next row's counts.
    await delay(1_000);
    await devserver.setFaults({});
    rmSync(outboxDir, { recursive: true, force: true });
  }
  return rows;
}

/** Row 6: a Next.js route on `next start` with `withDatafast` and `after()` vs no reporting. */
export async function serverlessRows({ rounds, devserver }) {
  const variants = ['ours', 'none', 'control'];
  const results = await measureVariants('next', variants, () => devserver.env, rounds);
  const name = 'Next.js route on `next start`, healthy devserver';
  return [
    referenceRow('6○', results, 'control', `control: ${name}, a second no-report process`, 'p99'),
    ...goalRows('6', results, 'ours', `${name}, \`withDatafast\` + \`after()\``),
  ];
}

/**
 * Row 10a: the Express checkout with our adapter and the PostgreSQL outbox (a real server on this
 * machine, its durability settings kept: `put` is one INSERT committed before delivery starts)
 * against the same adapter without an outbox, healthy devserver, as in row 2; p50 and p99 as
 * ratios, round by round.
 */
export async function postgresRows({ rounds, devserver }) {
  const engine = await startPostgres({ durable: true });
  try {
    const pool = new pg.Pool({ connectionString: engine.url });
    await migratePostgresOutbox(pool);
    await pool.end();
    const envOf = (variant) =>
      variant === 'postgres' ? { ...devserver.env, BENCH_DATABASE_URL: engine.url } : devserver.env;
    const results = await measureVariants('express', ['ours', 'postgres'], envOf, rounds);
    return ['p50', 'p99'].map((key) =>
      row({
        id: key === 'p50' ? '10a' : '10a′',
        title: `Express checkout with the PostgreSQL outbox: ${key} latency vs the same adapter without an outbox`,
        baseline: ms(median(results.ours.map((r) => r[key]))),
        measured: ms(median(results.postgres.map((r) => r[key]))),
        ratios: results.postgres.map((r, i) => r[key] / results.ours[i][key]),
        unit: 'x',
        goal: 'none: the figure is the point',
      }),
    );
  } finally {
    await engine.close();
  }
}
