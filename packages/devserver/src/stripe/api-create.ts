import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http/messages.js';
import type { StripeAccount } from './account.js';
import { secretKey, send, stripeError } from './api.js';
import { parseStripeForm } from './form.js';
import { createPrice, parseSessionParams, StripeParamError } from './session-params.js';

/** What the stand-in's `POST /v1/…` needs: the account, who may ask, and the hosted page's URL. */
export interface StripeCreateOptions {
  account: StripeAccount;
  authorized(key: string): boolean;
  /** The hosted page of a Checkout Session: `<devserver>/c/pay/<id>`, as checkout.stripe.com's. */
  hostedUrl(session: string): string;
  /** Told once something was created, before the answer; resolves once it is persisted. */
  changed(): Promise<void>;
}

// Stripe's bodies are small; 256 KiB is far above the largest session a test would create.
const BODY_LIMIT = 256 * 1024;

/**
 * Answers the creations a server makes with its `stripe` client: `POST /v1/checkout/sessions`
 * (an open session whose `url` is the stand-in's hosted page, where paying sends the same
 * events as a payment link) and `POST /v1/prices` (a Price to use in `line_items[][price]`).
 * Form-encoded bodies, as Stripe takes them; a refused parameter gets Stripe's 400 envelope with
 * `param`. Other POSTs get Stripe's 404.
 */
export async function handleStripeCreate(
  options: StripeCreateOptions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const body = await readBody(req, BODY_LIMIT).catch(() => undefined);
  if (!body) return; // the client went away mid-body
  const key = secretKey(req.headers.authorization);
  if (!key || !options.authorized(key)) {
    const [status, error] = stripeError(
      401,
      'Invalid API Key provided: use the secret key this Stripe stand-in was given (Authorization: Bearer sk_test_…)',
    );
    return send(res, status, error);
  }
  const create =
    url.pathname === '/v1/checkout/sessions'
      ? (form: ReturnType<typeof parseStripeForm>) =>
          options.account.createSession(
            parseSessionParams(options.account.store, form),
            options.hostedUrl,
          )
      : url.pathname === '/v1/prices'
        ? (form: ReturnType<typeof parseStripeForm>) => createPrice(options.account.store, form, '')
        : undefined;
  if (!create) {
    const [status, error] = stripeError(404, `Unrecognized request URL (POST: ${url.pathname})`);
    return send(res, status, error);
  }
  if (body.tooLarge) {
    const [status, error] = stripeError(413, `The body is over ${BODY_LIMIT} bytes`);
    return send(res, status, error);
  }
  try {
    const created = create(parseStripeForm(body.bytes.toString('utf8')));
    await options.changed();
    send(res, 200, created);
  } catch (error) {
    if (error instanceof StripeParamError) {
      const { code, param, message } = error;
      return send(res, 400, {
        error: { type: 'invalid_request_error', message, param, ...(code ? { code } : {}) },
      });
    }
    if (error instanceof TypeError) {
      const [status, envelope] = stripeError(400, error.message);
      return send(res, status, envelope);
    }
    throw error;
  }
}
