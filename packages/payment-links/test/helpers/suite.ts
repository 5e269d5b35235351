/** What the provider suites share: running handlers, a provider API stand-in, validation. */
import { createDatafast, type PaymentInput } from '@datafast-checkout/core';
import {
  type ApiStandIn,
  type ApiStandInRequest,
  startApiStandIn,
} from '@datafast-checkout/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import { onPaymentSucceeded, type PaymentResolver } from '../../src/index.js';
import type { EventMapping } from '../../src/reports.js';
import type { suiteDevServer } from './datafast.js';
import type { WebhookAnswer } from './stripe.js';

/** A webhook's status and JSON answer. */
export async function deliver(
  webhook: (request: Request) => Promise<Response>,
  request: Request,
): Promise<{ status: number; body: WebhookAnswer }> {
  const response = await webhook(request);
  return { status: response.status, body: (await response.json()) as WebhookAnswer };
}

/** A provider API stand-in for the suite, refusing requests `authorized` rejects. */
export function suiteApiStandIn(authorized: (headers: ApiStandInRequest['headers']) => boolean): {
  standIn: ApiStandIn;
} {
  const api = {} as { standIn: ApiStandIn };
  beforeAll(async () => {
    api.standIn = await startApiStandIn(authorized);
  });
  afterAll(() => api.standIn?.close());
  return api;
}

// Validates without sending: every mapped payment must be one DataFast accepts.
const validator = createDatafast({ enabled: false, logger: { warn() {}, error() {} } });

/** The reports of a mapping, each validated as DataFast would; fails on `ignored`. */
export async function reportsOf<R extends { payment: PaymentInput }>(
  mapping: EventMapping<R> | { refundTotal: unknown },
): Promise<R[]> {
  if (!('reports' in mapping)) throw new Error(`expected reports, got ${JSON.stringify(mapping)}`);
  for (const report of mapping.reports) await validator.payments.create(report.payment);
  return mapping.reports;
}

/**
 * Opens a success page built on `resolver` the way a browser would (with the visitor cookie)
 * and returns what the page was given, and what went to `onError`.
 */
export async function visitSuccessPage(
  context: ReturnType<typeof suiteDevServer>,
  resolver: PaymentResolver,
  url: string,
  cookieVisitor?: string,
): Promise<{ payment: PaymentInput | null; errors: unknown[] }> {
  const errors: unknown[] = [];
  let shown: PaymentInput | null = null;
  const page = onPaymentSucceeded(
    resolver,
    (_request, payment) => {
      shown = payment;
      return new Response('Thanks!');
    },
    { datafast: context.client, onError: (error) => errors.push(error) },
  );
  const response = await page(
    new Request(url, {
      headers: cookieVisitor ? { cookie: `datafast_visitor_id=${cookieVisitor}` } : {},
    }),
  );
  expect(response.status).toBe(200);
  await context.client.flush(5000);
  return { payment: shown, errors };
}
