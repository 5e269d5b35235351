import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultDecision, FaultInjector } from '../faults.js';
import type { ServerLifecycle } from '../http/lifecycle.js';
import {
  decodeUtf8,
  errorEnvelope,
  type RequestBody,
  readBody,
  sendError,
  sendJson,
} from '../http/messages.js';
import { sleep } from '../http/timers.js';
import type { ResolvedConfig } from '../settings/config.js';
import { authenticate, bearerCredential } from './auth.js';
import type { PaymentStore } from './payment-store.js';
import { type ApiAnswer, type ApiContext, createPayment, deletePayments } from './payments.js';
import {
  loggableHeaders,
  type RequestLog,
  type RequestLogEntry,
  redactSecrets,
} from './request-log.js';
import { emptyRequestCounts, type RequestCounts } from './stats.js';

/** What the `/api/v1` pipeline works with. */
export interface ApiPipelineParts {
  config: ResolvedConfig;
  store: PaymentStore;
  log: RequestLog;
  faults: FaultInjector;
  lifecycle: ServerLifecycle;
  bodyLimit: number;
  /** Called when an entry is logged, and again with a log line once it is answered. */
  report(entry: RequestLogEntry, line?: string): void;
}

function loggableBody(body: RequestBody): unknown {
  if (body.size === 0) return undefined;
  if (body.tooLarge) return `[${body.size} bytes, over the body limit]`;
  const text = decodeUtf8(body.bytes);
  if (text === undefined) return `[${body.size} bytes, not UTF-8]`;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Every `/api/v1` request, in order: read the body, log it (credentials redacted), wait the
 * injected latency, apply a fault if one is due (before auth, like a failing proxy in front of
 * the API), authenticate, then create or delete, and answer. Counts what it sees.
 */
export class ApiPipeline {
  counts: RequestCounts = emptyRequestCounts();
  readonly #parts: ApiPipelineParts;
  readonly #secrets: string[];

  constructor(parts: ApiPipelineParts) {
    this.#parts = parts;
    const { websites, tokens } = parts.config;
    this.#secrets = [...websites.map((w) => w.apiKey), ...tokens.map((t) => t.token)];
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { config, store, faults, lifecycle, bodyLimit } = this.#parts;
    let body: RequestBody;
    try {
      body = await readBody(req, bodyLimit);
    } catch {
      return; // The client went away mid-body: nothing to answer.
    }
    const entry = this.#log(req, url, body);

    const latency = faults.latency();
    if (latency > 0) {
      entry.latencyMs = Math.round(latency);
      // Closing: close() tears the connection down.
      if (!(await sleep(latency, lifecycle.closing))) return;
    }

    const decision = faults.decide();
    if (decision.kind !== 'none') return this.#fault(decision, req, res, entry);

    const method = entry.method;
    if (url.pathname !== '/api/v1/payments') {
      return this.#answer(res, entry, {
        status: 404,
        body: errorEnvelope(404, `Not found: ${url.pathname}`),
      });
    }
    if (method !== 'POST' && method !== 'DELETE') {
      return this.#answer(res, entry, {
        status: 405,
        body: errorEnvelope(405, `Method ${method} not allowed; use POST, DELETE`),
        headers: { Allow: 'POST, DELETE' },
      });
    }
    const auth = authenticate(config, req.headers.authorization, url.searchParams.get('websiteId'));
    if (!auth.ok) {
      return this.#answer(res, entry, {
        status: auth.status,
        body: errorEnvelope(auth.status, auth.message),
      });
    }
    const ctx: ApiContext = { store, bodyLimit, now: () => new Date() };
    const answer =
      method === 'POST'
        ? await createPayment(ctx, auth.website, req.headers['content-type'], body)
        : await deletePayments(ctx, auth.website, url.searchParams);
    if (answer.deleted) this.counts.deleted += answer.deleted;
    if (answer.duplicate) {
      this.counts.duplicates += 1;
      entry.duplicate = true;
    }
    this.#answer(res, entry, answer);
  }

  #log(req: IncomingMessage, url: URL, body: RequestBody): RequestLogEntry {
    const secrets = [...this.#secrets];
    const presented = bearerCredential(req.headers.authorization);
    if (presented) secrets.push(presented);
    const entry = this.#parts.log.add({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: redactSecrets(Object.fromEntries(url.searchParams), secrets),
      headers: redactSecrets(loggableHeaders(req), secrets),
      body: redactSecrets(loggableBody(body), secrets),
      status: null,
      at: new Date().toISOString(),
    });
    this.counts.requests += 1;
    this.#parts.report(entry);
    return entry;
  }

  #answer(res: ServerResponse, entry: RequestLogEntry, answer: ApiAnswer): void {
    if (answer.status >= 400 && answer.status < 500) this.counts.rejected += 1;
    entry.status = answer.status;
    sendJson(res, answer.status, answer.body, answer.headers);
    const note = answer.duplicate ? ' (duplicate)' : '';
    this.#parts.report(entry, `${entry.method} ${entry.path} ${answer.status}${note}`);
  }

  #fault(
    decision: Exclude<FaultDecision, { kind: 'none' }>,
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
  ): void {
    this.counts.faulted += 1;
    entry.fault = decision.kind;
    const line = (what: string) => `${entry.method} ${entry.path} ${what} (fault)`;
    switch (decision.kind) {
      case 'drop':
        // A reset (RST), not a polite close: what a crashed peer or a load balancer does.
        req.socket.resetAndDestroy();
        this.#parts.report(entry, line('dropped'));
        return;
      case 'hang':
        this.#parts.lifecycle.hold(req.socket);
        this.#parts.report(entry, line('hanging'));
        return;
      case 'rate-limit':
        entry.status = 429;
        sendError(res, 429, 'Too many requests (injected by the devserver)', {
          'Retry-After': decision.retryAfter,
        });
        this.#parts.report(entry, line('429'));
        return;
      case 'failure':
        entry.status = decision.status;
        sendError(
          res,
          decision.status,
          `Injected failure: HTTP ${decision.status} (devserver fault)`,
        );
        this.#parts.report(entry, line(String(decision.status)));
        return;
    }
  }
}
