import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';

// The dashboard and the control endpoints show payments (emails included) and can reset or fault
// the server. On 127.0.0.1 only this machine reaches them; listening on a network (`--host
// 0.0.0.0`, a container), anyone who can reach the port could. So they answer a caller on another
// address only with the control token: `Authorization: Bearer <token>`, or the cookie that
// opening `/?token=<token>` sets in a browser (the dashboard's own requests then carry it).

/** The environment variable the CLI reads the control token from (kept out of `ps`). */
export const CONTROL_TOKEN_ENV = 'DATAFAST_DEVSERVER_CONTROL_TOKEN';

const TOKEN = /^[A-Za-z0-9._~+/=-]{16,256}$/;

/** What a valid control token is, for error messages. */
export const CONTROL_TOKEN_RULE =
  '16 to 256 letters, digits or ._~+/=- (for example the output of `openssl rand -hex 24`)';

/** True when `token` is a usable control token: long enough to guess, safe in a cookie. */
export function isControlToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN.test(token);
}

/** True for an address on this machine's loopback: 127.0.0.0/8, ::1, or IPv4 127.x mapped to IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}

/** True for a `--host` that only this machine can reach: a loopback address or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

/** The decision on one request for a guarded route. */
export type AccessDecision =
  | { kind: 'allowed' }
  | { kind: 'refused'; message: string }
  /** A browser opened `/?token=`: set this cookie and send it back to `location`, token-free. */
  | { kind: 'login'; cookie: string; location: string };

/** Decides who, besides this machine, may use the dashboard and the control endpoints. */
export class ControlAccess {
  readonly #digest: Buffer | undefined;

  /** `token`: the control token, already checked with {@link isControlToken}; none: loopback only. */
  constructor(token?: string) {
    this.#digest = token === undefined ? undefined : digest(token);
  }

  /** Whether `req` (for the page or endpoint at `url`) may be answered. */
  decide(req: IncomingMessage, url: URL): AccessDecision {
    if (isLoopbackAddress(req.socket.remoteAddress)) return { kind: 'allowed' };
    const caller = req.socket.remoteAddress ?? 'an unknown address';
    if (!this.#digest) {
      return {
        kind: 'refused',
        message:
          `The dashboard and /__devserver answer only this machine, and this request comes from ` +
          `${caller}. To open them to other machines, start the devserver with --control-token ` +
          `<secret> (or ${CONTROL_TOKEN_ENV}), then open /?token=<secret> in the browser or send ` +
          'Authorization: Bearer <secret>.',
      };
    }
    const cookieName = `datafast_devserver_${req.socket.localPort ?? ''}`;
    const presented = [bearer(req.headers.authorization), cookie(req.headers.cookie, cookieName)];
    if (presented.some((token) => token !== undefined && this.#matches(token))) {
      return { kind: 'allowed' };
    }
    const fromQuery = url.searchParams.get('token');
    const isPage = (req.method === 'GET' || req.method === 'HEAD') && isPagePath(url.pathname);
    if (isPage && fromQuery !== null && this.#matches(fromQuery)) {
      url.searchParams.delete('token');
      return {
        kind: 'login',
        cookie: `${cookieName}=${fromQuery}; Path=/; HttpOnly; SameSite=Strict`,
        location: `${url.pathname}${url.search}`,
      };
    }
    return {
      kind: 'refused',
      message:
        `Missing or wrong control token (this request comes from ${caller}): open ` +
        '/?token=<the --control-token> in the browser, or send Authorization: Bearer <token>.',
    };
  }

  #matches(token: string): boolean {
    return this.#digest !== undefined && timingSafeEqual(digest(token), this.#digest);
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function isPagePath(path: string): boolean {
  return path === '/' || path === '/index.html';
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
