import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  parseJsonBody,
  readBody,
  sendError,
  sendJson,
  sendMethodNotAllowed,
} from '../http/messages.js';
import { StripeActionError } from './errors.js';
import type { StripeService } from './service.js';

type Body = Record<string, unknown>;

/** A JSON body, `{}` when empty, or `undefined` after answering the error. */
async function jsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<Body | undefined> {
  const body = await readBody(req, limit);
  if (body.size === 0) return {};
  const parsed = parseJsonBody(req.headers['content-type'], body, limit);
  if (!parsed.ok) {
    sendError(res, parsed.status, parsed.message);
    return undefined;
  }
  if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
    sendError(res, 400, 'The body must be a JSON object');
    return undefined;
  }
  return parsed.value as Body;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (value === undefined) return allowed[0] as T;
  if (!allowed.includes(value as T)) {
    throw new TypeError(`${name} must be ${allowed.map((a) => `"${a}"`).join(' or ')}`);
  }
  return value as T;
}

/**
 * Answers `/__devserver/stripe/*` (already host- and origin-checked by the control endpoints):
 * the stand-in's state, new payment links, and one endpoint per hard case of a webhook handler.
 */
export async function handleStripeControl(
  stripe: StripeService,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  bodyLimit: number,
): Promise<void> {
  const method = req.method ?? 'GET';
  const only = (allowed: string[]): boolean => {
    if (allowed.includes(method)) return true;
    sendMethodNotAllowed(res, allowed);
    return false;
  };
  const post = async (act: (body: Body) => Promise<unknown>, status = 200) => {
    if (!only(['POST'])) return;
    const body = await jsonBody(req, res, bodyLimit);
    if (body) sendJson(res, status, await act(body));
  };
  const [, , first = '', id = '', action = ''] = route.split('/').map(decodeURIComponent);

  try {
    if (route === '/stripe') {
      if (only(['GET', 'HEAD'])) sendJson(res, 200, stripe.summary());
      return;
    }
    if (first === 'links' && !id) {
      if (!only(['GET', 'HEAD', 'POST'])) return;
      if (method !== 'POST') return sendJson(res, 200, { links: stripe.paymentLinks() });
      return await post(
        async (body) => ({ link: await stripe.createPaymentLink(body as never) }),
        201,
      );
    }
    if (first === 'events' && !id) {
      if (only(['GET', 'HEAD'])) sendJson(res, 200, { events: stripe.events() });
      return;
    }
    if (first === 'events' && action === 'redeliver') {
      return await post(async () => ({ event: await stripe.redeliver(id) }));
    }
    if (first === 'sessions' && action === 'deliver') {
      return await post(async (body) => ({
        events: await stripe.deliverPending(
          id,
          oneOf(body.order, ['created', 'reverse'] as const, 'order'),
        ),
      }));
    }
    if (first === 'sessions' && action === 'settle') {
      return await post(async (body) => ({
        events: await stripe.settle(
          id,
          oneOf(body.outcome, ['succeeded', 'failed'] as const, 'outcome'),
        ),
      }));
    }
    if (first === 'refunds' && !id) {
      return await post(async (body) => {
        if (typeof body.payment_intent !== 'string') {
          throw new TypeError('payment_intent must be the id of a PaymentIntent (pi_…)');
        }
        if (body.amount !== undefined && typeof body.amount !== 'number') {
          throw new TypeError('amount must be a number in the smallest unit (1000 is $10.00)');
        }
        return { refund: await stripe.refund(body.payment_intent, body.amount as number) };
      });
    }
    if (first === 'subscriptions' && action === 'renew') {
      return await post(async () => ({ invoice: await stripe.renew(id) }));
    }
    if (first === 'hold' && !id) {
      if (!only(['PUT'])) return;
      const body = await jsonBody(req, res, bodyLimit);
      if (!body) return;
      if (typeof body.hold !== 'boolean') throw new TypeError('hold must be true or false');
      await stripe.holdEvents(body.hold);
      return sendJson(res, 200, { hold: body.hold });
    }
    sendError(res, 404, `Not found: /__devserver${route}`);
  } catch (error) {
    if (error instanceof StripeActionError) return sendError(res, error.status, error.message);
    if (error instanceof RangeError) return sendError(res, 404, error.message);
    if (error instanceof TypeError) return sendError(res, 400, error.message);
    throw error;
  }
}
