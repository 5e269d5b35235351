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
import { checkouts } from './support/checkout.js';
import { startDataFast, storedIds, storedTwice } from './support/devserver.js';
import { keepOutput } from './support/processes.js';
import { secrets } from './support/secrets.js';

// PostgreSQL crashes (SIGKILL of its process group) and comes back, then is stopped and started
// again (a fast shutdown, as maintenance or a failover does), while an Express checkout on
// a PostgreSQL outbox (fixtures/postgres-checkout.mjs) takes payments and DataFast is down. The
// server keeps its durability settings (fsync, synchronous commit): what it acknowledged must
// survive its crash.

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const cronSecret = 'cron_reliability_restart_5b2d';

let engine: PostgresEngine;
let pool: pg.Pool;
let dev: DevServer;
let app: RunningApp;

beforeAll(async () => {
  engine = await startPostgres({ durable: true });
  pool = new pg.Pool({ connectionString: engine.url, max: 1 });
  // The test's own pool sees the crash too: its idle connection's error is expected here.
  pool.on('error', () => {});
  await migratePostgresOutbox(pool);
  dev = await startDataFast('postgres-restart', { faults: { failureRate: 1 } });
  app = await startApp({
    command: process.execPath,
    args: ['postgres-checkout.mjs'],
    cwd: fixtures,
    env: {
      DATABASE_URL: engine.url,
      DATAFAST_API_KEY: secrets.apiKey,
      DATAFAST_BASE_URL: dev.url,
      CRON_SECRET: cronSecret,
      INSTANCE: 'restart',
    },
  });
  keepOutput('postgres-restart-app', app.process, app.output);
});

afterAll(async () => {
  await app?.stop();
  await dev?.close();
  await pool?.end();
  await engine?.close();
});

const stored = async () =>
  new Set(
    (await pool.query('SELECT id FROM datafast_outbox')).rows.map((row: { id: string }) => row.id),
  );

/** Ids whose outbox `put` failed, from the app's log (core names each one). */
const notStored = () =>
  new Set(
    [...app.output().matchAll(/the outbox could not store payment (\S+)/g)].map(
      (match) => match[1] as string,
    ),
  );

it('takes every checkout while PostgreSQL crashes, restarts and is restarted, and delivers each report once it is back', async () => {
  const before = await checkouts(app.url, 100, 5);
  // Acknowledged by PostgreSQL before its crash: each put resolved (polled until all are in).
  for (let rows = await stored(); rows.size < before.length; rows = await stored()) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  // A crash, then a restart by an administrator (a fast shutdown ends every connection with an
  // error: pg's pool emits it for its idle ones, which would end a process nobody guarded).
  await engine.crash();
  const duringCrash = await checkouts(app.url, 100, 5);
  await engine.start();
  const between = await checkouts(app.url, 50, 5);
  await engine.stop();
  const duringStop = await checkouts(app.url, 25, 5);
  await engine.start();
  const after = await checkouts(app.url, 25, 5);
  const ids = [...before, ...duringCrash, ...between, ...duringStop, ...after];

  // Every report is in the outbox (nothing acknowledged was lost in the crash) or was logged as
  // kept in memory only, and `track` never threw: each checkout answered 200.
  expect(ids).toHaveLength(300);
  let rows = await stored();
  for (const id of before) expect(rows.has(id)).toBe(true);
  const inMemoryOnly = notStored();
  for (; ids.some((id) => !rows.has(id) && !inMemoryOnly.has(id)); rows = await stored()) {
    // The last puts of the third batch may still be settling.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(inMemoryOnly.size).toBeGreaterThan(0);

  // DataFast is back: the app retries what it holds (the outbox's and memory's alike), and the
  // cron's drain takes what is due in the outbox.
  dev.setFaults({});
  while (dev.payments().length < ids.length) {
    await fetch(`${app.url}/api/cron/drain`, {
      headers: { authorization: `Bearer ${cronSecret}` },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  expect(storedIds(dev)).toEqual([...ids].sort());
  expect(storedTwice(dev)).toEqual([]);
  expect(app.output()).not.toContain('was not reported');
  expect(app.output()).not.toMatch(/unhandled|uncaught/i);
  console.log(
    `[reliability] postgres crashed, restarted, stopped and started under checkouts: 300 of 300 answered, ` +
      `${300 - inMemoryOnly.size} kept in the outbox, ${inMemoryOnly.size} in memory only while it was down, ` +
      'all 300 stored once after DataFast came back',
  );
});
