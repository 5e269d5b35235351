/** Name of the cookie DataFast's tracker sets for each browser (a UUID, kept a year). */
export const VISITOR_COOKIE = 'datafast_visitor_id';
/** Name of the cookie DataFast's tracker sets for each session (`s` + a UUID, 30 minutes). */
export const SESSION_COOKIE = 'datafast_session_id';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where a visitor id can be read from: a `Request` (or anything with `headers.get`), a `Headers`,
 * a Node-style request (`headers.cookie`, and `cookies` when cookie-parser or Next's Pages Router
 * already parsed them), the raw `Cookie` header, or nothing. Structural types, so requests from
 * other realms (edge VMs, undici copies) and frameworks work too.
 */
export type CookieSource =
  | string
  | { get(name: string): string | null }
  | { headers: { get(name: string): string | null } }
  | NodeRequestLike
  | null
  | undefined;

/** The part of a Node, Express or Next.js Pages Router request that holds cookies. */
export interface NodeRequestLike {
  headers: { cookie?: string | string[] | undefined };
  /** Already parsed and decoded cookies (cookie-parser, Next.js); used before the raw header. */
  cookies?: Record<string, unknown>;
}

/** The visitor id in its canonical form (lower case), or `undefined` when it is not a UUID. */
export function normalizeVisitorId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return uuidPattern.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

/**
 * Reads the DataFast visitor id from a request's cookies. Returns the id only when it is a valid
 * UUID (lower-cased), else `undefined`: a missing or malformed cookie means an unattributed
 * payment, never an error.
 *
 * @example
 * const visitorId = getVisitorId(request) // 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd' | undefined
 */
export function getVisitorId(source: CookieSource): string | undefined {
  return normalizeVisitorId(cookieOf(source, VISITOR_COOKIE));
}

/**
 * Reads the DataFast session id (`s` followed by a UUID, lower-cased) from a request's cookies.
 *
 * @example
 * getSessionId('datafast_session_id=s3ab2331-989f-4cfa-91c6-2461c9e3c6bd') // 's3ab2331-…'
 */
export function getSessionId(source: CookieSource): string | undefined {
  const value = cookieOf(source, SESSION_COOKIE)?.trim();
  if (!value || (value[0] !== 's' && value[0] !== 'S')) return undefined;
  const id = normalizeVisitorId(value.slice(1));
  return id && `s${id}`;
}

/** The value of cookie `name` in any {@link CookieSource}. */
function cookieOf(source: CookieSource, name: string): string | undefined {
  if (source != null && typeof source === 'object' && 'cookies' in source) {
    const parsed = (source.cookies as Record<string, unknown> | null | undefined)?.[name];
    if (typeof parsed === 'string') return parsed;
  }
  return readCookie(cookieHeaderOf(source), name);
}

/**
 * The raw `Cookie` header of a request, headers object or string; `undefined` for anything else
 * (plain JavaScript callers may pass anything: reading a visitor never throws).
 */
export function cookieHeaderOf(source: CookieSource): string | undefined {
  if (typeof source === 'string') return source;
  if (typeof source !== 'object' || source === null) return undefined;
  if ('get' in source && typeof source.get === 'function') return text(source.get('cookie'));
  const headers = 'headers' in source ? (source.headers as unknown) : undefined;
  if (typeof headers !== 'object' || headers === null) return undefined;
  if ('get' in headers && typeof headers.get === 'function') return text(headers.get('cookie'));
  const raw = (headers as { cookie?: unknown }).cookie;
  return Array.isArray(raw)
    ? text(raw.filter((part) => typeof part === 'string').join('; '))
    : text(raw);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The value of the first cookie called `name` in a `Cookie` header, unquoted and URL-decoded.
 * Pairs are split on `;` and names trimmed, as browsers send them. It searches for the name
 * itself rather than splitting every pair (a shop's header holds a dozen cookies, and this runs
 * per request), and stays linear in the header's length whatever it holds.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || !name) return undefined;
  let from = 0;
  for (;;) {
    const at = header.indexOf(name, from);
    if (at === -1) return undefined;
    from = at + 1;
    // A match is a pair's name when only blanks separate it from the pair's start and its `=`.
    let before = at - 1;
    while (before >= 0 && isBlank(header[before] as string)) before--;
    if (before >= 0 && header[before] !== ';') continue;
    let eq = at + name.length;
    while (eq < header.length && isBlank(header[eq] as string)) eq++;
    if (header[eq] !== '=') continue;
    const end = header.indexOf(';', eq);
    return decodeCookieValue(header.slice(eq + 1, end === -1 ? undefined : end).trim());
  }
}

/** What `String#trim` removes (a name is compared as trimmed); ASCII first, as headers are. */
const isBlank = (char: string) =>
  char === ' ' || (char >= '\t' && char <= '\r') || (char > '\x7f' && /\s/.test(char));

function decodeCookieValue(raw: string): string {
  const unquoted =
    raw.length >= 2 && raw[0] === '"' && raw[raw.length - 1] === '"' ? raw.slice(1, -1) : raw;
  if (!unquoted.includes('%')) return unquoted;
  try {
    return decodeURIComponent(unquoted);
  } catch {
    return unquoted;
  }
}

/**
 * Why a request yields no visitor id, in words for a debug log: no `Cookie` header, no
 * `datafast_visitor_id` cookie, or a cookie that is not a UUID. `undefined` when it has one.
 */
export function missingVisitorReason(source: CookieSource): string | undefined {
  const value = cookieOf(source, VISITOR_COOKIE);
  if (normalizeVisitorId(value) !== undefined) return undefined;
  if (value !== undefined) {
    return `the ${VISITOR_COOKIE} cookie is not a UUID (${JSON.stringify(value.slice(0, 40))})`;
  }
  if (!cookieHeaderOf(source)) {
    return 'the request has no Cookie header (tracker not loaded, blocked, or cookieless mode)';
  }
  return `the request has cookies but no ${VISITOR_COOKIE} (tracker not loaded or blocked, or the cookie is set for another domain)`;
}
