/**
 * Every provider's amounts in its own minor units: each currency the provider lists (read from
 * its own SDK at test time, so a currency it adds fails here until its table has it) goes through
 * that provider's real mapping, and comes out in the major units its documented rule gives.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { currencyExponent, type PaymentInput } from '@datafast-checkout/core';
import {
  checkoutSession,
  creemCheckout,
  creemEvent,
  dodoPayment,
  lemonSqueezyOrder,
  paddleTransaction,
  polarOrder,
} from '@datafast-checkout/testing';
import { PresentmentCurrency } from '@polar-sh/sdk/models/components/presentmentcurrency.js';
import { ProductCurrency } from 'creem/models/components';
import { describe, expect, it } from 'vitest';
import { creemCurrencies } from '../src/creem/currencies.js';
import { mapCreemEvent } from '../src/creem/mapping.js';
import { dodoCurrencies } from '../src/dodo/currencies.js';
import { paymentFromDodoPayment } from '../src/dodo/mapping.js';
import { lemonSqueezyCurrencies } from '../src/lemonsqueezy/currencies.js';
import { paymentFromLemonSqueezyOrder } from '../src/lemonsqueezy/mapping.js';
import { paddleCurrencies } from '../src/paddle/currencies.js';
import { paymentFromPaddleTransaction } from '../src/paddle/mapping.js';
import { polarCurrencies } from '../src/polar/currencies.js';
import { paymentFromPolarOrder } from '../src/polar/mapping.js';
import { paymentFromCheckoutSession } from '../src/stripe/mapping.js';

type Json = Record<string, unknown>;
const minor = 123456;
const require = createRequire(import.meta.url);

/** The codes of a TypeScript union an SDK publishes (`type Currency = 'AED' | …;`). */
function sdkUnion(sdk: string, file: string, name: string): string[] {
  const source = readFileSync(join(packageRoot(sdk), file), 'utf8');
  const union = new RegExp(`type ${name} = ([^;]+);`).exec(source)?.[1];
  if (!union) throw new Error(`no type ${name} in ${file}`);
  return [...union.matchAll(/'([A-Z]{3})'|"([A-Z]{3})"/g)].map((m) => (m[1] ?? m[2]) as string);
}

/** The folder of an installed package, found from its entry point (its `exports` hide the rest). */
function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  while (dirname(dir) !== dir) {
    try {
      if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === name) return dir;
    } catch {}
    dir = dirname(dir);
  }
  throw new Error(`${name} is not installed`);
}

/** What `minor` minor units are in major units with `decimals` decimals. */
const major = (decimals: number) => minor / 10 ** decimals;

/** Each listed currency's amount through the provider's own mapping. */
function converted(codes: string[], map: (code: string) => PaymentInput | null | undefined) {
  return Object.fromEntries(codes.map((code) => [code, map(code)?.amount]));
}

describe('each provider’s own minor units', () => {
  it('Stripe: its zero- and three-decimal lists and its special cases (https://docs.stripe.com/currencies)', () => {
    const zeroDecimal = 'BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF VND VUV XAF XOF XPF'.split(' ');
    const threeDecimal = 'BHD JOD KWD OMR TND'.split(' ');
    // Zero-decimal in ISO 4217 (or in everyday use) but sent with two decimals to Stripe's API.
    const twoInTheApi = 'ISK UGX HUF TWD USD EUR'.split(' ');
    const listed = [...zeroDecimal, ...threeDecimal, ...twoInTheApi];
    const actual = converted(
      listed,
      (code) =>
        paymentFromCheckoutSession(
          checkoutSession({ amount_total: minor, currency: code.toLowerCase() }),
        )?.payment,
    );
    expect(actual).toEqual(
      Object.fromEntries(
        listed.map((c) => [
          c,
          major(zeroDecimal.includes(c) ? 0 : threeDecimal.includes(c) ? 3 : 2),
        ]),
      ),
    );
  });

  it('Polar: Stripe’s convention for every currency Polar lists (ISK and UGX times 100, MGA none)', () => {
    // Polar's `_ZERO_DECIMAL_CURRENCIES` (server/polar/kit/currency.py); every other one has two.
    const zeroDecimal = 'BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF VND VUV XAF XOF XPF'.split(' ');
    const listed = Object.values(PresentmentCurrency).map((code) => code.toUpperCase());
    expect(listed.length).toBeGreaterThan(100);
    const expected = Object.fromEntries(
      listed.map((code) => [code, major(zeroDecimal.includes(code) ? 0 : 2)]),
    );
    const actual = converted(
      listed,
      (code) =>
        paymentFromPolarOrder(polarOrder({ currency: code.toLowerCase(), total_amount: minor }))
          ?.payment,
    );
    expect(actual).toEqual(expected);
    expect([actual.ISK, actual.UGX, actual.MGA]).toEqual([1234.56, 1234.56, 123456]);
    expect(Object.keys(polarCurrencies).sort()).toEqual([...listed].sort());
  });

  it('Paddle: the lowest denomination of every currency Paddle lists (JPY, KRW, CLP, VND whole)', () => {
    const listed = sdkUnion(
      '@paddle/paddle-node-sdk',
      'dist/types/enums/shared/currency-code.d.ts',
      'CurrencyCode',
    );
    const zeroDecimal = ['JPY', 'KRW', 'CLP', 'VND'];
    const actual = converted(
      listed,
      (code) =>
        paymentFromPaddleTransaction(
          paddleTransaction({}, { currency: code, subtotal: String(minor), tax: '0' }),
        )?.payment,
    );
    expect(actual).toEqual(
      Object.fromEntries(listed.map((c) => [c, major(zeroDecimal.includes(c) ? 0 : 2)])),
    );
    expect(Object.keys(paddleCurrencies).sort()).toEqual([...listed].sort());
  });

  it('Dodo Payments: ISO 4217’s minor unit for every currency Dodo lists (JPY none, KWD three)', () => {
    const listed = sdkUnion('dodopayments', 'resources/misc.d.ts', 'Currency');
    const actual = converted(
      listed,
      (code) =>
        paymentFromDodoPayment(dodoPayment({ currency: code, total_amount: minor }))?.payment,
    );
    expect(actual).toEqual(
      Object.fromEntries(listed.map((c) => [c, major(currencyExponent(c, 'iso4217'))])),
    );
    expect([actual.JPY, actual.KWD, actual.UGX, actual.MGA]).toEqual([
      123456, 123.456, 123456, 1234.56,
    ]);
    expect(Object.keys(dodoCurrencies).sort()).toEqual([...listed].sort());
  });

  it('LemonSqueezy: ISO 4217’s minor unit for every currency its SDK types an order with', () => {
    // Precious metals and test codes have no minor unit and are never an order's currency.
    const noMinorUnit = 'XAG XAU XBA XBB XBC XBD XDR XFU XPD XPT XSU XTS XUA XXX'.split(' ');
    const listed = sdkUnion(
      '@lemonsqueezy/lemonsqueezy.js',
      'dist/index.d.ts',
      'ISO4217CurrencyCode',
    ).filter((code) => !noMinorUnit.includes(code));
    const actual = converted(listed, (code) =>
      paymentFromLemonSqueezyOrder('1', lemonSqueezyAttributes(code)),
    );
    expect(actual).toEqual(
      Object.fromEntries(listed.map((c) => [c, major(currencyExponent(c, 'iso4217'))])),
    );
    expect([actual.ISK, actual.CLF, actual.BHD]).toEqual([123456, 12.3456, 123.456]);
    expect(Object.keys(lemonSqueezyCurrencies).sort()).toEqual([...listed].sort());
  });

  it('Creem: cents for both currencies Creem lists', async () => {
    const listed = Object.values(ProductCurrency) as string[];
    const actual = converted(listed, (code) => {
      const checkout = creemCheckout({}, { order: { currency: code, amount_paid: minor } });
      const mapping = mapCreemEvent(creemEvent('checkout.completed', checkout));
      return 'reports' in mapping ? mapping.reports[0]?.payment : undefined;
    });
    expect(actual).toEqual({ EUR: 1234.56, USD: 1234.56 });
    expect(Object.keys(creemCurrencies).sort()).toEqual([...listed].sort());
  });
});

function lemonSqueezyAttributes(currency: string): Json {
  const order = lemonSqueezyOrder({ currency, total: minor, subtotal: minor, tax: 0 });
  return (order as { attributes: Json }).attributes;
}
