import { describe, expect, it } from 'vitest';
import { bindLazily, createDatafast } from '../src/index.js';

// enabled: false validates and settles payments without sending: only the binding is under test.
const client = createDatafast({ apiKey: 'df_test_lazy', enabled: false });
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';

describe('bindLazily', () => {
  it('binds on first use only, once, and forwards to what it bound', async () => {
    let binds = 0;
    const bound = bindLazily(() => {
      binds += 1;
      return client.forVisitor(visitor);
    });
    expect(binds).toBe(0);
    expect(bound.visitorId).toBe(visitor);
    bound.track({ amount: 1, currency: 'USD', transaction_id: 'lazy_1' });
    await expect(
      bound.payments.create({ amount: 1, currency: 'USD', transaction_id: 'lazy_2' }),
    ).resolves.toBeDefined();
    expect(await bound.flush(1_000)).toEqual({ settled: true, pending: 0 });
    expect(binds).toBe(1);
  });

  it('keeps its methods usable detached, as a forRequest client does', async () => {
    const { track, flush } = bindLazily(() => client.forVisitor(visitor));
    expect(() => track({ amount: 1, currency: 'USD', transaction_id: 'lazy_3' })).not.toThrow();
    expect(await flush(1_000)).toEqual({ settled: true, pending: 0 });
  });
});
