import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevServer } from '@datafast-checkout/devserver';
import type { RunningApp } from '@datafast-checkout/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkouts, outboxIds } from './support/checkout.js';
import { startDataFast, storedIds, storedTwice } from './support/devserver.js';
import { exitOf, startExpressExample } from './support/processes.js';
import { secrets } from './support/secrets.js';

// A deploy: SIGTERM to the Express example (with DATAFAST_OUTBOX_DIR) while reports are in
// flight. flushOnShutdown waits up to 5 s (its default bound): what is delivered by then is
// done; what is not stays in the outbox, and the next process delivers it.
const flushBoundMs = 5_000;

let dev: DevServer;
const dirs: string[] = [];
beforeAll(async () => {
  dev = await startDataFast('deploy');
});
afterAll(async () => {
  await dev?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => dev.reset());

async function start(source: string, dir: string): Promise<RunningApp> {
  return startExpressExample(source, {
    DATAFAST_API_KEY: secrets.apiKey,
    DATAFAST_BASE_URL: dev.url,
    DATAFAST_OUTBOX_DIR: dir,
  });
}

function outboxDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'datafast-reliability-deploy-'));
  dirs.push(dir);
  return dir;
}

/** Sends SIGTERM and resolves how the process ended and how long it took. */
async function terminate(app: RunningApp) {
  const started = Date.now();
  app.process.kill('SIGTERM');
  // Far past the bound: a process that hangs on shutdown fails here, not in a SIGKILL.
  const exit = await exitOf(app.process, 4 * flushBoundMs);
  return { exit, ms: Date.now() - started };
}

describe('a deploy (SIGTERM) with reports in flight', () => {
  it('delivers them within the flush bound when DataFast answers, slowly', async () => {
    // 24 reports, 8 at a time, 0.2 to 0.6 s each: about 1.5 s of work, well within the bound.
    dev.setFaults({ latencyMs: { min: 200, max: 600 } });
    const dir = outboxDir();
    const app = await start('deploy-slow', dir);
    const ids = await checkouts(app.url, 24);
    expect(dev.payments().length).toBeLessThan(24);

    const { exit, ms } = await terminate(app);

    // It ended by the signal, re-raised after the flush (not by a SIGKILL, not by a crash).
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(ms).toBeLessThan(4 * flushBoundMs);
    expect(storedIds(dev)).toEqual([...ids].sort());
    expect(storedTwice(dev)).toEqual([]);
    // Nothing is left for the next process.
    expect(outboxIds(dir).size).toBe(0);
    console.log(
      `[reliability] deploy, slow DataFast: 24 reports in flight at SIGTERM, all delivered; exit ${ms} ms after the signal`,
    );
  });

  it('keeps them in the outbox when DataFast does not answer, and the next process delivers them', async () => {
    dev.setFaults({ failNext: { count: 1_000_000, mode: 'hang' } });
    const dir = outboxDir();
    const app = await start('deploy-hang', dir);
    const ids = await checkouts(app.url, 60);

    const { exit, ms } = await terminate(app);

    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(ms).toBeGreaterThanOrEqual(flushBoundMs - 100);
    expect(dev.payments()).toEqual([]);
    expect(outboxIds(dir)).toEqual(new Set(ids));
    // Kept, not given up: nothing was reported lost.
    expect(app.output()).not.toMatch(/not reported|shutdown_timeout|gave up/);

    dev.setFaults({});
    const next = await start('deploy-hang-next', dir);
    await Promise.all(ids.map((id) => dev.waitForPayment(id, { timeoutMs: 30_000 })));
    expect(dev.payments()).toHaveLength(60);
    expect(storedTwice(dev)).toEqual([]);
    await next.stop();
    console.log(
      `[reliability] deploy, DataFast hanging: 60 reports kept in the outbox at SIGTERM (exit ${ms} ms after the signal), all delivered by the next process`,
    );
  });
});
