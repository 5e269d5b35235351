// The visitor's IP for the tracker proxy, where the framework does not give one (Next.js): read
// only from what the visitor cannot write. `X-Real-IP` and the leftmost `X-Forwarded-For` entry
// come from the visitor behind proxies that append (nginx, AWS ALB) and under a bare `next
// start`; what a platform's edge sets, or the entry the nearest trusted proxy appended, does not.
// The same rule as Express's `trust proxy` and SvelteKit adapter-node's `XFF_DEPTH`.
import { readEnv } from './config.js';
import { DatafastConfigError, describeValue } from './errors.js';

/**
 * Where the visitor's IP is read from:
 * - `'vercel'`: `x-real-ip` (what `@vercel/functions`' `ipAddress()` reads), else
 *   `x-vercel-forwarded-for`; Vercel's edge sets both and overwrites what the visitor sent.
 * - `'netlify'`: Netlify's request context `ip`, else `x-nf-client-connection-ip`, set by
 *   Netlify's edge from the connection.
 * - `'cloudflare'`: `cf-connecting-ip`, set by Cloudflare's edge (in a Worker; on your own server
 *   behind Cloudflare only if it accepts connections from Cloudflare alone).
 * - `{ trustedProxies: n }`: `X-Forwarded-For` with `n` proxies of yours in front, each appending
 *   the address it saw (nginx's `$proxy_add_x_forwarded_for`): the entry the `n`-th nearest
 *   appended, so that what the visitor wrote further left is never read.
 * - `{ header: 'x-real-ip' }`: a header your own proxy sets, overwriting the visitor's (nginx's
 *   `proxy_set_header X-Real-IP $remote_addr`).
 * - `'none'`: no IP; DataFast then sees the server's address.
 *
 * @example
 * datafastProxy({ clientIp: { trustedProxies: 1 } }) // next start behind one nginx
 */
export type ClientIpSource =
  | 'vercel'
  | 'netlify'
  | 'cloudflare'
  | 'none'
  | { trustedProxies: number }
  | { header: string };

/**
 * The visitor's IP in `request` (a Web Request, or anything with its `headers`) by `source`, or `undefined` when it is not there (or, for
 * `trustedProxies`, when fewer proxies appended than that: then nothing trustworthy is).
 *
 * @example
 * clientIpFrom(request, 'cloudflare') // the cf-connecting-ip header
 */
export function clientIpFrom(
  request: { readonly headers: Headers },
  source: ClientIpSource,
): string | undefined {
  const headers = request.headers;
  const single = (name: string) => {
    const value = headers.get(name)?.trim();
    // A header the edge sets holds one address; a list was appended to, so it is not one.
    return value && !value.includes(',') ? withoutPort(value) : undefined;
  };
  if (source === 'none') return undefined;
  if (source === 'vercel') return single('x-real-ip') ?? single('x-vercel-forwarded-for');
  if (source === 'netlify') return netlifyContextIp() ?? single('x-nf-client-connection-ip');
  if (source === 'cloudflare') return single('cf-connecting-ip');
  if ('header' in source) return single(source.header);
  const entries = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = entries[entries.length - source.trustedProxies];
  return entry === undefined ? undefined : withoutPort(entry);
}

/** What an adapter's `clientIp` option takes: a {@link ClientIpSource}, or your own function. */
export type ClientIpOption = ClientIpSource | ((request: Request) => string | undefined);

/**
 * How an adapter whose framework knows the connection hands it to {@link clientIpResolver}: the
 * request's headers (where a named source is read) and the connection's own address.
 *
 * @example
 * const astro: ClientIpConnection<APIContext> = { request: (c) => c.request, address: (c) => c.clientAddress }
 */
export interface ClientIpConnection<Context> {
  /** The request of `context`, or anything holding its `headers` (h3's event). */
  request(context: Context): { readonly headers: Headers };
  /** The connection's remote address as the framework gives it; `undefined` where it has none. */
  address(context: Context): string | undefined;
  /** What to do where `address` gives none, said in the warning (e.g. how to pass it). */
  hint?: string;
}

/**
 * The function an adapter calls per request for the visitor's IP, from its `clientIp` option,
 * checked now (an invalid one throws a `DatafastConfigError` here, at start). Without one: env
 * `DATAFAST_TRUSTED_PROXIES=<n>` as `{ trustedProxies: n }` (set where the app is deployed, as
 * SvelteKit's `XFF_DEPTH`); else the platform's own source when the runtime is Vercel, Netlify
 * or Cloudflare Workers; else, given a `connection`, the connection's address as the framework
 * gives it (Hono on Node, h3, Astro's `clientAddress`); elsewhere no IP, said once through
 * `warn` at the first request, with how to name the proxies in front. Never a header the
 * visitor writes unless a source says a proxy or platform sets it.
 *
 * @example
 * const clientIp = clientIpResolver(options.clientIp, console.warn); clientIp(request)
 * const honoIp = clientIpResolver(options.clientIp, console.warn, { request: (c) => c.req.raw, address })
 */
export function clientIpResolver(
  option: ClientIpOption | undefined,
  warn: (message: string) => void,
): (request: Request) => string | undefined;
export function clientIpResolver<Context>(
  option: ClientIpSource | ((context: Context) => string | undefined) | undefined,
  warn: (message: string) => void,
  connection: ClientIpConnection<Context>,
): (context: Context) => string | undefined;
export function clientIpResolver<Context>(
  option: ClientIpSource | ((context: Context) => string | undefined) | undefined,
  warn: (message: string) => void,
  connection?: ClientIpConnection<Context>,
): (context: Context) => string | undefined {
  if (typeof option === 'function') return option;
  const source =
    option !== undefined ? checkedClientIpSource(option, 'clientIp') : defaultClientIpSource();
  if (source !== undefined) {
    if (connection === undefined) return (request) => clientIpFrom(request as Request, source);
    return (context) => clientIpFrom(connection.request(context), source);
  }
  let warned = false;
  return (context) => {
    const address = connection?.address(context);
    if (address === undefined && !warned) {
      warned = true;
      warn(noClientIpWarning(connection));
    }
    return address;
  };
}

/** The one warning where no IP can be sent: why, the adapter's hint, and how to name proxies. */
function noClientIpWarning(connection: ClientIpConnection<never> | undefined): string {
  const why = connection
    ? "the framework gives no connection address here, so no visitor IP is sent and DataFast places visitors at this server's address."
    : "nothing here says the visitor's IP in a way the visitor cannot forge, so none is sent and DataFast places visitors at this server's address.";
  return (
    `datafast tracker proxy: ${why}${connection?.hint ? ` ${connection.hint}` : ''} Behind ` +
    'proxies of your own, name them: DATAFAST_TRUSTED_PROXIES=1 or clientIp: { ' +
    'trustedProxies: 1 } for one nginx that appends to X-Forwarded-For, or clientIp: { ' +
    "header: 'x-real-ip' } for a header it sets; clientIp: 'none' keeps this as is, " +
    'silently. Per host: ' +
    'https://github.com/datafast-checkout/datafast-checkout/blob/main/docs/tracker-proxy.md'
  );
}

/**
 * The source an adapter reads when given none: env `DATAFAST_TRUSTED_PROXIES=<n>` as
 * `{ trustedProxies: n }`, else the platform's own (Vercel, Netlify, Cloudflare Workers), else
 * `undefined`: an adapter with a connection to read (Hono on Node) reads it then.
 *
 * @example
 * defaultClientIpSource() // 'cloudflare' in a Worker; undefined under a bare Node server
 */
export function defaultClientIpSource(): ClientIpSource | undefined {
  return trustedProxiesFromEnv() ?? detectedClientIpSource();
}

/**
 * The platform this code runs on, from the runtime itself (never from a request, which the
 * visitor writes): Vercel (`VERCEL=1`), Netlify (its `Netlify` global), Cloudflare Workers.
 *
 * @example
 * detectedClientIpSource() // 'vercel' on Vercel, undefined under a bare `next start`
 */
export function detectedClientIpSource(): 'vercel' | 'netlify' | 'cloudflare' | undefined {
  if (readEnv().VERCEL === '1') return 'vercel';
  if (typeof (globalThis as { Netlify?: unknown }).Netlify === 'object') return 'netlify';
  const agent = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent;
  if (agent === 'Cloudflare-Workers') return 'cloudflare';
  return undefined;
}

/**
 * `value` as a {@link ClientIpSource}, or a `DatafastConfigError` naming `name`: checked when
 * the proxy is created, not at each request.
 *
 * @example
 * checkedClientIpSource({ trustedProxies: 1 }, 'clientIp')
 */
export function checkedClientIpSource(value: unknown, name: string): ClientIpSource {
  if (value === 'vercel' || value === 'netlify' || value === 'cloudflare' || value === 'none') {
    return value;
  }
  const given = value as { trustedProxies?: unknown; header?: unknown } | null;
  if (typeof given === 'object' && given !== null) {
    const hops = given.trustedProxies;
    if (Number.isInteger(hops) && (hops as number) >= 1 && (hops as number) <= 100) {
      return { trustedProxies: hops as number };
    }
    if (typeof given.header === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(given.header)) {
      return { header: given.header.toLowerCase() };
    }
  }
  throw new DatafastConfigError(
    `${name} must be 'vercel', 'netlify', 'cloudflare', 'none', { trustedProxies: <1 to 100> }, { header: '<name>' } or a function (got ${describeValue(value)})`,
  );
}

/** `DATAFAST_TRUSTED_PROXIES` as a source, when set; a value that is not 1 to 100 is refused. */
function trustedProxiesFromEnv(): ClientIpSource | undefined {
  const raw = readEnv().DATAFAST_TRUSTED_PROXIES?.trim();
  if (!raw) return undefined;
  const hops = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(hops >= 1 && hops <= 100)) {
    throw new DatafastConfigError(
      `DATAFAST_TRUSTED_PROXIES must be the number of proxies in front of the app, 1 to 100 (got ${describeValue(raw)})`,
    );
  }
  return { trustedProxies: hops };
}

/** `203.0.113.7:5678` and `[2001:db8::1]:443` (as some proxies write them) without the port. */
function withoutPort(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1] as string;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  return v4WithPort ? (v4WithPort[1] as string) : address;
}

/** The IP in Netlify's per-request context (Functions and Edge Functions), when there is one. */
function netlifyContextIp(): string | undefined {
  const netlify = (globalThis as { Netlify?: { context?: { ip?: unknown } | null } }).Netlify;
  const ip = netlify?.context?.ip;
  return typeof ip === 'string' && ip ? ip : undefined;
}
