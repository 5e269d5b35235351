import type { MinorUnitTable } from '@datafast-checkout/core';

/**
 * A provider's minor-unit table: every currency it lists, grouped by how many decimals its
 * amounts have as that provider documents them. Each provider's table sits in its
 * `currencies.ts`, beside the page or source it comes from, and every amount of that provider is
 * converted with it (codes a provider does not list fall back to ISO 4217).
 *
 * @example
 * minorUnitTable({ 0: 'JPY KRW', 2: 'USD EUR' }) // { JPY: 0, KRW: 0, USD: 2, EUR: 2 }
 */
export function minorUnitTable(byDecimals: Record<number, string>): MinorUnitTable {
  const table: Record<string, number> = {};
  for (const [decimals, codes] of Object.entries(byDecimals)) {
    for (const code of codes.split(/\s+/).filter(Boolean)) table[code] = Number(decimals);
  }
  return Object.freeze(table);
}
