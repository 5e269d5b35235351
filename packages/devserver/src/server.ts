import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type ApiAnswer, type ApiContext, createPayment, deletePayments } from './api.js';
import { authenticate, bearerCredential } from './auth.js';
import { type DevServerConfig, type ResolvedConfig, resolveConfig } from './config.js';
import { CONTROL_PREFIX, handleControl } from './control.js';
import { dashboardHtml } from './dashboard.js';
import { DevServerConfigError } from './errors.js';
import { EventStream } from './events.js';
import { type FaultDecision, FaultInjector, type Faults, parseFaults } from './faults.js';
import {
  DEFAULT_BODY_LIMIT,
  decodeUtf8,
  errorEnvelope,
  type RequestBody,
  readBody,
  sendError,
  sendJson,
  sendMethodNotAllowed,
  sendText,
} from './http.js';
import { DataFile } from './persistence.js';
import { loggableHeaders, RequestLog, type RequestLogEntry, redactSecrets } from './requests.js';
import { type PaymentRecord, PaymentStore } from './store.js';
import { trackerScript } from './tracker.js';

/**
 * Options for `startDevServer()`: the config (websites, tokens, faults) plus how to run.
 *
 * @example
 * const dev = await startDevServer({ faults: { failNext: { count: 1 } } });
 */
export interface DevServerOptions extends DevServerConfig {
  /** Port to listen on; default 0 (an ephemeral port). */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Persist payments to this JSON file (atomic writes); default in memory only. */
  dataFile?: string;
  /** No console output; default `true`. The CLI sets it to `false`. */
  quiet?: boolean;
  /** The `df_` key of the generated website when `websites` is empty; default random. */
  apiKey?: string;
  /** Largest accepted request body in bytes; default 1 MiB. Larger bodies get 413. */
  bodyLimit?: number;
  /** Where log lines go when not quiet; default `console.log`. Lines never contain a credential. */
  log?: (line: string) => void;
}

/**
 * Counters since start or the last reset.
 *
 * @example
 * expect(dev.stats()).toMatchObject({ payments: 1, duplicates: 1 });
 */
export interface DevServerStats {
  /** Stored records of every kind. */
  payments: number;
  refunds: number;
  renewals: number;
  trials: number;
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

/** Which stored payment `waitForPayment` waits for: a `transaction_id` or a predicate. */
export type PaymentMatcher = string | ((payment: PaymentRecord) => boolean);

/**
 * A running devserver.
 *
 * @example
 * const dev = await startDevServer(); await fetch(`${dev.url}/api/v1/payments`, { ... }); await dev.close();
 */
export interface DevServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:54321`; use it as the client's `baseUrl`. */
  readonly url: string;
  readonly port: number;
  /** The first website's `df_` key (the generated one when no website is configured). */
  readonly apiKey: string;
  /** The first website's id. */
  readonly websiteId: string;
  /** Stored payments, oldest first (copies). */
  payments(): PaymentRecord[];
  /** Every `/api/v1` request received, including faulted and rejected ones; credentials redacted. */
  requests(): RequestLogEntry[];
  /**
   * Resolves with the first stored payment that matches, already stored or arriving later;
   * rejects after `timeoutMs` (default 5000) or when the server closes.
   */
  waitForPayment(match: PaymentMatcher, options?: { timeoutMs?: number }): Promise<PaymentRecord>;
  stats(): DevServerStats;
  /** Clears payments, the request log, counters and faults; resolves once persisted. */
  reset(): Promise<void>;
  /** Replaces the fault settings; `setFaults({})` clears them. Throws a `TypeError` when invalid. */
  setFaults(faults: Faults): void;
  /** The current fault settings (`failNext.count` is what is left). */
  faults(): Faults;
  /** Stops listening, closes every connection (hanging ones too), flushes the data file. */
  close(): Promise<void>;
}

function emptyStats(): Omit<DevServerStats, 'payments' | 'refunds' | 'renewals' | 'trials'> {
  return { duplicates: 0, deleted: 0, requests: 0, rejected: 0, faulted: 0 };
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

function formatUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

class RunningDevServer implements DevServer {
  url = '';
  port = 0;
  readonly apiKey: string;
  readonly websiteId: string;

  readonly #config: ResolvedConfig;
  readonly #store: PaymentStore;
  readonly #log = new RequestLog();
  readonly #faults: FaultInjector;
  readonly #events = new EventStream();
  readonly #server: Server;
  readonly #bodyLimit: number;
  readonly #print: (line: string) => void;
  readonly #shutdown = new AbortController();
  readonly #hanging = new Set<Socket>();
  readonly #secrets: string[];
  #counters = emptyStats();
  #closing: Promise<void> | undefined;

  constructor(config: ResolvedConfig, store: PaymentStore, options: DevServerOptions) {
    this.#config = config;
    this.#store = store;
    this.#faults = new FaultInjector(config.faults);
    this.#bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const quiet = options.quiet ?? true;
    this.#print = quiet ? () => {} : (options.log ?? ((line) => console.log(line)));
    const first = config.websites[0] as ResolvedConfig['websites'][number];
    this.apiKey = first.apiKey;
    this.websiteId = first.id;
    this.#secrets = [...config.websites.map((w) => w.apiKey), ...config.tokens.map((t) => t.token)];
    this.#server = createServer((req, res) => {
      this.#route(req, res).catch((error: unknown) => {
        this.#print(`devserver: internal error: ${(error as Error)?.message ?? String(error)}`);
        if (!res.headersSent) sendError(res, 500, 'Internal devserver error');
        else res.destroy();
      });
    });
    store.subscribe((event) => {
      if (event.type === 'payment') this.#events.broadcast('payment', event.record);
      if (event.type === 'deleted') this.#events.broadcast('deleted', { records: event.records });
      if (event.type === 'cleared') this.#events.broadcast('cleared', {});
      this.#events.broadcast('stats', this.stats());
    });
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    this.url = formatUrl(host, this.port);
  }

  payments(): PaymentRecord[] {
    return this.#store.list();
  }

  requests(): RequestLogEntry[] {
    return this.#log.list();
  }

  stats(): DevServerStats {
    const stats = { payments: 0, refunds: 0, renewals: 0, trials: 0, ...this.#counters };
    for (const r of this.#store.values()) {
      stats.payments += 1;
      if (r.refunded) stats.refunds += 1;
      if (r.renewal) stats.renewals += 1;
      if (r.is_free_trial) stats.trials += 1;
    }
    return stats;
  }

  waitForPayment(
    match: PaymentMatcher,
    options: { timeoutMs?: number } = {},
  ): Promise<PaymentRecord> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const matches =
      typeof match === 'string' ? (r: PaymentRecord) => r.transaction_id === match : match;
    const described = typeof match === 'string' ? `transaction_id "${match}"` : 'the predicate';
    const found = this.#store.list().find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        this.#shutdown.signal.removeEventListener('abort', onClose);
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `waitForPayment: no payment matching ${described} arrived within ${timeoutMs} ms ` +
              `(${this.#store.size} stored, ${this.#log.list().length} API requests received)`,
          ),
        );
      }, timeoutMs);
      const onClose = () => {
        done();
        reject(
          new Error(
            `waitForPayment: the devserver closed before a payment matching ${described} arrived`,
          ),
        );
      };
      const unsubscribe = this.#store.subscribe((event) => {
        if (event.type === 'payment' && matches(event.record)) {
          done();
          resolve(event.record);
        }
      });
      if (this.#shutdown.signal.aborted) onClose();
      else this.#shutdown.signal.addEventListener('abort', onClose);
    });
  }

  async reset(): Promise<void> {
    this.#log.clear();
    this.#counters = emptyStats();
    this.#faults.set({});
    this.#store.clear();
    this.#events.broadcast('faults', {});
    await this.#store.persist();
  }

  setFaults(faults: Faults): void {
    this.#faults.set(parseFaults(faults));
    this.#events.broadcast('faults', this.#faults.get());
  }

  faults(): Faults {
    return this.#faults.get();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#shutdown.abort();
      this.#events.close();
      for (const socket of this.#hanging) socket.destroy();
      await new Promise<void>((resolve) => {
        this.#server.close(() => resolve());
        this.#server.closeAllConnections();
      });
      await this.#store.flush();
    })();
    return this.#closing;
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://devserver.invalid');
    } catch {
      sendError(res, 400, 'Malformed request URL');
      return;
    }
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/api/v1' || path.startsWith('/api/v1/')) return this.#api(req, res, url);
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
      return handleControl(
        {
          payments: () => this.payments(),
          requests: () => this.requests(),
          stats: () => this.stats(),
          faults: () => this.faults(),
          setFaults: (f) => this.setFaults(f),
          reset: () => this.reset(),
          websites: () => this.#config.websites.map(({ id, domain }) => ({ id, domain })),
          openEvents: (rq, rs) => this.#events.open(rq, rs, this.#snapshot()),
          bodyLimit: this.#bodyLimit,
        },
        req,
        res,
        url,
      );
    }
    if (path === '/' || path === '/index.html') {
      if (method !== 'GET' && method !== 'HEAD') return sendMethodNotAllowed(res, ['GET', 'HEAD']);
      return sendText(res, 200, 'text/html; charset=utf-8', dashboardHtml());
    }
    if (path === '/js/script.js') {
      if (method !== 'GET' && method !== 'HEAD') return sendMethodNotAllowed(res, ['GET', 'HEAD']);
      return sendText(res, 200, 'text/javascript; charset=utf-8', trackerScript(), {
        'Access-Control-Allow-Origin': '*',
      });
    }
    sendError(res, 404, `Not found: ${path}`);
  }

  #snapshot() {
    return {
      payments: this.payments(),
      requests: this.#log.list().slice(-30),
      stats: this.stats(),
      faults: this.faults(),
      websites: this.#config.websites.map(({ id, domain }) => ({ id, domain })),
    };
  }

  async #api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let body: RequestBody;
    try {
      body = await readBody(req, this.#bodyLimit);
    } catch {
      return; // The client went away mid-body: nothing to answer.
    }
    const method = req.method ?? 'GET';
    const secrets = [...this.#secrets];
    const presented = bearerCredential(req.headers.authorization);
    if (presented) secrets.push(presented);
    const entry = this.#log.add({
      method,
      path: url.pathname,
      query: redactSecrets(Object.fromEntries(url.searchParams), secrets),
      headers: redactSecrets(loggableHeaders(req), secrets),
      body: redactSecrets(loggableBody(body), secrets),
      status: null,
      at: new Date().toISOString(),
    });
    this.#counters.requests += 1;
    this.#events.broadcast('request', entry);

    const latency = this.#faults.latency();
    if (latency > 0) {
      entry.latencyMs = Math.round(latency);
      const waited = await this.#sleep(latency);
      if (!waited) return; // Closing: close() tears the connection down.
    }

    const decision = this.#faults.decide();
    if (decision.kind !== 'none') return this.#fault(decision, req, res, entry);

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
    const auth = authenticate(
      this.#config,
      req.headers.authorization,
      url.searchParams.get('websiteId'),
    );
    if (!auth.ok) {
      return this.#answer(res, entry, {
        status: auth.status,
        body: errorEnvelope(auth.status, auth.message),
      });
    }
    const ctx: ApiContext = {
      store: this.#store,
      bodyLimit: this.#bodyLimit,
      now: () => new Date(),
    };
    const answer =
      method === 'POST'
        ? await createPayment(ctx, auth.website, req.headers['content-type'], body)
        : await deletePayments(ctx, auth.website, url.searchParams);
    if (answer.deleted) this.#counters.deleted += answer.deleted;
    if (answer.duplicate) {
      this.#counters.duplicates += 1;
      entry.duplicate = true;
    }
    this.#answer(res, entry, answer);
  }

  #answer(res: ServerResponse, entry: RequestLogEntry, answer: ApiAnswer): void {
    if (answer.status >= 400 && answer.status < 500) this.#counters.rejected += 1;
    entry.status = answer.status;
    sendJson(res, answer.status, answer.body, answer.headers);
    const note = answer.duplicate ? ' (duplicate)' : '';
    this.#finish(entry, `${entry.method} ${entry.path} ${answer.status}${note}`);
  }

  #fault(
    decision: Exclude<FaultDecision, { kind: 'none' }>,
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
  ): void {
    this.#counters.faulted += 1;
    entry.fault = decision.kind;
    switch (decision.kind) {
      case 'drop':
        // A reset (RST), not a polite close: what a crashed peer or a load balancer does.
        req.socket.resetAndDestroy();
        this.#finish(entry, `${entry.method} ${entry.path} dropped (fault)`);
        return;
      case 'hang': {
        const socket = req.socket;
        this.#hanging.add(socket);
        socket.once('close', () => this.#hanging.delete(socket));
        this.#finish(entry, `${entry.method} ${entry.path} hanging (fault)`);
        return;
      }
      case 'rate-limit':
        entry.status = 429;
        sendError(res, 429, 'Too many requests (injected by the devserver)', {
          'Retry-After': decision.retryAfter,
        });
        this.#finish(entry, `${entry.method} ${entry.path} 429 (fault)`);
        return;
      case 'failure':
        entry.status = decision.status;
        sendError(
          res,
          decision.status,
          `Injected failure: HTTP ${decision.status} (devserver fault)`,
        );
        this.#finish(entry, `${entry.method} ${entry.path} ${decision.status} (fault)`);
        return;
    }
  }

  #finish(entry: RequestLogEntry, line: string): void {
    this.#events.broadcast('request', entry);
    this.#events.broadcast('stats', this.stats());
    this.#print(line);
  }

  /** Waits, unless the server closes first; resolves `false` then. */
  #sleep(ms: number): Promise<boolean> {
    const signal = this.#shutdown.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

const OPTION_KEYS = [
  'websites',
  'tokens',
  'faults',
  'port',
  'host',
  'dataFile',
  'quiet',
  'apiKey',
  'bodyLimit',
  'log',
];

/**
 * Starts a devserver. With no websites configured it creates one (`dev.apiKey`,
 * `dev.websiteId`). Listens on an ephemeral port of 127.0.0.1 unless told otherwise.
 *
 * @example
 * const dev = await startDevServer(); // then createDatafast({ apiKey: dev.apiKey, baseUrl: dev.url })
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  // Plain JavaScript callers get no type check: a misspelt option must not be silently ignored.
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new DevServerConfigError(`startDevServer options: unknown property "${key}"`);
    }
  }
  const config = resolveConfig(
    { websites: options.websites, tokens: options.tokens, faults: options.faults },
    {
      source: 'startDevServer options',
      ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    },
  );
  const file = options.dataFile ? new DataFile(options.dataFile) : undefined;
  const initial = file ? await file.load() : [];
  const store = new PaymentStore(file, initial);
  const server = new RunningDevServer(config, store, options);
  await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return server;
}
