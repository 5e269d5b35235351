import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevServer } from '@datafast-checkout/devserver';
import type { RunningApp } from '@datafast-checkout/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { capture } from './support/capture.js';
import { checkouts, outboxFiles, outboxIds } from './support/checkout.js';
import { startDataFast, storedIds, storedTwice } from './support/devserver.js';
import { exitOf, startExpressExample, startExpressExampleWithNpm } from './support/processes.js';
import { secrets } from './support/secrets.js';

// The Express example with DATAFAST_OUTBOX_DIR, killed with SIGKILL (a crash, an OOM kill):
// what it had answered is on disk, and the next process delivers it.

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function outboxDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'datafast-reliability-outbox-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function dataFast(source: string, port?: number): Promise<DevServer> {
  const dev = await startDataFast(source, port === undefined ? {} : { port });
  cleanup.push(() => dev.close());
  return dev;
}

async function example(source: string, port: number, dir: string): Promise<RunningApp> {
  const app = await startExpressExample(source, {
    DATAFAST_API_KEY: secrets.apiKey,
    DATAFAST_BASE_URL: `http://127.0.0.1:${port}`,
    DATAFAST_OUTBOX_DIR: dir,
  });
  cleanup.push(() => app.stop());
  return app;
}

async function kill(app: RunningApp): Promise<void> {
  app.process.kill('SIGKILL');
  expect(await exitOf(app.process, 10_000)).toEqual({ code: null, signal: 'SIGKILL' });
}

/** The pid in the outbox's lock: the app behind `npm run start`. */
function lockOwnerPid(dir: string): number {
  const lock = readdirSync(dir).find((name) => /^outbox\.lock(\.\d+)?$/.test(name)) as string;
  const text = readFileSync(join(dir, lock), 'utf8');
  return text.startsWith('{') ? (JSON.parse(text) as { pid: number }).pid : Number(text);
}

/** 'a zombie' (dead, not reaped: pid 1 does not reap here), 'gone', or 'running'. */
function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z') ? 'a zombie' : 'running';
  } catch {
    return 'gone';
  }
}

/** A port where DataFast is down: a devserver's, closed again. */
async function downPort(source: string): Promise<number> {
  const dev = await startDataFast(source);
  await dev.close();
  return dev.port;
}

/** Resolves once every id is stored. */
const allStored = (dev: DevServer, ids: Iterable<string>) =>
  Promise.all([...ids].map((id) => dev.waitForPayment(id, { timeoutMs: 60_000 })));

describe('a crash (SIGKILL) with reports pending', () => {
  it('delivers all 500 reports pending while DataFast was down, each once, after the restart', async () => {
    const dir = outboxDir();
    const port = await downPort('crash-down');
    const first = await example('crash-app', port, dir);
    const ids = await checkouts(first.url, 500);
    // Every answered checkout is on disk: written (and fsynced) before the answer.
    expect(outboxIds(dir)).toEqual(new Set(ids));
    await kill(first);

    const dev = await dataFast('crash-up', port);
    await example('crash-app-restarted', port, dir);
    await allStored(dev, ids);

    expect(dev.payments()).toHaveLength(500);
    expect(storedTwice(dev)).toEqual([]);
    // DataFast was down the whole first life: each report was sent exactly once, after it.
    expect(dev.stats().duplicates).toBe(0);
  });

  it('delivers everything once after `npm run start` is SIGKILLed as a process group and started again', async () => {
    const dir = outboxDir();
    const port = await downPort('npm-down');
    const env = {
      DATAFAST_API_KEY: secrets.apiKey,
      DATAFAST_BASE_URL: `http://127.0.0.1:${port}`,
      DATAFAST_OUTBOX_DIR: dir,
    };
    const first = await startExpressExampleWithNpm('npm-crash-app', env);
    cleanup.push(() => first.stop());
    const ids = await checkouts(first.url, 200);
    expect(outboxIds(dir)).toEqual(new Set(ids));
    const appPid = lockOwnerPid(dir);

    // `docker stop` past its grace period, a supervisor, an OOM kill of the container: npm, its
    // shell and the app, all at once. With its parent gone, the app is left to pid 1.
    process.kill(-(first.process.pid as number), 'SIGKILL');
    expect(await exitOf(first.process, 10_000)).toEqual({ code: null, signal: 'SIGKILL' });
    const left = processState(appPid);

    const dev = await dataFast('npm-crash-up', port);
    const started = Date.now();
    const restarted = await startExpressExampleWithNpm('npm-crash-app-restarted', env);
    cleanup.push(() => restarted.stop());
    const startedInMs = Date.now() - started;
    await allStored(dev, ids);

    expect(dev.payments()).toHaveLength(200);
    expect(storedTwice(dev)).toEqual([]);
    expect(dev.stats().duplicates).toBe(0);
    console.log(
      `[reliability] npm run start SIGKILLed as a group: the app (pid ${appPid}) ${left} at the restart, ` +
        `which answered ${startedInMs} ms after \`npm run start\`; 200 of 200 stored once`,
    );
  });

  it('loses only the entry torn by a crash in the middle of its write, and starts cleanly', async () => {
    const dir = outboxDir();
    const port = await downPort('torn-down');
    const first = await example('torn-app', port, dir);
    const ids = await checkouts(first.url, 50, 5);
    await kill(first);

    // The crash hit while the last line was being written: half of it reached the disk.
    const newest = outboxFiles(dir).at(-1) as string;
    const text = readFileSync(newest, 'utf8');
    const lines = text.trimEnd().split('\n');
    const tornId = (JSON.parse(lines.at(-1) as string) as { entry: { id: string } }).entry.id;
    const lastLine = lines.at(-1) as string;
    truncateSync(newest, Buffer.byteLength(text) - 1 - Math.ceil(lastLine.length / 2));
    expect(outboxIds(dir).has(tornId)).toBe(false);

    const dev = await dataFast('torn-up', port);
    const restarted = await example('torn-app-restarted', port, dir);
    const kept = ids.filter((id) => id !== tornId);
    await allStored(dev, kept);

    expect(kept).toHaveLength(49);
    expect(storedIds(dev)).toEqual([...kept].sort());
    // Started and kept serving: no crash, no error about the outbox.
    expect((await fetch(`${restarted.url}/`)).status).toBe(200);
    expect(restarted.output()).not.toMatch(/error|outbox/i);
  });

  it('refuses a second process on the same outbox directory, naming the one that owns it', async () => {
    const dir = outboxDir();
    const port = await downPort('shared-down');
    const owner = await example('shared-owner', port, dir);

    const refused = await example('shared-second', port, dir).then(
      () => 'started',
      (error: Error) => error.message,
    );

    capture('shared-second', refused); // what it printed, for the secret scan
    expect(refused).toMatch(
      new RegExp(`exited before it answered[\\s\\S]*in use by process ${owner.process.pid}`),
    );
    // The owner is unharmed.
    expect((await fetch(`${owner.url}/`)).status).toBe(200);
  });

  it('counts a report once when the crash hit after DataFast stored it but before the outbox forgot it', async () => {
    const dir = outboxDir();
    const dev = await dataFast('mid-delivery');
    // Slow answers: the crash lands while deliveries are in flight.
    dev.setFaults({ latencyMs: { min: 50, max: 400 } });
    const first = await example('mid-delivery-app', dev.port, dir);
    const ids = await checkouts(first.url, 100);
    await dev.waitForPayment(() => true, { timeoutMs: 30_000 });
    await kill(first);
    const storedBeforeCrash = dev.payments().length;

    dev.setFaults({});
    await example('mid-delivery-app-restarted', dev.port, dir);
    await allStored(dev, ids);

    expect(dev.payments()).toHaveLength(100);
    expect(storedTwice(dev)).toEqual([]);
    console.log(
      `[reliability] crash mid-delivery: ${storedBeforeCrash} of 100 stored before SIGKILL, ` +
        `${dev.stats().duplicates} sent again after the restart and answered as duplicates, 100 stored once`,
    );
  });
});
