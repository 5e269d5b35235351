import type { DevServer } from '@datafast-checkout/devserver';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDataFast } from './support/devserver.js';
import { startFixture } from './support/processes.js';
import { secrets } from './support/secrets.js';

// fixtures/serverless-platform.mjs freezes the function (ends the process) once every promise
// handed to waitUntil has settled. The first 10 requests DataFast sees are rate limited with
// Retry-After: 1 s, so those reports need a retry a second after the function answered: only
// a delivery the platform knows about survives the freeze.
const invocations = 40;
const rateLimited = 10;

let dev: DevServer;
beforeAll(async () => {
  dev = await startDataFast('serverless');
});
afterAll(() => dev?.close());
beforeEach(() => {
  dev.reset();
  dev.setFaults({
    failNext: { count: rateLimited, mode: 'rate-limit' },
    retryAfter: '1',
    latencyMs: { min: 10, max: 100 },
  });
});

async function runPlatform(waitUntil: 'context' | 'vercel' | 'none') {
  const platform = startFixture('serverless-platform.mjs', {
    DATAFAST_API_KEY: secrets.apiKey,
    DATAFAST_BASE_URL: dev.url,
    PLATFORM_WAIT_UNTIL: waitUntil,
    INVOCATIONS: String(invocations),
  });
  expect(await platform.exited).toEqual({ code: 0, signal: null });
  const summary = JSON.parse(platform.output().trim().split('\n').at(-1) ?? '{}') as {
    answered: number;
    handedOver: number;
    pending: number;
  };
  return { ...summary, stored: dev.payments().map((p) => p.transaction_id) };
}

describe('a serverless function frozen right after its response', () => {
  it.each([
    ['handed to the waitUntil the platform passes the function', 'context'],
    ["handed to Vercel's request context, found by core itself", 'vercel'],
  ] as const)('delivers every report %s', async (_, waitUntil) => {
    const run = await runPlatform(waitUntil);

    expect(run.answered).toBe(invocations);
    expect(run.handedOver).toBe(invocations);
    expect(run.pending).toBe(0);
    expect(run.stored).toHaveLength(invocations);
    expect(dev.requests().filter((r) => r.fault === 'rate-limit')).toHaveLength(rateLimited);
  });

  it('loses the reports that needed a retry when nothing is handed to the platform (the control)', async () => {
    const run = await runPlatform('none');

    expect(run.answered).toBe(invocations);
    expect(run.handedOver).toBe(0);
    // The rate-limited reports were still waiting for their retry when the function froze.
    expect(run.stored.length).toBeLessThanOrEqual(invocations - rateLimited);
    console.log(
      `[reliability] serverless: with waitUntil ${invocations}/${invocations} delivered; without it ${run.stored.length}/${invocations} survived the freeze`,
    );
  });
});
