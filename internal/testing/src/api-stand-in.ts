import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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
 * transactions, Dodo payments), on 127.0.0.1, so tests never reach the internet. It answers
 * what the test stored for a path (and, optionally, an exact query), 404 for anything else,
 * and 401 when `authorized` refuses the request's headers.
 */
export interface ApiStandIn {
  /** `http://127.0.0.1:<port>`: pass it as the helper's `apiBase`. */
  readonly url: string;
  /** Answers `GET path` (whose query includes `query`, when given) with `body`. */
  set(path: string, body: unknown, query?: Record<string, string>): void;
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
  const requests: ApiStandInRequest[] = [];
  const sockets = new Set<Socket>();
  let failures = 0;

  const server = createServer((req, res) => {
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
      if (route) send(200, route.body);
      else send(404, { error: 'not found' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (path, body, query = {}) => void routes.push({ path, query, body }),
    requests,
    failNext: (count) => {
      failures = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
