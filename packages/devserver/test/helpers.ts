import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { networkInterfaces } from 'node:os';
import Stripe from 'stripe';
import { expect } from 'vitest';
import type { DevServer } from '../src/index.js';

/** A visitor id in the tracker's format. */
export const VISITOR = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
export const OTHER_VISITOR = '0f8fad5b-d9cb-469f-a165-70867728950e';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers.
  json: any;
}

export interface CallOptions {
  method?: string;
  /** A value to send as JSON, or a string sent as is. */
  body?: unknown;
  /** The bearer credential; `null` sends no Authorization header. Default: the dev key. */
  key?: string | null;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  path?: string;
}

/** Calls the devserver over real HTTP and reads the whole answer. */
export async function call(dev: DevServer, options: CallOptions = {}): Promise<Reply> {
  const url = new URL(options.path ?? '/api/v1/payments', dev.url);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? dev.apiKey : options.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  Object.assign(headers, options.headers);
  const res = await fetch(url, { method: options.method ?? 'POST', headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** POSTs a payment (valid by default; `fields` override or add). */
export function post(
  dev: DevServer,
  fields: Record<string, unknown> = {},
  options: CallOptions = {},
) {
  return call(dev, {
    ...options,
    method: 'POST',
    body: { amount: 29.99, currency: 'USD', transaction_id: 'txn_1', ...fields },
  });
}

/** DELETEs with query parameters. */
export function del(dev: DevServer, query: Record<string, string>, options: CallOptions = {}) {
  return call(dev, { ...options, method: 'DELETE', query: { ...options.query, ...query } });
}

/** The error envelope for a status and a message. */
export function envelope(code: number, message: unknown = expect.any(String)) {
  return { status: 'error', error: { code, message } };
}

/**
 * One request over node:http with a chosen `Host` header (fetch can not set it), as a page on
 * another name that resolves to 127.0.0.1 (DNS rebinding) would send it.
 */
export function requestWithHost(
  dev: Pick<DevServer, 'url'>,
  path: string,
  host: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const { hostname, port } = new URL(dev.url);
  return send(
    {
      host: hostname,
      port,
      path,
      method: options.method ?? 'GET',
      headers: { ...options.headers, host },
    },
    options.body,
  );
}

/** The dashboard's event stream, read as text: wait for a pattern, read what came, close. */
export async function openEvents(dev: DevServer) {
  const controller = new AbortController();
  const res = await fetch(`${dev.url}/__devserver/events`, { signal: controller.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    /** Everything received so far. */
    text: () => buffer,
    /** Names of the events received so far, in order. */
    events: () => [...buffer.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]),
    async until(pattern: RegExp): Promise<void> {
      while (!pattern.test(buffer)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the event stream ended before ${pattern}`);
        buffer += decoder.decode(value, { stream: true });
      }
    },
    async close(): Promise<void> {
      controller.abort();
      await reader.cancel().catch(() => {});
    },
  };
}

/** An IPv4 address of this machine that is not loopback: the caller's side of the test. */
export function networkAddress(): string {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) return entry.address;
    }
  }
  throw new Error('this machine has no non-loopback IPv4 address; the test needs one to call from');
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request from `from` (the local address the connection starts at) to `to`. */
export function callFrom(
  from: string,
  to: string,
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return send({
    host: to,
    port,
    path,
    localAddress: from,
    method: options.method ?? 'GET',
    headers: options.headers,
  });
}

/** One request over node:http without an agent, its answer read as text. */
function send(options: RequestOptions, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ ...options, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        // An event stream never ends: its first bytes are enough to know it opened.
        if (res.headers['content-type']?.startsWith('text/event-stream')) res.destroy();
      });
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
      res.on('end', done);
      res.on('close', done);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The real `stripe` client pointed at the devserver's Stripe stand-in, without retries. */
export function stripeClient(dev: DevServer): Stripe {
  const api = new URL(dev.stripe.apiBase);
  return new Stripe(dev.stripe.secretKey, {
    host: api.hostname,
    port: Number(api.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
}
