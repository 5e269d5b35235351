export { createDatafast } from './client.js';
export { isCronAuthorized } from './cron.js';
export type { DeleteFilter } from './delete-filter.js';
export type { DrainOptions, DrainResult } from './drain-options.js';
export {
  DatafastApiError,
  DatafastConfigError,
  DatafastError,
  type DatafastErrorCode,
  DatafastNetworkError,
  DatafastValidationError,
  isDatafastError,
} from './errors.js';
export { bindLazily } from './lazy-bound.js';
export type { Logger } from './log.js';
export {
  currencyExponent,
  type MinorUnitConvention,
  type MinorUnitTable,
  toMajorUnits,
} from './money.js';
export type { DatafastOptions } from './options.js';
export {
  isSharedOutbox,
  type Outbox,
  type OutboxClaimOptions,
  type OutboxEntry,
  type OutboxLease,
  type OutboxListOptions,
  type SharedOutbox,
} from './outbox.js';
export type { PaymentBody, PaymentInput } from './payload.js';
export { type DatafastClientOrOptions, isDatafast, resolveDatafast } from './resolve.js';
export type { FlushResult } from './settling.js';
export type { RequestOptions } from './transport.js';
export type {
  BoundDatafast,
  CreatePaymentResult,
  Datafast,
  DeletePaymentResult,
  TrackOptions,
} from './types.js';
export { VERSION } from './version.js';
export {
  type CookieSource,
  cookieHeaderOf,
  getSessionId,
  getVisitorId,
  type NodeRequestLike,
  normalizeVisitorId,
  readCookie,
  SESSION_COOKIE,
  VISITOR_COOKIE,
} from './visitor.js';
export type { WaitUntil } from './wait-until.js';
