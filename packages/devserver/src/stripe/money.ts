/**
 * How many decimals Stripe's API amounts have for a currency: the currency's own (as `Intl`
 * knows it), except where Stripe differs (https://docs.stripe.com/currencies#special-cases): ISK
 * and UGX keep two decimals, MGA has none. Self-contained: the dashboard runs it in the browser.
 *
 * @example
 * minorUnitDigits('jpy') // 0
 */
export function minorUnitDigits(currency: string): number {
  const code = currency.toUpperCase();
  if (code === 'ISK' || code === 'UGX') return 2;
  if (code === 'MGA') return 0;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits as number;
  } catch {
    return 2;
  }
}

/**
 * A Stripe amount (minor units) for people: `$29.99`, `¥500`.
 *
 * @example
 * formatMinorUnits(2999, 'usd') // '$29.99'
 */
export function formatMinorUnits(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const major = amount / 10 ** digits;
  try {
    return new Intl.NumberFormat('en', {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(major);
  } catch {
    return `${major.toFixed(digits)} ${currency.toUpperCase()}`;
  }
}
