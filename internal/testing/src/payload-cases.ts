// One table of inputs that core and the devserver are both tested against
// (packages/core/test/conformance.test.ts, packages/devserver/test/conformance.test.ts). The two
// implement the API pages independently (the devserver shares no code with core, so it stays an
// oracle); the table is where their rules meet. Where they deliberately differ, the case says so
// and why, in one line.

/** A payment field as the devserver stores it; `undefined` means the record has no such field. */
export type StoredFields = Partial<
  Record<
    | 'amount'
    | 'currency'
    | 'transaction_id'
    | 'datafast_visitor_id'
    | 'email'
    | 'name'
    | 'customer_id'
    | 'renewal'
    | 'refunded'
    | 'is_free_trial'
    | 'timestamp',
    unknown
  >
>;

/**
 * What one side does with a payment. `stores`: the fields of the record that ends up stored (for
 * core: after `payments.create` sends it to the devserver); `warns`: core logs a warning (it
 * dropped a visitor id). `refuses`: the field its error names (core's `DatafastValidationError`
 * `.field`, a word of the devserver's 400 message).
 */
export type PaymentOutcome = { stores: StoredFields; warns?: true } | { refuses: string };

/** One input, and what core and the devserver each do with it. */
export interface Case<Input, Outcome> {
  name: string;
  input: Input;
  core: Outcome;
  devserver: Outcome;
  /** Why core and the devserver differ: given exactly when they do. */
  differs?: string;
}

/** A payment: its input is laid over {@link BASE_PAYMENT} (`undefined` leaves a field out). */
export type PaymentCase = Case<Record<string, unknown>, PaymentOutcome>;

/** What a delete does: the seeded transactions it removes, or the field its error names. */
export type DeleteOutcome = { deletes: string[] } | { refuses: string };

/** A delete: its input is core's filter and the devserver's query, the same names and values. */
export type DeleteCase = Case<Record<string, string>, DeleteOutcome>;

/** The valid payment every case starts from. */
export const BASE_PAYMENT = { amount: 29.99, currency: 'USD', transaction_id: 'txn_case' };

/** The visitor of the cases: a lower-case UUID v4, as DataFast's tracker sets it. */
export const CASE_VISITOR = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const OTHER_VISITOR = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** Stored before each delete case, in this order. */
export const DELETE_SEED = [
  { transaction_id: 'may01', datafast_visitor_id: CASE_VISITOR, timestamp: '2026-05-01T10:00:00Z' },
  {
    transaction_id: 'may05',
    datafast_visitor_id: OTHER_VISITOR,
    timestamp: '2026-05-05T10:00:00Z',
  },
  { transaction_id: 'may10', datafast_visitor_id: CASE_VISITOR, timestamp: '2026-05-10T10:00:00Z' },
];

const V = CASE_VISITOR;
const stores = (fields: StoredFields): PaymentOutcome => ({ stores: fields });
const refuses = (field: string): { refuses: string } => ({ refuses: field });
const deletes = (...ids: string[]): DeleteOutcome => ({ deletes: ids });
/** Core's answer to a visitor id that is not a UUID: sent without it, with a warning. */
const droppedWithAWarning = (): PaymentOutcome => ({
  stores: { datafast_visitor_id: undefined },
  warns: true,
});
/** A case both sides treat alike. */
function same<I, O>(name: string, input: I, outcome: O): Case<I, O> {
  return { name, input, core: outcome, devserver: outcome };
}
/** A case core and the devserver treat differently, and why. */
function differ<I, O>(name: string, input: I, core: O, devserver: O, differs: string): Case<I, O> {
  return { name, input, core, devserver, differs };
}

// The deliberate differences, each said once.
const DROPS_BAD_VISITOR =
  'core drops a visitor id that is not a UUID (with a warning) so the payment still counts, unattributed; the API refuses the whole payment';
const TRIMS =
  "core trims its caller's value (stray whitespace from a cookie, a form or a database) and sends it bare; the API checks the exact string it receives";
const ZONELESS =
  'core refuses a time without a zone (it would be read in some server zone and move revenue between days); the devserver, like JavaScript dates, reads it as UTC';
const SPACE_SEPARATOR =
  'core accepts the space RFC 3339 allows (what SQL databases print) from its caller and always sends the T form; ISO 8601 on the wire needs the T';
const UNKNOWN_FIELDS =
  'core refuses fields the API does not read, so a misspelt field is not silently lost; the API ignores them';
const BOTH_BOUNDS =
  'core asks for both bounds of a visitor delete so that one rule covers every ranged delete; the API narrows by either bound';

const uuidCases: PaymentCase[] = [
  same('a lower-case UUID v4', { datafast_visitor_id: V }, stores({ datafast_visitor_id: V })),
  same(
    'an upper-case UUID (stored lower case)',
    { datafast_visitor_id: V.toUpperCase() },
    stores({ datafast_visitor_id: V }),
  ),
  same(
    'a UUID v1 (any version is a UUID)',
    { datafast_visitor_id: 'c232ab00-9414-11ec-b3c8-9f6bdeced846' },
    stores({ datafast_visitor_id: 'c232ab00-9414-11ec-b3c8-9f6bdeced846' }),
  ),
  same(
    'a UUID v7',
    { datafast_visitor_id: '01890a5d-ac96-774b-bcce-b302099a8057' },
    stores({ datafast_visitor_id: '01890a5d-ac96-774b-bcce-b302099a8057' }),
  ),
  same(
    'a null visitor id (unattributed)',
    { datafast_visitor_id: null },
    stores({ datafast_visitor_id: undefined }),
  ),
  ...(
    [
      ['a UUID in braces', `{${V}}`],
      ['a UUID without dashes', V.replaceAll('-', '')],
      ['a urn:uuid: UUID', `urn:uuid:${V}`],
      ['a UUID one character short', V.slice(0, -1)],
      ['a UUID with a letter that is not hex', `g${V.slice(1)}`],
      ['a number as visitor id', 7],
    ] as const
  ).map(([name, value]) =>
    differ(
      name,
      { datafast_visitor_id: value },
      droppedWithAWarning(),
      refuses('datafast_visitor_id'),
      DROPS_BAD_VISITOR,
    ),
  ),
  differ(
    'a UUID with surrounding whitespace',
    { datafast_visitor_id: ` ${V}\n` },
    stores({ datafast_visitor_id: V }),
    refuses('datafast_visitor_id'),
    TRIMS,
  ),
  differ(
    'an empty visitor id',
    { datafast_visitor_id: '' },
    stores({ datafast_visitor_id: undefined }),
    refuses('datafast_visitor_id'),
    "core reads '' as no visitor, like null, and never sends it; the API refuses '' as not a UUID",
  ),
];

const timestampCases: PaymentCase[] = [
  ...(
    [
      ['Z', '2026-05-21T12:00:00Z', '2026-05-21T12:00:00.000Z'],
      ['lower-case t and z', '2026-05-21t12:00:00z', '2026-05-21T12:00:00.000Z'],
      ['an offset +02:00', '2026-05-21T14:00:00+02:00', '2026-05-21T12:00:00.000Z'],
      ['an offset +0200', '2026-05-21T14:00:00+0200', '2026-05-21T12:00:00.000Z'],
      ['an offset +02', '2026-05-21T14:00:00+02', '2026-05-21T12:00:00.000Z'],
      ['an offset -05:30', '2026-05-21T06:30:00-05:30', '2026-05-21T12:00:00.000Z'],
      ['an offset -00:00', '2026-05-21T12:00:00-00:00', '2026-05-21T12:00:00.000Z'],
      ['the largest offset, +23:59', '2026-05-21T12:00:00+23:59', '2026-05-20T12:01:00.000Z'],
      ['milliseconds', '2026-05-21T12:00:00.123Z', '2026-05-21T12:00:00.123Z'],
      ['one fraction digit', '2026-05-21T12:00:00.5Z', '2026-05-21T12:00:00.500Z'],
      [
        'nine fraction digits (truncated)',
        '2026-05-21T12:00:00.987654321Z',
        '2026-05-21T12:00:00.987Z',
      ],
      ['a comma before the fraction', '2026-05-21T12:00:00,25Z', '2026-05-21T12:00:00.250Z'],
      ['no seconds', '2026-05-21T12:00Z', '2026-05-21T12:00:00.000Z'],
      ['a date only (midnight UTC)', '2026-05-21', '2026-05-21T00:00:00.000Z'],
      ['surrounding whitespace', ' 2026-05-21T12:00:00Z\n', '2026-05-21T12:00:00.000Z'],
      ['year 0000', '0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
      ['year 0099', '0099-12-31T23:59:59Z', '0099-12-31T23:59:59.000Z'],
      ['year 0001 as a date only', '0001-01-01', '0001-01-01T00:00:00.000Z'],
      ['year 0050 with an offset', '0050-06-15T01:00:00+02:00', '0050-06-14T23:00:00.000Z'],
      ['February 29th of 2024', '2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
      ['February 29th of 2000 (divisible by 400)', '2000-02-29', '2000-02-29T00:00:00.000Z'],
      ['February 29th of year 0000 (divisible by 400)', '0000-02-29', '0000-02-29T00:00:00.000Z'],
      ['February 29th of year 0004', '0004-02-29', '0004-02-29T00:00:00.000Z'],
    ] as const
  ).map(([name, timestamp, stored]) =>
    same(`a timestamp with ${name}`, { timestamp }, stores({ timestamp: stored })),
  ),
  ...(
    [
      ['February 29th of 2026', '2026-02-29T12:00:00Z'],
      ['February 29th of 1900 (divisible by 100)', '1900-02-29'],
      ['February 29th of year 0100', '0100-02-29'],
      ['February 30th', '2026-02-30'],
      ['April 31st', '2026-04-31T00:00:00Z'],
      ['month 13', '2026-13-01'],
      ['month 00', '2026-00-10'],
      ['day 00', '2026-05-00'],
      ['hour 24 (24:00)', '2026-05-21T24:00:00Z'],
      ['a leap second (23:59:60)', '2016-12-31T23:59:60Z'],
      ['minute 60', '2026-05-21T12:60:00Z'],
      ['an offset of +24:00', '2026-05-21T12:00:00+24:00'],
      ['an offset minute of 60', '2026-05-21T12:00:00+05:60'],
      ['ten fraction digits', '2026-05-21T12:00:00.1234567891Z'],
      ['a fraction without seconds', '2026-05-21T12:00.5Z'],
      ['an hour without minutes', '2026-05-21T12Z'],
      ['a zone on a date only', '2026-05-21Z'],
      ['a week date', '2026-W21-4'],
      ['a week date and time', '2026-W21-4T12:00:00Z'],
      ['an ordinal date', '2026-141'],
      ['the basic format', '20260521T120000Z'],
      ['a five-digit year', '10000-01-01'],
      ['an expanded year', '+002026-05-21T12:00:00Z'],
      ['an RFC 2822 date', 'Thu, 21 May 2026 12:00:00 GMT'],
      ['epoch milliseconds', 1716292800000],
      ['an empty string', ''],
    ] as const
  ).map(([name, timestamp]) =>
    same(`a timestamp with ${name}`, { timestamp }, refuses('timestamp')),
  ),
  same('a null timestamp (the time of the report)', { timestamp: null }, stores({})),
  ...(
    [
      ['no zone', '2026-05-21T12:00:00', '2026-05-21T12:00:00.000Z'],
      ['no zone and no seconds', '2026-05-21T12:00', '2026-05-21T12:00:00.000Z'],
    ] as const
  ).map(([name, timestamp, stored]) =>
    differ(
      `a timestamp with ${name}`,
      { timestamp },
      refuses('timestamp'),
      stores({ timestamp: stored }),
      ZONELESS,
    ),
  ),
  differ(
    'a timestamp with a space between date and time',
    { timestamp: '2026-05-21 12:00:00Z' },
    stores({ timestamp: '2026-05-21T12:00:00.000Z' }),
    refuses('timestamp'),
    SPACE_SEPARATOR,
  ),
];

const aliasCases: PaymentCase[] = [
  same(
    'customer_email alone',
    { customer_email: 'ada@example.com' },
    stores({ email: 'ada@example.com' }),
  ),
  same(
    'email and customer_email equal',
    { email: 'ada@example.com', customer_email: 'ada@example.com' },
    stores({ email: 'ada@example.com' }),
  ),
  same(
    'email and customer_email different',
    { email: 'ada@example.com', customer_email: 'grace@example.com' },
    refuses('customer_email'),
  ),
  same(
    'email and customer_email differing only in case',
    { email: 'Ada@example.com', customer_email: 'ada@example.com' },
    refuses('customer_email'),
  ),
  same(
    'an empty email and a customer_email',
    { email: '', customer_email: 'ada@example.com' },
    stores({ email: 'ada@example.com' }),
  ),
  same(
    'an email and a null customer_email',
    { email: 'ada@example.com', customer_email: null },
    stores({ email: 'ada@example.com' }),
  ),
  same('an empty email alone', { email: '' }, stores({ email: undefined })),
  same('a customer_email that is a number', { customer_email: 42 }, refuses('customer_email')),
  same('customer_name alone', { customer_name: 'Ada' }, stores({ name: 'Ada' })),
  same(
    'name and customer_name equal',
    { name: 'Ada', customer_name: 'Ada' },
    stores({ name: 'Ada' }),
  ),
  same(
    'name and customer_name different',
    { name: 'Ada', customer_name: 'Grace' },
    refuses('customer_name'),
  ),
  same('a name that is a number', { name: 1 }, refuses('name')),
];

const trialCases: PaymentCase[] = [
  same(
    'amount 0 (a free trial, inferred)',
    { amount: 0 },
    stores({ amount: 0, is_free_trial: true }),
  ),
  same('amount -0', { amount: -0 }, stores({ amount: 0, is_free_trial: true })),
  same(
    'amount 0 on a renewal (a 100% coupon, not a trial)',
    { amount: 0, renewal: true },
    stores({ amount: 0, renewal: true, is_free_trial: false }),
  ),
  same(
    'amount 0 with is_free_trial false (a fully discounted payment)',
    { amount: 0, is_free_trial: false },
    stores({ amount: 0, is_free_trial: false }),
  ),
  same(
    'is_free_trial true with an amount (a trial of a paid plan)',
    { amount: 29.99, is_free_trial: true },
    stores({ amount: 29.99, is_free_trial: true }),
  ),
  same('an amount without is_free_trial (not a trial)', {}, stores({ is_free_trial: false })),
  same(
    'a refund',
    { refunded: true, amount: 10 },
    stores({ refunded: true, amount: 10, is_free_trial: false }),
  ),
  same(
    'a refund with is_free_trial false',
    { refunded: true, is_free_trial: false },
    stores({ refunded: true, is_free_trial: false }),
  ),
  same('a refund of amount 0', { refunded: true, amount: 0 }, refuses('amount')),
  same(
    'a refund of amount 0 with is_free_trial false',
    { refunded: true, amount: 0, is_free_trial: false },
    refuses('amount'),
  ),
  same(
    'a refund that is a free trial',
    { refunded: true, is_free_trial: true },
    refuses('is_free_trial'),
  ),
  same(
    'a renewal that is a free trial',
    { renewal: true, is_free_trial: true },
    refuses('is_free_trial'),
  ),
  same('is_free_trial as a string', { is_free_trial: 'true' }, refuses('is_free_trial')),
  same('renewal as a string', { renewal: 'true' }, refuses('renewal')),
  same('refunded as a number', { refunded: 1 }, refuses('refunded')),
  same(
    'null booleans (not given)',
    { renewal: null, refunded: null, is_free_trial: null },
    stores({ renewal: false, refunded: false, is_free_trial: false }),
  ),
];

const amountCases: PaymentCase[] = [
  same('an amount of 29.99', { amount: 29.99 }, stores({ amount: 29.99 })),
  same('a whole amount', { amount: 49 }, stores({ amount: 49 })),
  same('an amount with float noise', { amount: 0.1 + 0.2 }, stores({ amount: 0.1 + 0.2 })),
  same('the smallest positive amount', { amount: 5e-324 }, stores({ amount: 5e-324 })),
  same('a very large amount', { amount: 1e15 }, stores({ amount: 1e15 })),
  same('a negative amount', { amount: -1 }, refuses('amount')),
  same('an amount as a string', { amount: '29.99' }, refuses('amount')),
  same('an amount as a boolean', { amount: true }, refuses('amount')),
  same('a null amount', { amount: null }, refuses('amount')),
  same('no amount', { amount: undefined }, refuses('amount')),
];

const currencyCases: PaymentCase[] = [
  same('a lower-case currency', { currency: 'usd' }, stores({ currency: 'USD' })),
  same('a mixed-case currency', { currency: 'Eur' }, stores({ currency: 'EUR' })),
  same(
    'an unassigned code (neither side keeps a list of ISO 4217 codes)',
    { currency: 'ZZZ' },
    stores({ currency: 'ZZZ' }),
  ),
  same('a two-letter currency', { currency: 'US' }, refuses('currency')),
  same('a four-letter currency', { currency: 'USDT' }, refuses('currency')),
  same('a currency with a symbol', { currency: 'U$D' }, refuses('currency')),
  same('a currency with a non-ASCII letter', { currency: 'ÜSD' }, refuses('currency')),
  same('a numeric currency code', { currency: 840 }, refuses('currency')),
  same('an empty currency', { currency: '' }, refuses('currency')),
  same('no currency', { currency: undefined }, refuses('currency')),
  differ(
    'a currency with surrounding whitespace',
    { currency: ' usd ' },
    stores({ currency: 'USD' }),
    refuses('currency'),
    TRIMS,
  ),
];

const otherCases: PaymentCase[] = [
  same('an empty transaction_id', { transaction_id: '' }, refuses('transaction_id')),
  same('a blank transaction_id', { transaction_id: '   ' }, refuses('transaction_id')),
  same('a numeric transaction_id', { transaction_id: 123 }, refuses('transaction_id')),
  same('no transaction_id', { transaction_id: undefined }, refuses('transaction_id')),
  differ(
    'a transaction_id with surrounding whitespace',
    { transaction_id: ' txn_case ' },
    stores({ transaction_id: 'txn_case' }),
    stores({ transaction_id: ' txn_case ' }),
    TRIMS,
  ),
  same('a customer_id', { customer_id: 'cus_1' }, stores({ customer_id: 'cus_1' })),
  same('an empty customer_id', { customer_id: '' }, stores({ customer_id: undefined })),
  same('a numeric customer_id', { customer_id: 42 }, refuses('customer_id')),
  differ('an unknown field', { coupon: 'SPRING' }, refuses('coupon'), stores({}), UNKNOWN_FIELDS),
  differ(
    'visitorId (an alias other endpoints take, not this one)',
    { visitorId: V },
    refuses('visitorId'),
    stores({ datafast_visitor_id: undefined }),
    UNKNOWN_FIELDS,
  ),
];

/** Every payment case: UUIDs, ISO 8601 timestamps, aliases, free trials, amounts, currencies. */
export const PAYMENT_CASES: readonly PaymentCase[] = [
  ...uuidCases,
  ...timestampCases,
  ...aliasCases,
  ...trialCases,
  ...amountCases,
  ...currencyCases,
  ...otherCases,
];

/** Every delete case, run against {@link DELETE_SEED}. */
export const DELETE_CASES: readonly DeleteCase[] = [
  same('a transaction', { transaction_id: 'may05' }, deletes('may05')),
  same('an empty transaction_id', { transaction_id: '' }, refuses('transaction_id')),
  differ(
    'tx_id, the alias of transaction_id',
    { tx_id: 'may05' },
    refuses('tx_id'),
    deletes('may05'),
    'core takes the canonical name only and says so; the API also reads tx_id',
  ),
  differ(
    'a transaction and a visitor',
    { transaction_id: 'may05', datafast_visitor_id: V },
    refuses('datafast_visitor_id'),
    deletes('may05'),
    'the API ignores a filter of lower priority; core refuses the mix so that a delete never removes other payments than the caller meant',
  ),
  same('a visitor, all time', { datafast_visitor_id: V }, deletes('may01', 'may10')),
  same(
    'an upper-case visitor',
    { datafast_visitor_id: V.toUpperCase() },
    deletes('may01', 'may10'),
  ),
  same('a visitor in braces', { datafast_visitor_id: `{${V}}` }, refuses('datafast_visitor_id')),
  differ(
    'a visitor with surrounding whitespace',
    { datafast_visitor_id: ` ${V} ` },
    deletes('may01', 'may10'),
    refuses('datafast_visitor_id'),
    TRIMS,
  ),
  same(
    'a visitor between start and end',
    { datafast_visitor_id: V, start: '2026-05-05T00:00:00Z', end: '2026-05-31T00:00:00Z' },
    deletes('may10'),
  ),
  differ(
    'a visitor from start on',
    { datafast_visitor_id: V, start: '2026-05-05T00:00:00Z' },
    refuses('end'),
    deletes('may10'),
    BOTH_BOUNDS,
  ),
  differ(
    'a visitor until end',
    { datafast_visitor_id: V, end: '2026-05-05T00:00:00Z' },
    refuses('start'),
    deletes('may01'),
    BOTH_BOUNDS,
  ),
  same(
    'a range, bounds included, a date-only start',
    { start: '2026-05-01', end: '2026-05-05T10:00:00Z' },
    deletes('may01', 'may05'),
  ),
  same(
    'a range with offsets',
    { start: '2026-05-05T12:00:00+02:00', end: '2026-05-10T05:00:00-05:00' },
    deletes('may05', 'may10'),
  ),
  differ(
    'a range without zones',
    { start: '2026-05-01T00:00:00', end: '2026-05-31T00:00:00' },
    refuses('start'),
    deletes('may01', 'may05', 'may10'),
    ZONELESS,
  ),
  same('a start alone', { start: '2026-05-01T00:00:00Z' }, refuses('end')),
  same('an end alone', { end: '2026-05-31T00:00:00Z' }, refuses('start')),
  same(
    'a start after the end',
    { start: '2026-05-31T00:00:00Z', end: '2026-05-01T00:00:00Z' },
    refuses('end'),
  ),
  same(
    'a start that is not ISO 8601',
    { start: 'yesterday', end: '2026-05-31T00:00:00Z' },
    refuses('start'),
  ),
  same('no filter', {}, refuses('filter')),
];

/** `[name, case]` pairs for `it.each`, so that each case is a test of its own name. */
export function byName<T extends { name: string }>(cases: readonly T[]): [string, T][] {
  return cases.map((c) => [c.name, c]);
}

/** The fields of a stored record that `stores` names, to compare with `toEqual(stores)`. */
export function storedView(record: object | undefined, stores: StoredFields): StoredFields {
  const fields = (record ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.keys(stores).map((field) => [field, fields[field]]));
}

/** The seeded transactions that are no longer among `remaining`, in seed order. */
export function deletedFromSeed(remaining: readonly string[]): string[] {
  return DELETE_SEED.map((s) => s.transaction_id).filter((id) => !remaining.includes(id));
}
