/** Real signatures from `stripe`, and a Stripe API stand-in with a client pointed at it. */
import {
  payloadOf,
  type StripeStandIn,
  startStripeStandIn,
  webhookSecret,
} from '@datafast-checkout/testing';
import Stripe from 'stripe';
import { afterAll, beforeAll } from 'vitest';

type Json = Record<string, unknown>;

/** A webhook's JSON answer. */
export interface WebhookAnswer {
  received?: boolean;
  reported?: string[];
  ignored?: string;
  error?: { code: string; message: string };
}

/** A Stripe API stand-in for the suite, and a real `stripe` client that talks to it. */
export function suiteStripeApi(): { standIn: StripeStandIn; stripe: Stripe } {
  const api = {} as { standIn: StripeStandIn; stripe: Stripe };
  beforeAll(async () => {
    api.standIn = await startStripeStandIn();
    api.stripe = new Stripe('sk_test_stand_in', {
      ...api.standIn.clientOptions,
      maxNetworkRetries: 0,
    });
  });
  afterAll(() => api.standIn?.close());
  return api;
}

/**
 * A POST as Stripe sends it: the payload and a real `Stripe-Signature` made by the `stripe`
 * package (`generateTestHeaderString`), with the current time unless `timestamp` is given.
 */
export function signedRequest(
  url: string,
  event: Json,
  options: { secret?: string; timestamp?: number; payload?: string } = {},
): Request {
  const payload = options.payload ?? payloadOf(event);
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? webhookSecret,
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
  });
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: payload,
  });
}
