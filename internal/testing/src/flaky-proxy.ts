import { listenOnLoopback } from '../../../packages/devserver/src/testing/loopback.js';

/** How a {@link FlakyProxy} answers a request it fails. */
export type ProxyFault =
  /** An error status, with the API's usual JSON error body (and `Retry-After: 1` for a 429). */
  | { status: number }
  /** No answer at all: the request hangs until the client gives up (or the proxy closes). */
  | { hang: true };

/**
 * A provider API that fails on demand, on 127.0.0.1: it forwards every request to `target` (a
 * stand-in) unchanged, except the next ones it was told to fail, which get a 429, a 5xx or no
 * answer. Point a helper's `apiBase` (or a `stripe` client's `host`/`port`) at it to see what a
 * rate limit or a hung connection does to a lookup.
 */
export interface FlakyProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Fails the next `count` requests with `fault`. */
  failNext(count: number, fault: ProxyFault): void;
  /** How many requests it failed so far. */
  readonly failed: number;
  close(): Promise<void>;
}

/**
 * Starts a {@link FlakyProxy} in front of `target`.
 *
 * @example
 * const proxy = await startFlakyProxy(standIn.url); proxy.failNext(1, { status: 429 })
 */
export async function startFlakyProxy(target: string): Promise<FlakyProxy> {
  const faults: ProxyFault[] = [];
  let failed = 0;
  const server = await listenOnLoopback((req, res) => {
    const fault = faults.shift();
    if (fault) {
      failed++;
      req.resume();
      if ('hang' in fault) return; // never answered; closed with the proxy
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        ...(fault.status === 429 ? { 'retry-after': '1' } : {}),
      });
      res.end(JSON.stringify({ error: { message: `flaky proxy: ${fault.status}` } }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (name === 'host' || name === 'connection' || value === undefined) continue;
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(new URL(req.url ?? '/', target), { method: req.method, headers, body })
        .then(async (answer) => {
          const type = answer.headers.get('content-type');
          res.writeHead(answer.status, type ? { 'content-type': type } : {});
          res.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  return {
    url: server.url,
    port: server.port,
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    get failed() {
      return failed;
    },
    close: () => server.close(),
  };
}
