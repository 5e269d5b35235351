import { describe, expect, it } from 'vitest';
import { paidBefore } from '../src/renewals.js';

const charge = { subscription: 'sub_1', charge: 'ch_now', at: 2_000 };
const record = (id: string, overrides: Partial<Parameters<typeof paidBefore>[0][0]> = {}) => ({
  id,
  paid: true,
  minor: 1000n,
  at: 1_000,
  ...overrides,
});

describe('paidBefore (the renewal rule)', () => {
  it('finds an earlier paid charge above zero, even one made in the same second (a test clock)', () => {
    expect(paidBefore([record('ch_first')], charge)).toBe(true);
    expect(paidBefore([record('ch_first', { at: 2_000 })], charge)).toBe(true);
  });

  it('ignores this charge, later, unpaid and zero charges: the first paid charge after a trial is no renewal', () => {
    expect(
      paidBefore(
        [
          record('ch_now'),
          record('ch_later', { at: 3_000 }),
          record('ch_failed', { paid: false }),
          record('ch_trial', { minor: 0n }),
        ],
        charge,
      ),
    ).toBe(false);
  });
});
