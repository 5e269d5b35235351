import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlAccess } from '../control/access.js';
import type { HostPolicy } from '../control/hosts.js';
import { sendError, sendMethodNotAllowed } from './messages.js';

/** Answers one request; `url` is parsed already. */
export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/**
 * One entry of the route table.
 *
 * @example
 * { path: '/js/script.js', methods: ['GET', 'HEAD'], handle: sendTracker }
 */
export interface Route {
  /** An exact path, or a prefix ending in `/*` (which also matches the path without it). */
  path: string;
  /** The methods answered; others get 405 with `Allow`. Default: the handler decides. */
  methods?: readonly string[];
  /**
   * For pages and endpoints that show or change payments: answered only for a loopback, IP or
   * allowed `Host` (control/hosts.ts: a DNS-rebinding page must not reach them), and only to this machine
   * or a caller with the control token (control/access.ts: nor may anyone else on the network).
   */
  guarded?: boolean;
  handle: Handler;
}

function matches(route: Route, path: string): boolean {
  if (!route.path.endsWith('/*')) return route.path === path;
  const prefix = route.path.slice(0, -2);
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * Dispatches each request to the first route that matches its path; 404 with the error envelope
 * when none does.
 *
 * @example
 * const route = createRouter([{ path: '/api/v1/*', handle: api }], hosts, access);
 */
export function createRouter(routes: readonly Route[], hosts: HostPolicy, access: ControlAccess) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://devserver.invalid');
    } catch {
      sendError(res, 400, 'Malformed request URL');
      return;
    }
    const route = routes.find((r) => matches(r, url.pathname));
    if (!route) return sendError(res, 404, `Not found: ${url.pathname}`);
    if (route.guarded) {
      if (!hosts.allows(req.headers.host)) {
        return sendError(res, 403, hosts.refusal(req.headers.host));
      }
      const decision = access.decide(req, url);
      if (decision.kind === 'refused') {
        res.setHeader('WWW-Authenticate', 'Bearer realm="datafast-devserver"');
        return sendError(res, 401, decision.message);
      }
      if (decision.kind === 'login') {
        res.writeHead(303, {
          Location: decision.location,
          'Set-Cookie': decision.cookie,
          'Cache-Control': 'no-store',
        });
        res.end();
        return;
      }
    }
    if (route.methods && !route.methods.includes(req.method ?? 'GET')) {
      return sendMethodNotAllowed(res, route.methods);
    }
    await route.handle(req, res, url);
  };
}
