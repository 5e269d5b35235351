import { describe, expect, it } from 'vitest';
import { currencyExponent, DatafastValidationError, toMajorUnits } from '../src/index.js';

describe('toMajorUnits', () => {
  it.each([
    [2999, 'usd', 29.99],
    [2999, 'USD', 29.99],
    [100, 'EUR', 1],
    [1, 'GBP', 0.01],
    [0, 'USD', 0],
    [500, 'JPY', 500],
    [1000, 'KRW', 1000],
    [1234, 'KWD', 1.234],
    [5, 'BHD', 0.005],
    [10000, 'ISK', 100], // Stripe: two decimals for ISK
    [5000, 'HUF', 50],
    [5000, 'TWD', 50],
    [70000, 'UGX', 700], // Stripe: UGX amounts are sent times 100, like ISK
    [700, 'MGA', 700], // Stripe: zero-decimal MGA
    [-2999, 'USD', -29.99],
  ])('converts %i %s to %d', (minor, currency, major) => {
    expect(toMajorUnits(minor, currency)).toBe(major);
  });

  it('uses the ISO 4217 exponent where Stripe differs, when asked', () => {
    expect(toMajorUnits(100, 'ISK', { convention: 'iso4217' })).toBe(100);
    expect(toMajorUnits(700, 'UGX', { convention: 'iso4217' })).toBe(700);
    expect(toMajorUnits(700, 'MGA', { convention: 'iso4217' })).toBe(7);
    expect(toMajorUnits(1000, 'IQD', { convention: 'iso4217' })).toBe(1);
    expect(toMajorUnits(12345, 'CLF', { convention: 'iso4217' })).toBe(1.2345);
  });

  it('uses a provider’s own table, and ISO 4217 for codes it does not list', () => {
    const polarLike = { ISK: 2, UGX: 2, MGA: 0 };
    expect(toMajorUnits(10000, 'isk', { convention: polarLike })).toBe(100);
    expect(toMajorUnits(70000, 'UGX', { convention: polarLike })).toBe(700);
    expect(toMajorUnits(700, 'MGA', { convention: polarLike })).toBe(700);
    expect(toMajorUnits(1234, 'KWD', { convention: polarLike })).toBe(1.234);
    expect(toMajorUnits(500, 'JPY', { convention: polarLike })).toBe(500);
    expect(currencyExponent('CLF', polarLike)).toBe(4);
  });

  it('refuses a table whose exponent is not a whole number of decimals, naming the currency', () => {
    expect(() => toMajorUnits(100, 'USD', { convention: { USD: 1.5 } })).toThrow(
      /table gives USD 1\.5 decimals/,
    );
  });

  // Not a claim that division drifts: integer / 10^e is correctly rounded in IEEE 754, and the
  // two agree on every amount checked here. The test pins the exact decimal for every cent value
  // and for the edges (large amounts, three decimals), whichever way the conversion is written.
  // Two million conversions: CPU-bound, so a loaded machine needs more than the default timeout.
  it('gives the exact decimal for every cent amount and at the edges', { timeout: 120_000 }, () => {
    for (let cents = 0; cents <= 2_000_000; cents++) {
      const expected =
        `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`.replace(
          /\.?0+$/,
          '',
        ) || '0';
      const printed = String(toMajorUnits(cents, 'USD'));
      if (printed !== expected)
        throw new Error(`${cents} cents printed as ${printed}, expected ${expected}`);
    }
    expect(toMajorUnits(1_000_000_000_07, 'USD')).toBe(1000000000.07);
    expect(String(toMajorUnits(1_005, 'KWD'))).toBe('1.005');
  });

  it('accepts bigint minor units', () => {
    expect(toMajorUnits(2999n, 'USD')).toBe(29.99);
  });

  it.each([
    [29.99, 'USD', 'amount'],
    [Number.NaN, 'USD', 'amount'],
    [2 ** 60, 'USD', 'amount'],
    [100, 'US', 'currency'],
    [100, 'dollars', 'currency'],
  ])('refuses %s %s with a DatafastValidationError on %s', (amount, currency, field) => {
    const error = (() => {
      try {
        toMajorUnits(amount, currency);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DatafastValidationError);
    expect((error as DatafastValidationError).field).toBe(field);
  });
});

describe('currencyExponent', () => {
  it('knows the zero-, two- and three-decimal currencies', () => {
    expect(['JPY', 'KRW', 'VND', 'CLP', 'XOF'].map((c) => currencyExponent(c))).toEqual([
      0, 0, 0, 0, 0,
    ]);
    expect(['USD', 'EUR', 'GBP', 'CHF', 'BRL'].map((c) => currencyExponent(c))).toEqual([
      2, 2, 2, 2, 2,
    ]);
    expect(['KWD', 'BHD', 'JOD', 'OMR', 'TND'].map((c) => currencyExponent(c))).toEqual([
      3, 3, 3, 3, 3,
    ]);
  });
});
