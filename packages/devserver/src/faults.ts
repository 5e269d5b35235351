import { milliseconds } from './http/timers.js';

/** How each of the next `count` requests fails. */
export type FailNextMode = 'status' | 'rate-limit' | 'drop' | 'hang';

/**
 * Fault injection for `/api/v1/*` requests. Every field is optional; `{}` means no faults.
 * The same names are used by `startDevServer()`, the config file, the CLI (`--failure-rate`)
 * and `PUT /__devserver/faults`.
 *
 * @example
 * dev.setFaults({ failNext: { count: 2, mode: 'status', status: 503 }, latencyMs: { min: 10, max: 50 } });
 */
export interface Faults {
  /** 0..1: probability a request answers `failureStatus` with the error envelope. */
  failureRate?: number;
  /** The status for `failureRate` (and `failNext` mode `status`); default 503. */
  failureStatus?: number;
  /** Delay before handling, in ms up to 2^31-1: fixed, or uniform random between `min` and `max`. */
  latencyMs?: number | { min: number; max: number };
  /** 0..1: the share of requests that `latencyMs` delays; default 1 (every request). */
  latencyRate?: number;
  /** 0..1: probability of a 429 with the envelope and a `Retry-After` header. */
  rateLimitRate?: number;
  /** The `Retry-After` value: seconds (`'1'`) or an HTTP date (`'Wed, 21 Oct 2026 07:28:00 GMT'`); default `'1'`. */
  retryAfter?: string;
  /** 0..1: probability the socket is reset without any response. */
  dropRate?: number;
  /** The next `count` requests fail this way; `hang` never answers (until `close()`). */
  failNext?: { count: number; mode?: FailNextMode; status?: number };
}

/** The kinds of fault a request log entry can name. */
export type FaultKind = 'failure' | 'rate-limit' | 'drop' | 'hang';

/** What to do with one request. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'failure'; status: number }
  | { kind: 'rate-limit'; retryAfter: string }
  | { kind: 'drop' }
  | { kind: 'hang' };

export const FAIL_NEXT_MODES: readonly FailNextMode[] = ['status', 'rate-limit', 'drop', 'hang'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A probability from 0 to 1, or a `TypeError` naming `name`. */
export function rate(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new TypeError(`${name} must be a number from 0 to 1`);
  }
  return value;
}

/** An HTTP error status, or a `TypeError` naming `name`. */
export function errorStatus(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 400 || value > 599) {
    throw new TypeError(`${name} must be a status from 400 to 599`);
  }
  return value;
}

/**
 * A `Retry-After` value as RFC 9110 has servers send it: whole seconds, or an HTTP date in its
 * one sending form (`Wed, 21 Oct 2026 07:28:00 GMT`, what `Date#toUTCString()` writes). Anything
 * else (a NUL or a newline a header can not carry, "May 1") is a `TypeError` naming `name`, here,
 * rather than a 500 at every rate-limited answer.
 */
export function retryAfterValue(value: unknown, name: string): string {
  const valid =
    typeof value === 'string' &&
    (/^\d{1,10}$/.test(value) || new Date(Date.parse(value)).toUTCString() === value);
  if (!valid) {
    throw new TypeError(
      `${name} must be a number of seconds ("1") or an HTTP date ("Wed, 21 Oct 2026 07:28:00 GMT")`,
    );
  }
  return value;
}

/** A fixed delay, or `{ min, max }` (`name.min`, `name.max`), each one a timer can wait. */
export function latency(value: unknown, name: string): NonNullable<Faults['latencyMs']> {
  if (!isRecord(value)) return milliseconds(value, name);
  const min = milliseconds(value.min, `${name}.min`);
  const max = milliseconds(value.max, `${name}.max`);
  if (min > max) throw new TypeError(`${name}.min must not be greater than ${name}.max`);
  return { min, max };
}

/** `failNext.count`: how many of the next requests fail. */
export function failNextCount(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${name} must be an integer >= 0`);
  }
  return value;
}

/** `failNext.mode`: how they fail. */
export function failNextMode(value: unknown, name: string): FailNextMode {
  if (!FAIL_NEXT_MODES.includes(value as FailNextMode)) {
    throw new TypeError(`${name} must be one of ${FAIL_NEXT_MODES.join(', ')}`);
  }
  return value as FailNextMode;
}

function failNext(value: unknown, name: string): NonNullable<Faults['failNext']> {
  if (!isRecord(value)) throw new TypeError(`${name} must be an object like { "count": 2 }`);
  for (const key of Object.keys(value)) {
    if (!['count', 'mode', 'status'].includes(key)) {
      throw new TypeError(`unknown ${name} setting "${key}"`);
    }
  }
  const next: NonNullable<Faults['failNext']> = {
    count: failNextCount(value.count, `${name}.count`),
  };
  if (value.mode !== undefined) next.mode = failNextMode(value.mode, `${name}.mode`);
  if (value.status !== undefined) next.status = errorStatus(value.status, `${name}.status`);
  return next;
}

/**
 * Each fault setting's rule, by its name: `parseFaults` checks an object with them, and each CLI
 * fault flag checks its own value with the rule of the field it sets.
 */
export const FAULT_FIELDS: { [K in keyof Faults]-?: (value: unknown, name: string) => Faults[K] } =
  {
    failureRate: rate,
    failureStatus: errorStatus,
    latencyMs: latency,
    latencyRate: rate,
    rateLimitRate: rate,
    retryAfter: retryAfterValue,
    dropRate: rate,
    failNext,
  };

/**
 * Validates fault settings from any source and returns a clean copy; throws a `TypeError` naming
 * the setting that is wrong.
 *
 * @example
 * parseFaults({ failureRate: 0.5 }) // { failureRate: 0.5 }
 */
export function parseFaults(input: unknown): Faults {
  if (input === undefined || input === null) return {};
  if (!isRecord(input)) throw new TypeError('faults must be an object');
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(FAULT_FIELDS, key)) throw new TypeError(`unknown fault setting "${key}"`);
  }
  // In the fields' own order, so that faults read the same whatever order they were given in.
  const faults: Record<string, unknown> = {};
  for (const [key, check] of Object.entries(FAULT_FIELDS)) {
    if (input[key] !== undefined) faults[key] = check(input[key], key);
  }
  return faults as Faults;
}

/**
 * Holds the current fault settings and decides, request by request, which fault applies.
 * `failNext` is checked first (it is deterministic), then drops, rate limits and failures.
 */
export class FaultInjector {
  #faults: Faults = {};
  readonly #random: () => number;

  constructor(faults: Faults = {}, random: () => number = Math.random) {
    this.#random = random;
    this.set(faults);
  }

  /** Replaces every setting; `{}` clears them. */
  set(faults: Faults): void {
    this.#faults = parseFaults(faults);
  }

  /** A copy of the current settings, with `failNext.count` as what is left. */
  get(): Faults {
    return structuredClone(this.#faults);
  }

  /** Milliseconds to wait before handling the next request (0 when none). */
  latency(): number {
    const latency = this.#faults.latencyMs;
    if (latency === undefined) return 0;
    const { latencyRate } = this.#faults;
    if (latencyRate !== undefined && !this.#hit(latencyRate)) return 0;
    if (typeof latency === 'number') return latency;
    return latency.min + this.#random() * (latency.max - latency.min);
  }

  /** Decides the fault for one request, consuming one `failNext` when it applies. */
  decide(): FaultDecision {
    const f = this.#faults;
    const failureStatus = f.failureStatus ?? 503;
    const retryAfter = f.retryAfter ?? '1';
    if (f.failNext && f.failNext.count > 0) {
      f.failNext.count -= 1;
      switch (f.failNext.mode ?? 'status') {
        case 'rate-limit':
          return { kind: 'rate-limit', retryAfter };
        case 'drop':
          return { kind: 'drop' };
        case 'hang':
          return { kind: 'hang' };
        default:
          return { kind: 'failure', status: f.failNext.status ?? failureStatus };
      }
    }
    if (this.#hit(f.dropRate)) return { kind: 'drop' };
    if (this.#hit(f.rateLimitRate)) return { kind: 'rate-limit', retryAfter };
    if (this.#hit(f.failureRate)) return { kind: 'failure', status: failureStatus };
    return { kind: 'none' };
  }

  #hit(probability: number | undefined): boolean {
    // `< 1` keeps rate 1 certain even if random() ever returned exactly 1.
    return (
      probability !== undefined &&
      probability > 0 &&
      (probability >= 1 || this.#random() < probability)
    );
  }
}
