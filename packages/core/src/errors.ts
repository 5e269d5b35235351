/**
 * Every error this package throws or hands to `onError` is a {@link DatafastError} with a stable
 * `code`. Match on `code` (or {@link isDatafastError}) rather than `instanceof` when the ESM and
 * CJS builds may both be loaded.
 */
export type DatafastErrorCode =
  | 'api_error'
  | 'unexpected_response'
  | 'validation_error'
  | 'network_error'
  | 'timeout'
  | 'config_error'
  | 'queue_full'
  | 'shutdown_timeout'
  | 'shut_down'
  | 'aborted'
  | 'unexpected_error';

const brand = Symbol.for('@datafast-checkout/core.error');

/**
 * Base class of every error from `@datafast-checkout/core`.
 *
 * @example
 * try { await datafast.payments.create(payment) } catch (e) { if (isDatafastError(e)) log(e.code) }
 */
export class DatafastError extends Error {
  readonly code: DatafastErrorCode;

  constructor(code: DatafastErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatafastError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }
}

/**
 * DataFast answered with a non-2xx status (after any retries), `code: 'api_error'`; or a 2xx whose
 * body is not the API's JSON (a wrong `baseUrl` serving a web page), `code: 'unexpected_response'`.
 *
 * @example
 * if (e instanceof DatafastApiError && e.status === 401) console.error('check DATAFAST_API_KEY')
 */
export class DatafastApiError extends DatafastError {
  /** HTTP status of the last answer. */
  readonly status: number;
  /** The API's error envelope (or the raw text when the body was not JSON). */
  readonly body: unknown;
  /** How many attempts were made, retries included. */
  readonly attempts: number;

  constructor(
    status: number,
    message: string,
    body: unknown,
    attempts: number,
    code: 'api_error' | 'unexpected_response' = 'api_error',
  ) {
    super(code, `DataFast API answered ${status}: ${message}`);
    this.name = 'DatafastApiError';
    this.status = status;
    this.body = body;
    this.attempts = attempts;
  }
}

/**
 * The input was rejected before anything was sent. `field` names the offending field.
 *
 * @example
 * // DatafastValidationError: currency must be a 3-letter ISO 4217 code (got "dollars")
 * e.field === 'currency'
 */
export class DatafastValidationError extends DatafastError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('validation_error', message);
    this.name = 'DatafastValidationError';
    this.field = field;
  }
}

/**
 * The request never got an HTTP answer: connection refused or reset, DNS failure (`code:
 * 'network_error'`), or the per-attempt timeout elapsed (`code: 'timeout'`).
 */
export class DatafastNetworkError extends DatafastError {
  readonly attempts: number;

  constructor(
    code: 'network_error' | 'timeout',
    message: string,
    attempts: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'DatafastNetworkError';
    this.attempts = attempts;
  }
}

/** Misconfiguration: missing API key, `dft_` token without `websiteId`, insecure `baseUrl`. */
export class DatafastConfigError extends DatafastError {
  constructor(message: string) {
    super('config_error', message);
    this.name = 'DatafastConfigError';
  }
}

/**
 * True for errors from any copy of this package (ESM, CJS, or another version), where
 * `instanceof` would fail.
 *
 * @example
 * catch (e) { if (isDatafastError(e) && e.code === 'validation_error') ... }
 */
export function isDatafastError(value: unknown): value is DatafastError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/** A short, safe description of a bad value for error messages: one line, at most 40 characters of it. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    // JSON escapes \r, \n and the other controls; these three break lines in some log viewers.
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value).replace(
      /[\u0085\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (value instanceof Date) return 'an invalid Date';
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

/**
 * A transaction id as messages and log lines show it: as given when it is short printable ASCII
 * (every provider's ids are), else quoted, escaped and cut like {@link describeValue}, so that an
 * id can neither forge a log line nor flood one.
 *
 * @example
 * describeId('pi_123') // pi_123
 * describeId('a\r\nb') // "a\r\nb"
 */
export function describeId(id: string): string {
  return /^[\x21-\x7e]{1,100}$/.test(id) ? id : describeValue(id);
}

/** An error's message, also for an error from another realm (where `instanceof Error` fails). */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * The error of a report turned away because the background queue is full (no outbox holds it).
 *
 * @example
 * queueFullError('pi_123', 10_000).code // 'queue_full'
 */
export function queueFullError(id: string, pending: number): DatafastError {
  return new DatafastError(
    'queue_full',
    `background queue is full (${pending} deliveries pending): payment ${describeId(id)} was dropped`,
  );
}
