import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DevServer } from '@datafast-checkout/devserver';
import { migratePostgresOutbox } from '@datafast-checkout/postgres';
import {
  type PostgresEngine,
  type RunningApp,
  startApp,
  startPostgres,
} from '@datafast-checkout/testing';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDataFast, storedIds } from './support/devserver.js';
import { exitOf, keepOutput } from './support/processes.js';
import { secrets } from './support/secrets.js';

// The Next.js example (examples/next-app, built) with DATABASE_URL, run as a serverless platform
// runs it: each invocation thaws the function (SIGCONT), and once it has answered and its after()
// work has stored the report and made its first attempt, the function is frozen (SIGSTOP of its
// process group); at the end the platform recycles it (SIGKILL) while DataFast is still down.
// Then DataFast comes back and the cron calls the drain route on a fresh instance.

const appDir = fileURLToPath(new URL('../../../examples/next-app/', import.meta.url));
const nextBin = createRequire(`${appDir}package.json`).resolve('next/dist/bin/next');
const cronSecret = 'cron_reliability_serverless_9c4e';
const invocations = 12;
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';

let engine: PostgresEngine;
let pool: pg.Pool;
let dev: DevServer;
const apps: RunningApp[] = [];

beforeAll(async () => {
  engine = await startPostgres();
  pool = new pg.Pool({ connectionString: engine.url, max: 2 });
  await migratePostgresOutbox(pool);
  dev = await startDataFast('postgres-serverless', { faults: { failureRate: 1 } });
});

afterAll(async () => {
  for (const app of apps) {
    try {
      process.kill(-(app.process.pid as number), 'SIGCONT');
    } catch {
      // Gone already.
    }
    await app.stop();
  }
  await dev?.close();
  await pool?.end();
  await engine?.close();
});

async function startFunction(source: string): Promise<RunningApp> {
  const app = await startApp({
    // Polled on a page that loads nothing of the app's DataFast client: like a platform's fresh
    // instance, the function's first request is the one it is started for.
    readyPath: '/__ready',
    command: process.execPath,
    args: [nextBin, 'start'],
    cwd: appDir,
    env: {
      DATABASE_URL: engine.url,
      DATAFAST_API_KEY: secrets.apiKey,
      DATAFAST_BASE_URL: dev.url,
      DATAFAST_SCRIPT_URL: undefined,
      CRON_SECRET: cronSecret,
      NODE_ENV: 'production',
    },
    processGroup: true,
  });
  keepOutput(source, app.process, app.output);
  apps.push(app);
  return app;
}

const inOutbox = async (id: string) =>
  (await pool.query('SELECT 1 FROM datafast_outbox WHERE id = $1', [id])).rowCount === 1;
const attempted = (id: string) =>
  dev.requests().some((r) => (r.body as { transaction_id?: string })?.transaction_id === id);

it('delivers every report of functions frozen and killed while DataFast was down, once, through the cron drain route', async () => {
  const fn = await startFunction('next-app-function');
  const group = -(fn.process.pid as number);
  const ids: string[] = [];
  for (let i = 0; i < invocations; i++) {
    process.kill(group, 'SIGCONT');
    const answer = await fetch(`${fn.url}/api/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
      body: JSON.stringify({ amount: 19 + i, currency: 'EUR' }),
    });
    expect(answer.status).toBe(200);
    const { transaction_id: id } = (await answer.json()) as { transaction_id: string };
    ids.push(id);
    // The platform freezes the function once its after() work is done: the report is stored
    // and its first attempt met DataFast down.
    while (!((await inOutbox(id)) && attempted(id))) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    process.kill(group, 'SIGSTOP');
  }
  process.kill(group, 'SIGKILL');
  expect(await exitOf(fn.process, 10_000)).toEqual({ code: null, signal: 'SIGKILL' });
  expect(dev.payments()).toEqual([]);

  dev.setFaults({});
  const cron = await startFunction('next-app-cron');

  // The cron runs until the frozen function's leases have lapsed and everything is delivered.
  const started = Date.now();
  const results: Array<{ delivered: number; gaveUp: number }> = [];
  while (dev.payments().length < invocations) {
    const answer = await fetch(`${cron.url}/api/cron/drain`, {
      headers: { authorization: `Bearer ${cronSecret}` },
    });
    expect(answer.status).toBe(200);
    results.push((await answer.json()) as { delivered: number; gaveUp: number });
    if (dev.payments().length < invocations) await new Promise((r) => setTimeout(r, 500));
  }

  // The cron's function is frozen once the drain route has answered: by then every report the
  // instance delivered (by the drain, or by its sweep meanwhile) is gone from the outbox, or a
  // later cron would send it again. So one more call finds nothing due, and leaves nothing.
  const last = await fetch(`${cron.url}/api/cron/drain`, {
    headers: { authorization: `Bearer ${cronSecret}` },
  });
  expect(await last.json()).toEqual({ delivered: 0, retried: 0, gaveUp: 0, remaining: 0 });
  expect((await pool.query('SELECT count(*) AS n FROM datafast_outbox')).rows[0].n).toBe('0');
  const refused = await fetch(`${cron.url}/api/cron/drain`, {
    headers: { authorization: 'Bearer not-the-secret' },
  });
  expect(refused.status).toBe(401);
  expect(storedIds(dev)).toEqual([...ids].sort());
  // Who delivers each report is a race between the drain and the fresh instance's own sweep
  // (at start-up, then every 15 s for a shared outbox), under the same leases: so what is asserted
  // is "each stored once, none given up", not how many the drain itself sent.
  for (const result of results) {
    expect(result.delivered).toBeGreaterThanOrEqual(0);
    expect(result.gaveUp).toBe(0);
  }
  expect(cron.output()).not.toContain('was not reported');
  console.log(
    `[reliability] serverless (next-app, PostgreSQL outbox): ${invocations} functions frozen after their answer ` +
      `and killed while DataFast was down; all ${invocations} stored once ${Date.now() - started} ms after the first cron call ` +
      `(${results.length} calls, the drain delivering ${results.reduce((sum, r) => sum + r.delivered, 0)})`,
  );
});
