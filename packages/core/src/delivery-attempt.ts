import type { ClientConfig } from './config.js';
import type { AttemptOutcome } from './delivery-scheduler.js';
import type { OutboxEntry } from './outbox.js';
import { isTransient } from './retry.js';
import { type AttemptResult, attemptRequest, prepareRequest } from './transport.js';

/**
 * Attempt number `number` (1-based, within its round) of a background report; never rejects.
 *
 * @example
 * await attemptDelivery(config, entry, 1, signal) // { kind: 'delivered' }
 */
export async function attemptDelivery(
  config: ClientConfig,
  entry: OutboxEntry,
  number: number,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  try {
    const request = prepareRequest(config.transport, 'POST', {}, entry.body);
    return outcomeOf(await attemptRequest(request, number, signal));
  } catch (error) {
    return { kind: 'refused', error };
  }
}

/**
 * What the scheduler does next after an attempt: another attempt within the round (the policy
 * allows one), another round later (a transient failure: network, timeout, 408, 429, 5xx), or
 * nothing (delivered, or refused for good).
 */
export function outcomeOf(result: AttemptResult): AttemptOutcome {
  if (result.ok) return { kind: 'delivered' };
  const { error, retryInMs, retryAfterMs, rateLimited } = result;
  if (retryInMs !== undefined) return { kind: 'retry', delayMs: retryInMs, rateLimited };
  return isTransient(error)
    ? { kind: 'transient', error, rateLimited, retryAfterMs }
    : { kind: 'refused', error };
}
