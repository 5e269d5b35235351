import {
  createDatafast,
  currencyExponent,
  type DatafastError,
  DatafastValidationError,
  getVisitorId,
  type PaymentInput,
  toMajorUnits,
} from '@datafast-checkout/core';
import type { DevServer } from '@datafast-checkout/devserver';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from './support/capture.js';
import { startDataFast } from './support/devserver.js';
import { secrets } from './support/secrets.js';

let dev: DevServer;
beforeAll(async () => {
  dev = await startDataFast('hostile-input');
});
afterAll(() => dev?.close());

const uuid = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Values a field may meet in the wild: right, nearly right, and hostile.
const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }), // lone surrogates included
  fc.constantFrom('', ' ', '\r\n', 'a\r\nSet-Cookie: x=1', '<script>alert(1)</script>', '\u0000'),
  fc.string({ minLength: 300, maxLength: 3_000 }),
);
const anyValue = fc.oneof(
  hostileString,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constantFrom(null, undefined, Number.NaN, Number.POSITIVE_INFINITY, -0, 1e308, -1),
  fc.date({ noInvalidDate: false }),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);
const isoTimestamp = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.constantFrom(
      '',
      'T12:00:00Z',
      'T23:59:59.999+14:00',
      'T00:00:00-12:00',
      'T00:30:00+01:00',
      'T12:00',
      ' 01:02:03Z',
    ),
  )
  .map(
    ([y, m, d, rest]) =>
      `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}${rest}`,
  );
// A payment as an integration builds it: the required fields, some optional ones, all valid.
const validFields = {
  amount: fc.oneof(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.constant(0)),
  currency: fc.constantFrom('USD', 'eur', ' jpy ', 'KWD'),
  transaction_id: fc.string({ minLength: 1, maxLength: 40 }).filter((id) => id.trim() !== ''),
  datafast_visitor_id: fc.oneof(fc.uuid(), fc.constant(uuid.toUpperCase())),
  email: fc.emailAddress(),
  name: fc.string(),
  customer_id: fc.string(),
  renewal: fc.boolean(),
  refunded: fc.boolean(),
  is_free_trial: fc.boolean(),
  timestamp: fc.oneof(isoTimestamp, fc.date({ noInvalidDate: true })),
};
const validPayment = fc.record(validFields, {
  requiredKeys: ['amount', 'currency', 'transaction_id'],
});
const fieldNames = [...Object.keys(validFields), 'customer_email', 'customer_name'];
// Then up to two things go wrong: a field gets a hostile value, goes missing, or is misnamed.
const mutation = fc.tuple(
  fc.oneof(
    fc.constantFrom(...fieldNames),
    fc.constantFrom('transactionId', 'visitor_id'),
    fc.string(),
  ),
  fc.option(anyValue, { nil: undefined }),
);
const input = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .tuple(validPayment, fc.array(mutation, { maxLength: 2 }))
      .map(([payment, mutations]) => {
        const mutated: Record<string, unknown> = { ...payment };
        for (const [key, value] of mutations) {
          if (value === undefined) delete mutated[key];
          else mutated[key] = value;
        }
        return mutated;
      }),
  },
  { weight: 1, arbitrary: anyValue },
);

describe('payload validation (fast-check, against the devserver)', () => {
  it('either stores the payment or refuses it with a DatafastValidationError before the network', async () => {
    const datafast = createDatafast({
      apiKey: secrets.apiKey,
      baseUrl: dev.url,
      maxRetries: 0,
      logger: capturingLogger('hostile-create'),
    });
    let stored = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(input, async (payment) => {
        const before = dev.requests().length;
        try {
          const result = await datafast.payments.create(payment as unknown as PaymentInput);
          stored += 1;
          // Sent, accepted (a 200, maybe a duplicate of an earlier run) and on record.
          expect(dev.requests().at(-1)?.status).toBe(200);
          expect(dev.payments().some((p) => p.transaction_id === result.transaction_id)).toBe(true);
        } catch (error) {
          // Refused here, naming a field, and nothing went out: never a 400 from the API.
          expect(error).toBeInstanceOf(DatafastValidationError);
          expect((error as DatafastValidationError).field).toEqual(expect.any(String));
          expect(dev.requests().length).toBe(before);
          refused += 1;
        }
      }),
      { numRuns: 600 },
    );
    console.log(
      `[reliability] payload property: ${stored} stored, ${refused} refused before the network, 0 invalid payloads sent`,
    );
    // Both outcomes were exercised (about 1 in 8 inputs is valid).
    expect(stored).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it('track never throws, and only a DatafastValidationError reaches onError', async () => {
    const errors: DatafastError[] = [];
    const datafast = createDatafast({
      apiKey: secrets.apiKey,
      baseUrl: dev.url,
      maxRetries: 0,
      logger: capturingLogger('hostile-track'),
      onError: (error) => errors.push(error),
    });
    const before = dev.requests().length;
    fc.assert(
      fc.property(input, (payment) => {
        expect(datafast.track(payment as unknown as PaymentInput)).toBeUndefined();
      }),
      { numRuns: 600 },
    );
    expect(await datafast.flush(30_000)).toMatchObject({ settled: true });
    expect(errors.filter((error) => !(error instanceof DatafastValidationError))).toEqual([]);
    expect(
      dev
        .requests()
        .slice(before)
        .filter((r) => r.status !== 200),
    ).toEqual([]);
  });
});

describe('visitor-id extraction (fast-check)', () => {
  const cookieSource = fc.oneof(
    hostileString,
    fc
      .tuple(
        fc.array(
          fc.tuple(
            fc.oneof(fc.constant('datafast_visitor_id'), fc.string()),
            fc.oneof(fc.uuid(), hostileString),
          ),
        ),
        fc.constantFrom(';', '; ', ';;', ',', ' ; '),
      )
      .map(([pairs, separator]) => pairs.map(([k, v]) => `${k}=${v}`).join(separator)),
    fc.anything(),
  );

  it('never throws, and returns a lower-case UUID or undefined, from any source', () => {
    fc.assert(
      fc.property(cookieSource, (raw) => {
        for (const source of [
          raw,
          { headers: { cookie: raw } },
          { headers: { cookie: [raw, raw] } },
          { cookies: { datafast_visitor_id: raw }, headers: {} },
        ]) {
          const id = getVisitorId(source as Parameters<typeof getVisitorId>[0]);
          if (id !== undefined) expect(id).toMatch(uuidPattern);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('finds the visitor in any position among other cookies', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.stringMatching(/^[a-z_]{1,12}$/), fc.stringMatching(/^[\w%"-]{0,20}$/)),
        ),
        fc.nat(),
        fc.uuid(),
        (others, at, visitor) => {
          const pairs = others
            .filter(([name]) => name !== 'datafast_visitor_id')
            .map(([k, v]) => `${k}=${v}`);
          pairs.splice(at % (pairs.length + 1), 0, `datafast_visitor_id=${visitor.toUpperCase()}`);
          expect(getVisitorId(new Headers({ cookie: pairs.join('; ') }))).toBe(
            visitor.toLowerCase(),
          );
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('returns on 1 MB adversarial Cookie headers (time ratio 1 MB / 256 KB printed, not asserted)', () => {
    // Each pattern, and whether a visitor appended after it is found: the first
    // datafast_visitor_id cookie wins, so a pattern that holds one itself yields none.
    const patterns: Record<string, [make: (size: number) => string, findsAppended: boolean]> = {
      semicolons: [(n) => ';'.repeat(n), true],
      'equals signs': [(n) => '='.repeat(n), true],
      'name without value': [(n) => 'datafast_visitor_id'.repeat(n / 19), true],
      'tiny pairs': [(n) => 'a=b;'.repeat(n / 4), true],
      spaces: [(n) => ' '.repeat(n), true],
      'percent escapes': [(n) => `datafast_visitor_id=${'%41'.repeat(n / 3)}`, false],
      'broken percent escapes': [(n) => `datafast_visitor_id=${'%E0%A4%A'.repeat(n / 8)}`, false],
      quotes: [(n) => `datafast_visitor_id="${'"'.repeat(n)}`, false],
    };
    const time = (header: string) => {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        getVisitorId(header);
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    const ratios: string[] = [];
    for (const [name, [make, findsAppended]] of Object.entries(patterns)) {
      const small = make(256 * 1024);
      const large = make(1024 * 1024);
      expect(getVisitorId(`${large}; datafast_visitor_id=${uuid}`), name).toBe(
        findsAppended ? uuid : undefined,
      );
      const ratio = time(large) / Math.max(time(small), 0.001);
      ratios.push(`${name} ${ratio.toFixed(1)}x (${time(large).toFixed(1)} ms)`);
    }
    console.log(
      `[reliability] getVisitorId on 1 MB vs 256 KB headers (linear is about 4x): ${ratios.join(', ')}`,
    );
  });
});

describe('money conversion (fast-check)', () => {
  const currencies = [
    ...new Set([...Intl.supportedValuesOf('currency'), 'ISK', 'UGX', 'MGA', 'CLF', 'UYW']),
  ];

  /** The exact decimal `minor / 10^exponent` as a string, computed with BigInt. */
  function exactDecimal(minor: bigint, exponent: number): string {
    const negative = minor < 0n;
    const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
    const whole = digits.slice(0, digits.length - exponent);
    const fraction = exponent ? digits.slice(-exponent).replace(/0+$/, '') : '';
    const text = fraction ? `${whole}.${fraction}` : whole;
    return negative && text !== '0' ? `-${text}` : text;
  }

  it('is exact for every currency the runtime knows, in both conventions', () => {
    expect(currencies.length).toBeGreaterThan(150);
    for (const convention of ['stripe', 'iso4217'] as const) {
      for (const currency of currencies) {
        const exponent = currencyExponent(currency, convention);
        expect([0, 2, 3, 4], currency).toContain(exponent);
        fc.assert(
          fc.property(
            fc.oneof(
              fc.integer({ min: -1e15 + 1, max: 1e15 - 1 }),
              fc.constantFrom(0, 1, 5, 99, 100, 2999),
            ),
            (minor) => {
              const major = toMajorUnits(minor, currency.toLowerCase(), { convention });
              // Up to 15 significant digits a double prints back as the decimal it holds: the
              // conversion is exact when it prints as the exact quotient.
              expect(String(major)).toBe(exactDecimal(BigInt(minor), exponent));
            },
          ),
          { numRuns: 40 },
        );
      }
    }
  });

  it('differs between the conventions only where Stripe documents a special case', () => {
    const differ = currencies.filter(
      (c) => currencyExponent(c, 'stripe') !== currencyExponent(c, 'iso4217'),
    );
    expect(differ.sort()).toEqual(['ISK', 'MGA', 'UGX']);
  });
});
