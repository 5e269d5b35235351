import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { del, post } from './helpers.js';

/** The record counts of stats(), counted again from the stored payments. */
function recount(dev: DevServer) {
  const payments = dev.payments();
  return {
    payments: payments.length,
    refunds: payments.filter((p) => p.refunded).length,
    renewals: payments.filter((p) => p.renewal).length,
    trials: payments.filter((p) => p.is_free_trial).length,
  };
}

const counts = (dev: DevServer) => {
  const { payments, refunds, renewals, trials } = dev.stats();
  return { payments, refunds, renewals, trials };
};

describe('stats() record counters', () => {
  it('stay equal to a recount through inserts, duplicates, deletes, restores, reset and a reload', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'devserver-stats-'));
    const dataFile = join(dir, 'data.json');
    const dev = await startDevServer({ dataFile, apiKey: 'df_stats_key' });
    const check = (expected: ReturnType<typeof recount>) => {
      expect(counts(dev)).toEqual(recount(dev));
      expect(counts(dev)).toEqual(expected);
    };
    try {
      await post(dev, { transaction_id: 'paid' });
      await post(dev, { transaction_id: 'renewed', renewal: true });
      await post(dev, { transaction_id: 'refund', refunded: true });
      await post(dev, { transaction_id: 'trial', amount: 0 });
      await post(dev, { transaction_id: 'paid_trial', amount: 5, is_free_trial: true });
      check({ payments: 5, refunds: 1, renewals: 1, trials: 2 });

      await post(dev, { transaction_id: 'trial', amount: 0 });
      await post(dev, { transaction_id: 'renewed', renewal: true });
      check({ payments: 5, refunds: 1, renewals: 1, trials: 2 });
      expect(dev.stats().duplicates).toBe(2);

      await del(dev, { transaction_id: 'renewed' });
      check({ payments: 4, refunds: 1, renewals: 0, trials: 2 });

      // A delete that can not be saved is rolled back: the counters come back with the records.
      await rm(dataFile);
      await mkdir(dataFile);
      expect((await del(dev, { transaction_id: 'trial' })).status).toBe(500);
      check({ payments: 4, refunds: 1, renewals: 0, trials: 2 });
      // A payment that can not be saved is rolled back too.
      expect((await post(dev, { transaction_id: 'unsaved', refunded: true })).status).toBe(500);
      check({ payments: 4, refunds: 1, renewals: 0, trials: 2 });
      await rm(dataFile, { recursive: true });

      await post(dev, { transaction_id: 'after', renewal: true });
      check({ payments: 5, refunds: 1, renewals: 1, trials: 2 });
      await dev.close();

      const reloaded = await startDevServer({ dataFile, apiKey: 'df_stats_key' });
      try {
        expect(counts(reloaded)).toEqual({ payments: 5, refunds: 1, renewals: 1, trials: 2 });
        expect(counts(reloaded)).toEqual(recount(reloaded));
        await reloaded.reset();
        expect(counts(reloaded)).toEqual({ payments: 0, refunds: 0, renewals: 0, trials: 0 });
        await post(reloaded, { transaction_id: 'fresh', amount: 0 });
        expect(counts(reloaded)).toEqual({ payments: 1, refunds: 0, renewals: 0, trials: 1 });
      } finally {
        await reloaded.close();
      }
    } finally {
      await dev.close();
    }
  });
});
