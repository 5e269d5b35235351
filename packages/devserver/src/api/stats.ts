import type { RecordCounts } from './payment-store.js';

/** What the API pipeline counts, since start or the last reset. */
export interface RequestCounts {
  /** Re-posted transaction ids answered with the duplicate message. */
  duplicates: number;
  /** Records removed by DELETE. */
  deleted: number;
  /** `/api/v1` requests received. */
  requests: number;
  /** `/api/v1` requests answered 4xx by the API's own rules (not by a fault). */
  rejected: number;
  /** `/api/v1` requests that got an injected fault. */
  faulted: number;
}

/**
 * Counters since start or the last reset: the stored records by kind (`payments` counts every
 * record) and the requests.
 *
 * @example
 * expect(dev.stats()).toMatchObject({ payments: 1, duplicates: 1 });
 */
export interface DevServerStats extends RecordCounts, RequestCounts {}

export function emptyRequestCounts(): RequestCounts {
  return { duplicates: 0, deleted: 0, requests: 0, rejected: 0, faulted: 0 };
}
