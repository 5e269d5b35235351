import type { DevServer } from '@datafast-checkout/devserver';
import { afterAll, describe, expect, it } from 'vitest';
import { startDataFast, storedTwice } from './support/devserver.js';
import { type Fixture, startFixture } from './support/processes.js';
import { secrets } from './support/secrets.js';

// A 10-minute outage at 10 payments a second (the figure).
const pendingDuringOutage = 6_000;
const warmUp = 10;
// README: "about 2 KB of heap per pending report". The bound leaves room for GC noise and
// Node versions, and still catches a report held twice or a body kept per attempt.
const maxBytesPerPending = 8 * 1024;

let dev: DevServer | undefined;
let client: Fixture | undefined;
afterAll(async () => {
  client?.child.kill('SIGKILL');
  await dev?.close();
});

type Outage = {
  base: number;
  held: number;
  whileDown: number[];
  firstRoundMs: number;
  pending: number;
  attempts: number;
};
type Flush = {
  flushed: { settled: boolean; pending: number };
  lost: unknown[];
  ms: number;
};

describe('DataFast stopped for a while, then restarted on the same port', () => {
  it('delivers every report held in memory meanwhile, in bounded heap', async () => {
    dev = await startDataFast('outage');
    const port = dev.port;
    client = startFixture(
      'outage-client.mjs',
      { DATAFAST_API_KEY: secrets.apiKey, DATAFAST_BASE_URL: dev.url },
      ['--expose-gc'],
    );
    await client.next('ready');
    client.send({ type: 'warmUp', count: warmUp });
    expect(await client.next('warmUp')).toMatchObject({ flushed: { settled: true } });

    await dev.close();
    dev = undefined;
    client.send({ type: 'outage', count: pendingDuringOutage, probes: 3 });
    const outage = await client.next<Outage>('outage');

    dev = await startDataFast('outage-restarted', { port });
    client.send({ type: 'flush' });
    const flush = await client.next<Flush>('flush');

    expect(flush.flushed).toEqual({ settled: true, pending: 0 });
    expect(flush.lost).toEqual([]);
    expect(outage.pending).toBe(pendingDuringOutage);
    // The restarted devserver holds every report made while it was down, once each.
    expect(dev.payments()).toHaveLength(pendingDuringOutage);
    expect(storedTwice(dev)).toEqual([]);

    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    const perPending = (outage.held - outage.base) / pendingDuringOutage;
    const last = outage.whileDown.at(-1) ?? Number.NaN;
    console.log(
      `[reliability] outage: ${pendingDuringOutage} reports pending while DataFast was down: ` +
        `${Math.round(perPending)} bytes of heap per pending report (${mib(outage.held - outage.base)}); ` +
        `heap above the start after each round of probes: ${outage.whileDown.map((heap) => mib(heap - outage.base)).join(', ')}; ` +
        `first attempts took ${outage.firstRoundMs} ms, delivery after the restart ${flush.ms} ms`,
    );
    expect(perPending).toBeGreaterThan(0);
    expect(perPending).toBeLessThan(maxBytesPerPending);
    // Waiting and retrying while DataFast stays down accumulates nothing per attempt.
    expect(last - outage.held).toBeLessThan(0.5 * (outage.held - outage.base));
  });
});
