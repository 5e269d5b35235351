export { type BackfillOptions, backfill, rangeOf } from './backfill.js';
export { BackfillConfigError } from './errors.js';
export type { PageRetry } from './pages.js';
export { providers } from './providers/index.js';
export type { ProviderName, ProviderSource, TimeRange } from './source.js';
export type { BackfillState } from './state.js';
export {
  type BackfillSummary,
  type CurrencyTotals,
  type FoundPayment,
  summaryLine,
} from './summary.js';
export { paymentTable } from './table.js';
