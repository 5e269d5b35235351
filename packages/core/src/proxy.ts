// size: the tracker proxy's one handler: script cache, event forwarding, body cap and its option checks.
// A same-origin proxy for DataFast's tracker: the script and its events served from the site's
// own domain, so ad blockers that block datafa.st do not cost the visitor's attribution. Web
// standard (Request in, Response out) so that every adapter is a thin translation.
import { checkedBaseUrl, underBase } from './base-url.js';
import { configNumber, envFlag, readEnv } from './config.js';
import { DatafastConfigError, describeValue } from './errors.js';

export {
  type ClientIpConnection,
  type ClientIpOption,
  type ClientIpSource,
  clientIpFrom,
  clientIpResolver,
  defaultClientIpSource,
} from './client-ip.js';

/** Options of {@link createTrackerProxy}. Every one is optional. */
export interface TrackerProxyOptions {
  /**
   * Where DataFast is. Default: env `DATAFAST_BASE_URL`, else `https://datafa.st` (the devserver
   * in development). HTTPS unless loopback or `allowHttp`, as for the client.
   */
  baseUrl?: string;
  /** Allow a plain-http `baseUrl` on a non-loopback host. Default env `DATAFAST_ALLOW_HTTP`. */
  allowHttp?: boolean;
  /** The same-origin path that serves the script. Default `/js/script.js`. */
  scriptPath?: string;
  /**
   * The same-origin path the tracker posts its events to. Default `/api/events`; when your app
   * has its own route there, pick another and name it in the script tag's `data-api-url`.
   */
  eventsPath?: string;
  /** Per-request time limit toward DataFast. Default 10 000 ms. */
  timeoutMs?: number;
  /** Largest event body forwarded; larger ones get 413. Default 64 KiB. */
  maxBodyBytes?: number;
  /** The `fetch` to use; default the global one. */
  fetch?: typeof fetch;
}

/** Per request: what the adapter knows about the visitor's connection. */
export interface ProxyRequestInfo {
  /**
   * The visitor's IP as the framework sees it (Express `req.ip` under its `trust proxy`,
   * SvelteKit `getClientAddress()`), sent to DataFast as `x-datafast-real-ip` so that visitors
   * are not all placed in the server's city.
   */
  clientIp?: string;
}

/**
 * The proxy: `handle` answers requests for its two paths and resolves `undefined` for any other,
 * so an adapter can fall through to the app.
 */
export interface TrackerProxy {
  readonly scriptPath: string;
  readonly eventsPath: string;
  /** True when `pathname` is one of the proxy's paths. */
  matches(pathname: string): boolean;
  handle(request: Request, info?: ProxyRequestInfo): Promise<Response | undefined>;
}

interface CachedScript {
  body: string;
  headers: Headers;
  etag: string | null;
  lastModified: string | null;
  /** Fresh until then (ms since the epoch), from the upstream's Cache-Control or Expires. */
  freshUntil: number;
}

// setTimeout and AbortSignal.timeout take no more: a larger limit would throw at each request.
const maxTimerMs = 2_147_483_647;

// Headers the tracker's event needs, and nothing else: never the site's cookies, never an
// Authorization header, never the visitor's forwarding headers (the IP travels in its own).
const forwardedEventHeaders = ['content-type', 'user-agent', 'origin', 'referer'];
const keptResponseHeaders = ['content-type', 'cache-control', 'etag', 'last-modified', 'expires'];
const keptEventHeaders = ['content-type', 'cache-control'];

/**
 * Creates a proxy for DataFast's tracking script and events, to mount on the site's own origin.
 *
 * @example
 * const proxy = createTrackerProxy()
 * const response = await proxy.handle(request, { clientIp }) // undefined: not a proxy path
 */
export function createTrackerProxy(options: TrackerProxyOptions = {}): TrackerProxy {
  // Every option is checked here, so that a mistake fails where the proxy is created (the app's
  // start), never each request; only the DataFast address waits for the first request (below).
  if (typeof options !== 'object' || options === null) {
    throw new DatafastConfigError(
      `tracker proxy options must be an object (got ${describeValue(options)})`,
    );
  }
  const scriptPath = checkedPath('scriptPath', options.scriptPath ?? '/js/script.js');
  const eventsPath = checkedPath('eventsPath', options.eventsPath ?? '/api/events');
  if (scriptPath === eventsPath) {
    throw new DatafastConfigError(`scriptPath and eventsPath must differ (both ${scriptPath})`);
  }
  const timeoutMs = configNumber('timeoutMs', options.timeoutMs, 10_000, 1, maxTimerMs);
  const maxBodyBytes = configNumber(
    'maxBodyBytes',
    options.maxBodyBytes,
    64 * 1024,
    1,
    Number.MAX_SAFE_INTEGER,
    true,
  );
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new DatafastConfigError(
      `option fetch must be a function (got ${describeValue(options.fetch)})`,
    );
  }
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let upstream: { script: string; events: string } | undefined;
  let cached: CachedScript | undefined;
  let revalidating: Promise<CachedScript | undefined> | undefined;

  // Read at the first request, like the client, so env set after import is honoured.
  function endpoints(): { script: string; events: string } {
    if (upstream) return upstream;
    const base = checkedBase(options);
    upstream = { script: underBase(base, '/js/script.js'), events: underBase(base, '/api/events') };
    return upstream;
  }

  async function script(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed('GET, HEAD');
    const now = Date.now();
    if (cached && cached.freshUntil > now) return scriptResponse(cached, request);
    if (cached) {
      // Stale: the page gets the copy at once while a fresh one is fetched behind it.
      void refresh();
      return scriptResponse(cached, request);
    }
    const fetched = await refresh();
    if (fetched) return scriptResponse(fetched, request);
    return unreachable('the tracking script');
  }

  function refresh(): Promise<CachedScript | undefined> {
    revalidating ??= Promise.resolve()
      .then(fetchScript)
      .finally(() => {
        revalidating = undefined;
      });
    return revalidating;
  }

  async function fetchScript(): Promise<CachedScript | undefined> {
    const from = endpoints().script; // a configuration error throws, loudly
    const headers = new Headers();
    if (cached?.etag) headers.set('if-none-match', cached.etag);
    if (cached?.lastModified) headers.set('if-modified-since', cached.lastModified);
    try {
      const response = await doFetch(from, {
        headers,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'follow',
      });
      if (response.status === 304 && cached) {
        await response.body?.cancel();
        cached = { ...cached, freshUntil: freshUntil(response.headers) };
        return cached;
      }
      if (!response.ok) {
        await response.body?.cancel();
        return cached; // keep serving what we have
      }
      const body = await response.text();
      cached = {
        body,
        headers: pick(response.headers, keptResponseHeaders),
        etag: response.headers.get('etag'),
        lastModified: response.headers.get('last-modified'),
        freshUntil: freshUntil(response.headers),
      };
      return cached;
    } catch {
      return cached;
    }
  }

  async function events(request: Request, info: ProxyRequestInfo | undefined): Promise<Response> {
    if (request.method !== 'POST') return methodNotAllowed('POST');
    const to = endpoints().events;
    const declared = Number(request.headers.get('content-length') ?? Number.NaN);
    if (declared > maxBodyBytes) return tooLarge(maxBodyBytes);
    const headers = pick(request.headers, forwardedEventHeaders);
    const ip = info?.clientIp?.trim();
    if (ip && /^[0-9a-fA-F.:]+$/.test(ip)) headers.set('x-datafast-real-ip', ip);
    let body: ArrayBuffer;
    try {
      body = await readCapped(request, maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) return tooLarge(maxBodyBytes);
      return new Response(null, { status: 400 });
    }
    let response: Response;
    try {
      response = await doFetch(to, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
    } catch {
      return unreachable('the events endpoint');
    }
    return passOn(response);
  }

  return {
    scriptPath,
    eventsPath,
    matches: (pathname) => pathname === scriptPath || pathname === eventsPath,
    async handle(request, info) {
      const { pathname } = new URL(request.url);
      if (pathname === scriptPath) return script(request);
      if (pathname === eventsPath) return events(request, info);
      return undefined;
    },
  };
}

class BodyTooLarge extends Error {}

/** The body, refused as soon as it passes `limit` bytes: a slow huge upload is never buffered. */
async function readCapped(request: Request, limit: number): Promise<ArrayBuffer> {
  if (!request.body) return new ArrayBuffer(0);
  // A declared length within the cap (what browsers send): one read, checked after.
  if (request.headers.has('content-length')) {
    const whole = await request.arrayBuffer();
    if (whole.byteLength > limit) throw new BodyTooLarge();
    return whole;
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLarge();
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined.buffer;
}

// Statuses whose Response may not have a body: the constructor throws for any body with them.
const nullBodyStatuses = new Set([204, 205, 304]);

/**
 * The events endpoint's answer as it came, minus anything that would set state on the site's
 * origin (cookies) or describe DataFast's own connection. It is a few bytes: read whole. A
 * status no Response can carry (a 1xx, an opaque redirect's 0 on some runtimes) is a 502.
 */
async function passOn(response: Response): Promise<Response> {
  const { status } = response;
  if (status < 200 || status > 599 || nullBodyStatuses.has(status)) {
    await response.body?.cancel();
    if (status < 200 || status > 599) return unreachable('the events endpoint');
    return new Response(null, { status, headers: pick(response.headers, keptEventHeaders) });
  }
  let answer: ArrayBuffer;
  try {
    answer = await response.arrayBuffer();
  } catch {
    return unreachable('the events endpoint');
  }
  return new Response(answer, { status, headers: pick(response.headers, keptEventHeaders) });
}

function scriptResponse(script: CachedScript, request: Request): Response {
  const headers = new Headers(script.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'text/javascript; charset=utf-8');
  if (script.etag && request.headers.get('if-none-match') === script.etag) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(request.method === 'HEAD' ? null : script.body, { status: 200, headers });
}

/** When a response stops being fresh: `s-maxage`, else `max-age`, else `Expires`, else now. */
function freshUntil(headers: Headers): number {
  const control = headers.get('cache-control') ?? '';
  if (/\b(no-store|no-cache)\b/i.test(control)) return 0;
  const age = /\bs-maxage=(\d+)/i.exec(control) ?? /\bmax-age=(\d+)/i.exec(control);
  if (age) return Date.now() + Number(age[1]) * 1000;
  const expires = Date.parse(headers.get('expires') ?? '');
  return Number.isNaN(expires) ? 0 : expires;
}

function pick(headers: Headers, names: readonly string[]): Headers {
  const picked = new Headers();
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) picked.set(name, value);
  }
  return picked;
}

function methodNotAllowed(allow: string): Response {
  return new Response(null, { status: 405, headers: { allow } });
}

function tooLarge(limit: number): Response {
  return Response.json({ error: `event body over ${limit} bytes` }, { status: 413 });
}

function unreachable(what: string): Response {
  return Response.json(
    { error: `DataFast is unreachable: ${what} could not be fetched through the proxy` },
    { status: 502, headers: { 'cache-control': 'no-store' } },
  );
}

function checkedPath(name: string, path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/') || /[?#\s]/.test(path)) {
    throw new DatafastConfigError(
      `${name} must be a path starting with "/", without query or spaces (got ${describeValue(path)})`,
    );
  }
  return path;
}

function checkedBase(options: TrackerProxyOptions): URL {
  const env = readEnv();
  const raw = (options.baseUrl ?? env.DATAFAST_BASE_URL ?? '').trim() || 'https://datafa.st';
  const allowHttp = options.allowHttp ?? envFlag(env.DATAFAST_ALLOW_HTTP);
  return checkedBaseUrl(raw, allowHttp, () => {});
}
