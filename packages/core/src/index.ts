export {
  type BoundDatafast,
  type CreatePaymentResult,
  createDatafast,
  type Datafast,
  type DatafastClientOrOptions,
  type DatafastOptions,
  type DeletePaymentResult,
  isDatafast,
  type Logger,
  resolveDatafast,
  type TrackOptions,
  type WaitUntil,
} from './client.js';
export {
  DatafastApiError,
  DatafastConfigError,
  DatafastError,
  type DatafastErrorCode,
  DatafastNetworkError,
  DatafastValidationError,
  isDatafastError,
} from './errors.js';
export { currencyExponent, type MinorUnitConvention, toMajorUnits } from './money.js';
export type { DeleteFilter, PaymentInput } from './payload.js';
export type { FlushResult } from './queue.js';
export type { RequestOptions } from './transport.js';
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
