import type { IncomingMessage } from 'node:http';
import type { FaultKind } from '../faults.js';

/**
 * One `/api/v1` request as the devserver received it, including rejected and faulted ones.
 * Credentials are redacted everywhere in it.
 *
 * @example
 * expect(dev.requests().map((r) => r.status)).toEqual([503, 200]);
 */
export interface RequestLogEntry {
  /** Position in the log since the last reset, from 1. */
  id: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case names; `authorization` shows only the scheme and key kind. */
  headers: Record<string, string>;
  /** Parsed JSON, else the raw text; `undefined` when empty. */
  body: unknown;
  /** The status answered; `null` while pending, and for dropped or hanging requests. */
  status: number | null;
  fault?: FaultKind;
  /** True when a POST re-sent a stored `transaction_id` (answered 200, nothing stored). */
  duplicate?: boolean;
  /** Injected latency in milliseconds, when there was some. */
  latencyMs?: number;
  /** When it was received (ISO 8601). */
  at: string;
}

/** Oldest entries are dropped past this many, so a long session stays small. */
export const REQUEST_LOG_LIMIT = 10_000;

const REDACTED = '[redacted]';

/** Shows which kind of credential was sent (useful when debugging) but never the credential. */
export function redactAuthorization(value: string): string {
  const match = /^\s*(\S+)\s+(dft_|df_)?/i.exec(value);
  if (!match) return REDACTED;
  return `${match[1]} ${match[2] ?? ''}${REDACTED}`;
}

/** Replaces every occurrence of any secret inside strings, deeply. */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const live = secrets.filter((s) => s.length >= 4);
  if (live.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let out = v;
      for (const secret of live) out = out.split(secret).join(REDACTED);
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [walk(k), walk(inner)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** Flattens Node's headers, redacting the ones that carry credentials. */
export function loggableHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    headers[name] =
      name === 'authorization' || name === 'proxy-authorization' ? redactAuthorization(text) : text;
  }
  return headers;
}

/** The request log behind `dev.requests()` and `GET /__devserver/requests`. */
export class RequestLog {
  #entries: RequestLogEntry[] = [];
  #next = 1;

  /** Adds an entry and returns it, for the caller to complete with its status. */
  add(entry: Omit<RequestLogEntry, 'id'>): RequestLogEntry {
    const full: RequestLogEntry = { id: this.#next++, ...entry };
    this.#entries.push(full);
    if (this.#entries.length > REQUEST_LOG_LIMIT) this.#entries.shift();
    return full;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Deep copies, oldest first: all of them, or the `last` most recent. */
  list(last?: number): RequestLogEntry[] {
    return structuredClone(last === undefined ? this.#entries : this.#entries.slice(-last));
  }

  clear(): void {
    this.#entries = [];
    this.#next = 1;
  }
}
