import { fileURLToPath } from 'node:url';
import type { DevServer } from '@datafast-checkout/devserver';
import { migratePostgresOutbox } from '@datafast-checkout/postgres';
import {
  type OverlapProxy,
  type PostgresEngine,
  type RunningApp,
  startApp,
  startOverlapProxy,
  startPostgres,
} from '@datafast-checkout/testing';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkouts } from './support/checkout.js';
import { startDataFast, storedIds, storedTwice } from './support/devserver.js';
import { exitOf, keepOutput } from './support/processes.js';
import { secrets } from './support/secrets.js';

// Three instances of an Express checkout (fixtures/postgres-checkout.mjs) share one PostgreSQL
// outbox while DataFast is down; one is SIGKILLed as a process group; DataFast comes back. A
// proxy in front of DataFast sees every POST while it is open: no report may be sent by two
// instances at the same moment, and each must be stored once.

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const total = 1_000;
const cronSecret = 'cron_reliability_3e9a1c7f';

let engine: PostgresEngine;
let pool: pg.Pool;
let dev: DevServer;
let proxy: OverlapProxy;
const apps: RunningApp[] = [];

beforeAll(async () => {
  engine = await startPostgres();
  pool = new pg.Pool({ connectionString: engine.url, max: 2 });
  await migratePostgresOutbox(pool);
  // Down: every report is answered 503 after a little latency (so that two senders of one
  // report would be seen open at once).
  dev = await startDataFast('postgres-instances', {
    faults: { failureRate: 1, latencyMs: { min: 5, max: 30 } },
  });
  proxy = await startOverlapProxy(dev.url);
  for (let i = 0; i < 3; i++) {
    const app = await startApp({
      command: process.execPath,
      args: ['postgres-checkout.mjs'],
      cwd: fixtures,
      env: {
        DATABASE_URL: engine.url,
        DATAFAST_API_KEY: secrets.apiKey,
        DATAFAST_BASE_URL: proxy.url,
        CRON_SECRET: cronSecret,
        INSTANCE: String(i),
      },
      processGroup: true,
    });
    keepOutput(`postgres-instance-${i}`, app.process, app.output);
    apps.push(app);
  }
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await proxy?.close();
  await dev?.close();
  await pool?.end();
  await engine?.close();
});

const rows = async () =>
  Number((await pool.query('SELECT count(*) AS n FROM datafast_outbox')).rows[0].n);

/** Resolves once `check` holds, polling: each poll is a look at what the processes did. */
async function until(check: () => Promise<boolean> | boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('stores all 1,000 checkouts of three instances once, none sent by two at once, after one is SIGKILLed', async () => {
  const started = Date.now();
  const shares = [334, 333, 333];
  const ids = (
    await Promise.all(apps.map((app, k) => checkouts(app.url, shares[k] as number, 10)))
  ).flat();
  expect(new Set(ids).size).toBe(total);
  // Every answered report reaches the shared outbox (its put resolves just after the answer).
  await until(async () => (await rows()) === total);
  const answeredInMs = Date.now() - started;

  const [killed] = apps.splice(0, 1) as [RunningApp];
  process.kill(-(killed.process.pid as number), 'SIGKILL');
  expect(await exitOf(killed.process, 10_000)).toEqual({ code: null, signal: 'SIGKILL' });
  const failedWhileDown = dev.requests().length;

  // DataFast is back. The survivors deliver their own reports at their next round; the killed
  // instance's reports are due once its leases lapse, and the cron's drain takes them then.
  dev.setFaults({ latencyMs: { min: 5, max: 30 } });
  const back = Date.now();
  const drains: Array<Record<string, number>> = [];
  await until(async () => {
    if (dev.payments().length === total) return true;
    const answer = await fetch(`${apps[0]?.url}/api/cron/drain`, {
      headers: { authorization: `Bearer ${cronSecret}` },
    });
    drains.push((await answer.json()) as Record<string, number>);
    return dev.payments().length === total;
  });
  const recoveredInMs = Date.now() - back;
  await until(async () => (await rows()) === 0);

  expect(storedIds(dev)).toEqual([...ids].sort());
  expect(storedTwice(dev)).toEqual([]);
  // Never two instances at once. (One instance's own attempts are core's scheduler's: see below.)
  const acrossInstances = proxy.overlapping.filter(({ senders }) => new Set(senders).size > 1);
  expect(acrossInstances).toEqual([]);
  for (const app of apps) expect(app.output()).not.toContain('was not reported');
  const posts = [...proxy.posts.values()].reduce((sum, n) => sum + n, 0);
  console.log(
    `[reliability] postgres, 3 instances: ${total} checkouts answered and in the outbox in ${answeredInMs} ms ` +
      `(${failedWhileDown} attempts refused while DataFast was down); one instance SIGKILLed; ` +
      `all ${total} stored once ${recoveredInMs} ms after DataFast came back ` +
      `(${drains.length} cron drains, delivering ${drains.reduce((sum, d) => sum + (d.delivered ?? 0), 0)}); ` +
      `${posts} POSTs in all, none of one report open in two instances at once ` +
      `(${proxy.overlapping.length - acrossInstances.length} open twice within one instance)`,
  );
});

it('refuses the cron route without the secret, and drains nothing then', async () => {
  for (const authorization of [undefined, 'Bearer wrong', `Basic ${cronSecret}`]) {
    const answer = await fetch(`${apps[0]?.url}/api/cron/drain`, {
      headers: authorization ? { authorization } : {},
    });
    expect(answer.status).toBe(401);
  }
});
