import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import {
  type OverlapProxy,
  type RedisEngine,
  type RunningApp,
  startOverlapProxy,
  startRedis,
} from '@datafast-checkout/testing';
import { createClient } from 'redis';
import { afterEach, expect, it } from 'vitest';
import { checkouts, givenUp, startCheckoutApp } from './support/apps.js';

// Real processes on a real Redis: Express apps sharing one Redis outbox, DataFast (the
// devserver, behind a proxy that counts concurrent POSTs of one transaction_id) down and back,
// an app crashed with SIGKILL of its process group, Redis itself SIGKILLed and restarted.

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Setup {
  redis: RedisEngine;
  dev: DevServer;
  proxy: OverlapProxy;
  apps: RunningApp[];
  /** How many entries the outbox holds, read with a client of the test's own. */
  outboxSize(): Promise<number>;
}

async function setUp(appCount: number): Promise<Setup> {
  const redis = await startRedis();
  cleanup.push(() => redis.stop());
  // DataFast down: every POST answers 503, as during an outage.
  const dev = await startDevServer({ faults: { failureRate: 1 } });
  cleanup.push(() => dev.close());
  const proxy = await startOverlapProxy(dev.url);
  cleanup.push(() => proxy.close());
  const apps = await Promise.all(
    Array.from({ length: appCount }, () =>
      startCheckoutApp({
        REDIS_URL: redis.url,
        DATAFAST_BASE_URL: proxy.url,
        DATAFAST_API_KEY: dev.apiKey,
      }),
    ),
  );
  for (const app of apps) cleanup.push(() => app.stop('SIGKILL'));
  const reader = createClient({ url: redis.url });
  reader.on('error', () => {});
  await reader.connect();
  cleanup.push(() => reader.destroy());
  return {
    redis,
    dev,
    proxy,
    apps,
    outboxSize: () => reader.zCard('datafast:{outbox}:order'),
  };
}

/** Resolves once `condition` holds, checking every 50 ms; rejects after `timeoutMs`. */
async function until(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function storedTwice(dev: DevServer): string[] {
  const seen = new Set<string>();
  return dev
    .payments()
    .map((p) => p.transaction_id)
    .filter((id) => seen.has(id) || !seen.add(id));
}

/** How many reports the apps could not store (Redis away) and delivered from memory. */
const unstored = (apps: RunningApp[]) =>
  apps.flatMap((app) => app.output().match(/the outbox could not store payment/g) ?? []).length;

const idsFor = (run: string, count: number) =>
  Array.from({ length: count }, (_, i) => `ch_${run}_${String(i).padStart(4, '0')}`);

it('stores 1,000 checkouts from three apps sharing one outbox exactly once, one app SIGKILLed while DataFast was down, none sent by two at once', {
  timeout: 120_000,
}, async () => {
  const started = Date.now();
  const { dev, proxy, apps, outboxSize } = await setUp(3);
  const ids = idsFor('three', 1_000);

  await checkouts(apps, ids, 30);
  // Each app answered before its put settled: wait until Redis holds every report.
  await until('the outbox holds all 1,000', async () => (await outboxSize()) === 1_000);
  const postsWhileDown = postsSeen(proxy);

  // A crash of one app mid-outage: its process group, at once, with the leases it held.
  const [crashed, ...alive] = apps as [RunningApp, ...RunningApp[]];
  process.kill(-(crashed.process.pid as number), 'SIGKILL');
  await crashed.stop();

  dev.setFaults({});
  await Promise.all(ids.map((id) => dev.waitForPayment(id, { timeoutMs: 60_000 })));
  await until('the outbox is empty', async () => (await outboxSize()) === 0);

  expect(dev.payments()).toHaveLength(1_000);
  expect(storedTwice(dev)).toEqual([]);
  expect(sentByTwo(proxy)).toEqual([]);
  expect(alive.flatMap(givenUp)).toEqual([]);
  console.log(
    `[redis] 3 apps, 1,000 checkouts, one SIGKILLed: ${postsWhileDown} POSTs while DataFast was down, ` +
      `${postsSeen(proxy)} in all, ${dev.stats().duplicates} duplicate(s) at DataFast, ` +
      `${resentByOne(proxy).length} resent by one app while its timed-out attempt was still in flight, ` +
      `none by two apps at once, ${Date.now() - started} ms`,
  );
});

it('never fails a checkout while Redis is SIGKILLed and restarted, and delivers every report once it is back', async () => {
  const started = Date.now();
  const { redis, dev, proxy, apps, outboxSize } = await setUp(2);
  const before = idsFor('before', 100);
  const during = idsFor('during', 100);
  const after = idsFor('after', 100);

  await checkouts(apps, before, 10);
  await until('the outbox holds the first 100', async () => (await outboxSize()) === 100);
  // Redis crashes (SIGKILL: no shutdown, no save) while checkouts keep coming.
  await redis.kill();
  await checkouts(apps, during, 10);
  // Reports tracked meanwhile could not be stored: each app delivers those from its memory.
  await until('an app could not store a report', async () => unstored(apps) > 0);
  await redis.restart();
  await checkouts(apps, after, 10);

  // The first 100 were in the append-only file before the crash: the restarted Redis has them.
  dev.setFaults({});
  const all = [...before, ...during, ...after];
  const lost = new Set(apps.flatMap(givenUp));
  await Promise.all(
    all.filter((id) => !lost.has(id)).map((id) => dev.waitForPayment(id, { timeoutMs: 60_000 })),
  );
  await until('the outbox is empty', async () => (await outboxSize()) === 0);

  // Every report reached DataFast or onError; with the process alive, none had to be given up.
  expect([...lost]).toEqual([]);
  expect(
    dev
      .payments()
      .map((p) => p.transaction_id)
      .sort(),
  ).toEqual([...all].sort());
  expect(storedTwice(dev)).toEqual([]);
  expect(sentByTwo(proxy)).toEqual([]);
  console.log(
    `[redis] Redis SIGKILLed and restarted under 300 checkouts: 300 of 300 stored, ` +
      `${unstored(apps)} kept in memory only while Redis was away, ` +
      `${apps.flatMap(givenUp).length} given up, ${Date.now() - started} ms`,
  );
});

/** POSTs the proxy forwarded so far. */
function postsSeen(proxy: OverlapProxy): number {
  let total = 0;
  for (const count of proxy.posts.values()) total += count;
  return total;
}

/** Transaction ids two different apps had in flight at the same moment. */
function sentByTwo(proxy: OverlapProxy): string[] {
  const ids = proxy.overlapping.filter(({ senders }) => new Set(senders).size > 1).map((o) => o.id);
  return [...new Set(ids)];
}

/** Ids one app had in flight twice: a timed-out attempt still open at the server, then its retry. */
function resentByOne(proxy: OverlapProxy): string[] {
  const ids = proxy.overlapping
    .filter(({ senders }) => new Set(senders).size < senders.length)
    .map((o) => o.id);
  return [...new Set(ids)];
}
