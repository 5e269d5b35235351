/**
 * Signed webhook requests as each provider makes them, built with the provider's own scheme and
 * independent code: `node:crypto` for the hex HMACs (LemonSqueezy, Paddle, Creem) and the
 * `standardwebhooks` package (the reference implementation Polar's and Dodo's SDKs use) for
 * Standard Webhooks. Never with payment-links' own verifiers, so a test can catch them wrong.
 */
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { payloadOf } from '../../../packages/devserver/src/testing/index.js';

type Json = Record<string, unknown>;

const post = (url: string, body: string, headers: Record<string, string>) =>
  new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

const hexHmac = (secret: string, message: string) =>
  createHmac('sha256', secret).update(message).digest('hex');

/** LemonSqueezy: `X-Signature`, the hex HMAC-SHA256 of the body. */
export function lemonSqueezyRequest(
  url: string,
  event: Json,
  options: { secret: string; payload?: string },
): Request {
  const body = options.payload ?? payloadOf(event);
  return post(url, body, { 'x-signature': hexHmac(options.secret, body) });
}

/**
 * Standard Webhooks headers for `body`. `secretEncoding: 'utf8'` keys the HMAC with the
 * secret's text, as Polar's SDK does (it base64-encodes the secret for `standardwebhooks`);
 * `'whsec'` decodes the `whsec_` + base64 secret, as Dodo's and Creem's do.
 */
export function standardWebhookHeaders(
  body: string,
  options: { secret: string; secretEncoding: 'utf8' | 'whsec'; timestamp?: number; id?: string },
): Record<string, string> {
  const webhook = new Webhook(
    options.secretEncoding === 'utf8'
      ? Buffer.from(options.secret, 'utf8').toString('base64')
      : options.secret,
  );
  const seconds = options.timestamp ?? Math.floor(Date.now() / 1000);
  const id = options.id ?? `msg_${seconds}_${Math.random().toString(36).slice(2, 10)}`;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': webhook.sign(id, new Date(seconds * 1000), body),
  };
}

/** A Standard Webhooks request (Polar, Dodo Payments, Creem's newer scheme). */
export function standardWebhookRequest(
  url: string,
  event: Json,
  options: Parameters<typeof standardWebhookHeaders>[1] & { payload?: string },
): Request {
  const body = options.payload ?? payloadOf(event);
  return post(url, body, standardWebhookHeaders(body, options));
}

/** Paddle: `Paddle-Signature: ts=…;h1=…`, one `h1` per secret (two while rotating). */
export function paddleRequest(
  url: string,
  event: Json,
  options: { secrets: string[]; timestamp?: number; payload?: string },
): Request {
  const body = options.payload ?? payloadOf(event);
  const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signatures = options.secrets.map((secret) => `h1=${hexHmac(secret, `${ts}:${body}`)}`);
  return post(url, body, { 'paddle-signature': [`ts=${ts}`, ...signatures].join(';') });
}

/** Creem: `creem-signature` (or `x-creem-signature`, optionally `sha256=`-prefixed), the hex HMAC of the body. */
export function creemRequest(
  url: string,
  event: Json,
  options: { secret: string; header?: string; prefix?: string; payload?: string },
): Request {
  const body = options.payload ?? payloadOf(event);
  return post(url, body, {
    [options.header ?? 'creem-signature']:
      `${options.prefix ?? ''}${hexHmac(options.secret, body)}`,
  });
}
