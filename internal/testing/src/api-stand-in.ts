import { listenOnLoopback } from '../../../packages/devserver/src/testing/loopback.js';
import { type ListStyle, listAnswer } from './list-endpoints.js';

/** One request an {@link ApiStandIn} received. */
export interface ApiStandInRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A local stand-in for the few GET endpoints of a provider's REST API that the payment-link
 * helpers read (LemonSqueezy orders, Polar orders, Paddle transactions, Creem checkouts and
 * transactions, Dodo payments) and the list endpoints the backfill reads, on 127.0.0.1, so
 * tests never reach the internet. It answers what the test stored for a path (and, optionally,
 * an exact query), else the path's list, 404 for anything else, and 401 when `authorized`
 * refuses the request's headers.
 */
export interface ApiStandIn {
  /** `http://127.0.0.1:<port>`: pass it as the helper's `apiBase`. */
  readonly url: string;
  /** Answers `GET path` (whose query includes `query`, when given) with `body`. */
  set(path: string, body: unknown, query?: Record<string, string>): void;
  /**
   * Answers `GET path` as the provider's list endpoint over `objects` (oldest first): its
   * pagination, its time filters, and its other query parameters as field filters (see
   * `list-endpoints.ts`). Replaces an earlier list of the same path.
   */
  list(path: string, objects: Array<Record<string, unknown>>, style: ListStyle): void;
  /** Every request received, oldest first. */
  readonly requests: ApiStandInRequest[];
  /** Answers the next `count` requests with a 500 (the provider's API being down). */
  failNext(count: number): void;
  close(): Promise<void>;
}

/**
 * Starts an {@link ApiStandIn} on an ephemeral port.
 *
 * @example
 * const api = await startApiStandIn((headers) => headers['x-api-key'] === key); api.set('/v1/checkouts', checkout, { checkout_id: 'ch_1' })
 */
export async function startApiStandIn(
  authorized: (headers: ApiStandInRequest['headers']) => boolean = () => true,
): Promise<ApiStandIn> {
  const routes: Array<{ path: string; query: Record<string, string>; body: unknown }> = [];
  const lists = new Map<string, { objects: Array<Record<string, unknown>>; style: ListStyle }>();
  const requests: ApiStandInRequest[] = [];
  let failures = 0;

  const server = await listenOnLoopback((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const query = Object.fromEntries(url.searchParams);
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query,
        headers: req.headers,
      });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (!authorized(req.headers)) return send(401, { error: 'unauthorized' });
      if (failures > 0) {
        failures--;
        return send(500, { error: 'stand-in failure (failNext)' });
      }
      // The newest route wins, so a test can replace what an id answers.
      const route = [...routes]
        .reverse()
        .find(
          (candidate) =>
            req.method === 'GET' &&
            candidate.path === url.pathname &&
            Object.entries(candidate.query).every(([name, value]) => query[name] === value),
        );
      const list = req.method === 'GET' ? lists.get(url.pathname) : undefined;
      if (route) send(200, route.body);
      else if (list) send(...listAnswer(list.style, list.objects, query));
      else send(404, { error: 'not found' });
    });
  });
  return {
    url: server.url,
    set: (path, body, query = {}) => void routes.push({ path, query, body }),
    list: (path, objects, style) => void lists.set(path, { objects, style }),
    requests,
    failNext: (count) => {
      failures = count;
    },
    close: () => server.close(),
  };
}
