import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
  /** When the request arrived (ms since epoch). */
  at: number;
}

/** How the server answers one request. */
export type Behaviour =
  // `delayMs`: answered that long after it arrived (a slow DataFast).
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | { hang: true } // never answers
  | { stallBody: true } // sends headers, then never finishes the body
  | { reset: true }; // destroys the socket without an answer

/**
 * A scriptable API peer on 127.0.0.1: answers each request with the next scripted behaviour,
 * then with the default (a DataFast-shaped 200). Records every request and, like DataFast,
 * stores a POSTed payment once per transaction_id when it answers 2xx.
 */
export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  /** Transaction ids stored, once each. */
  stored: string[];
  /**
   * Transaction ids POSTed while another POST of the same id was still being answered (each
   * time it happened): two senders at the same moment.
   */
  overlapping: string[];
  /** Queue behaviours for the next requests, in order. */
  script(...behaviours: Behaviour[]): void;
  /** Forgets the requests and any behaviour a test scripted but did not use. */
  clear(): void;
  /** Resolves when the server has received `count` requests in total. */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const stored: string[] = [];
  const overlapping: string[] = [];
  const inFlight = new Map<string, number>();
  const queued: Behaviour[] = [];
  const sockets = new Set<Socket>();
  const waiters: Array<{ count: number; resolve: (r: RecordedRequest[]) => void }> = [];

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      json,
      at,
    };
    requests.push(recorded);
    const posted = (json as { transaction_id?: unknown } | undefined)?.transaction_id;
    if (req.method === 'POST' && typeof posted === 'string') {
      const count = inFlight.get(posted) ?? 0;
      if (count > 0) overlapping.push(posted);
      inFlight.set(posted, count + 1);
      res.on('close', () => inFlight.set(posted, (inFlight.get(posted) ?? 1) - 1));
    }
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(requests.slice());
    }

    const behaviour = queued.shift();
    if (behaviour && 'hang' in behaviour) return;
    if (behaviour && 'reset' in behaviour) {
      req.socket.destroy();
      return;
    }
    if (behaviour && 'stallBody' in behaviour) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"message":');
      return;
    }
    if (behaviour?.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    const status = behaviour?.status ?? 200;
    const transactionId = (json as { transaction_id?: string } | undefined)?.transaction_id;
    let answer = behaviour?.body;
    if (status >= 200 && status < 300 && req.method === 'POST' && transactionId) {
      const duplicate = stored.includes(transactionId);
      if (!duplicate) stored.push(transactionId);
      answer ??= {
        message: duplicate
          ? 'Duplicate transaction, skipped'
          : 'Payment recorded and attributed successfully',
        transaction_id: transactionId,
      };
    }
    res.writeHead(status, { 'content-type': 'application/json', ...behaviour?.headers });
    res.end(
      answer === undefined ? '' : typeof answer === 'string' ? answer : JSON.stringify(answer),
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stored,
    overlapping,
    script: (...behaviours) => queued.push(...behaviours),
    clear: () => {
      requests.length = 0;
      queued.length = 0;
      overlapping.length = 0;
    },
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve(requests.slice())
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The address of a port that nothing listens on (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * The test server of one test file: listening before its first test, request log cleared before
 * each test, closed after the last. Its fields are read from the running server at use time.
 */
export function useTestServer(): TestServer {
  let running: TestServer | undefined;
  beforeAll(async () => {
    running = await startTestServer();
  });
  beforeEach(() => {
    running?.clear();
  });
  afterAll(() => running?.close());
  return new Proxy({} as TestServer, {
    get(_, key) {
      if (!running) throw new Error('the test server starts in beforeAll; use it inside tests');
      return Reflect.get(running, key);
    },
  });
}
