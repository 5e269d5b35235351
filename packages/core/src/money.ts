import { DatafastValidationError, describeValue } from './errors.js';

/**
 * A payment provider's own minor units: how many decimals its amounts have, by upper-case
 * currency code (`{ JPY: 0, USD: 2, ISK: 2 }`). A code the table does not list takes its ISO 4217
 * exponent.
 *
 * @example
 * toMajorUnits(10000, 'ISK', { convention: { ISK: 2 } }) // 100
 */
export type MinorUnitTable = Readonly<Record<string, number>>;

/**
 * Which table of minor-unit exponents to use:
 * - `'stripe'` (default): Stripe's API amounts. Stripe's zero- and three-decimal lists, and its
 *   special cases: ISK and UGX are sent with two decimals (times 100) although ISO 4217 gives them
 *   none; MGA has none although ISO gives it two; HUF and TWD keep two.
 * - `'iso4217'`: the ISO 4217 exponent, for providers that follow the standard.
 * - a {@link MinorUnitTable}: a provider's own documented table (Polar, Paddle, ...).
 */
export type MinorUnitConvention = 'stripe' | 'iso4217' | MinorUnitTable;

// ISO 4217 currencies whose exponent is not 2 (every other code has 2).
const isoExponents: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

// Where Stripe's API differs from ISO 4217 (https://docs.stripe.com/currencies#special-cases).
const stripeExponents: Record<string, number> = {
  ...isoExponents,
  ISK: 2, // zero-decimal in ISO; Stripe keeps two decimals for backwards compatibility
  UGX: 2, // the same: zero-decimal in ISO, amounts sent times 100 to Stripe's API
  MGA: 0, // two decimals in ISO; zero-decimal in Stripe
};

const currencyPattern = /^[A-Za-z]{3}$/;

/**
 * How many decimals a currency's minor unit has, in Stripe's convention unless told otherwise.
 *
 * @example
 * currencyExponent('JPY') // 0
 * currencyExponent('ISK', 'iso4217') // 0
 */
export function currencyExponent(
  currency: string,
  convention: MinorUnitConvention = 'stripe',
): number {
  if (typeof currency !== 'string' || !currencyPattern.test(currency)) {
    throw new DatafastValidationError(
      'currency',
      `currency must be a 3-letter ISO 4217 code (got ${describeValue(currency)})`,
    );
  }
  const code = currency.toUpperCase();
  const table =
    typeof convention === 'object'
      ? convention
      : convention === 'iso4217'
        ? isoExponents
        : stripeExponents;
  const exponent = table[code] ?? isoExponents[code] ?? 2;
  if (!Number.isInteger(exponent) || exponent < 0 || exponent > 4) {
    throw new DatafastValidationError(
      'currency',
      `the minor-unit table gives ${code} ${describeValue(exponent)} decimals (expected 0 to 4)`,
    );
  }
  return exponent;
}

/**
 * Converts a provider's minor units (Stripe's `amount_total: 2999`) to the major units DataFast
 * expects (`29.99`), exactly: the digits are moved, not divided, so the result is the exact
 * decimal for any safe integer and any exponent.
 *
 * @example
 * toMajorUnits(2999, 'usd') // 29.99
 * toMajorUnits(500, 'JPY')  // 500
 * toMajorUnits(1234, 'KWD') // 1.234
 */
export function toMajorUnits(
  amount: number | bigint,
  currency: string,
  options: { convention?: MinorUnitConvention } = {},
): number {
  const exponent = currencyExponent(currency, options.convention);
  if (typeof amount === 'number' && !Number.isSafeInteger(amount)) {
    throw new DatafastValidationError(
      'amount',
      `amount in minor units must be a safe integer (got ${describeValue(amount)})`,
    );
  }
  if (typeof amount !== 'number' && typeof amount !== 'bigint') {
    throw new DatafastValidationError(
      'amount',
      `amount in minor units must be an integer (got ${describeValue(amount)})`,
    );
  }
  const negative = amount < 0;
  const digits = (negative ? -amount : amount).toString();
  if (exponent === 0) return Number(`${negative ? '-' : ''}${digits}`);
  const padded = digits.padStart(exponent + 1, '0');
  const major = `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
  return Number(`${negative ? '-' : ''}${major}`);
}
