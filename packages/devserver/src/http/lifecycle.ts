import { setMaxListeners } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorEnvelope, sendError } from './messages.js';

function formatUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/**
 * The HTTP server's life: listening, the sockets a `hang` fault holds open, and a close that
 * ends everything (hanging connections and event streams too). `closing` aborts first, so that
 * waits in progress (latency, `waitForPayment`) stop at once.
 */
export class ServerLifecycle {
  url = '';
  port = 0;
  readonly #server: Server;
  readonly #shutdown = new AbortController();
  readonly #held = new Set<Socket>();
  #closing: Promise<void> | undefined;

  /** Serves every request with `handle`; an error it throws is a 500 (or a reset socket). */
  constructor(
    handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
    print: (line: string) => void,
  ) {
    // Every delayed request and every waitForPayment listens for close() on this one signal: many
    // at once is its purpose, not a leak (each removes its listener when it is done).
    setMaxListeners(0, this.#shutdown.signal);
    this.#server = createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        print(`devserver: internal error: ${(error as Error)?.message ?? String(error)}`);
        if (!res.headersSent) sendError(res, 500, 'Internal devserver error');
        else res.destroy();
      });
    });
    this.#server.on('clientError', answerUnparsable);
  }

  /** Aborts when `close()` begins. */
  get closing(): AbortSignal {
    return this.#shutdown.signal;
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

  /** Keeps a connection open without answering, until `close()` destroys it. */
  hold(socket: Socket): void {
    this.#held.add(socket);
    socket.once('close', () => this.#held.delete(socket));
  }

  /** Stops listening and ends every connection; then runs `finish` (the last write). */
  close(finish: () => Promise<void>): Promise<void> {
    this.#closing ??= (async () => {
      this.#shutdown.abort();
      for (const socket of this.#held) socket.destroy();
      await new Promise<void>((resolve) => {
        this.#server.close(() => resolve());
        this.#server.closeAllConnections();
      });
      await finish();
    })();
    return this.#closing;
  }
}

/**
 * Requests Node's parser refuses before any handler sees them (an unknown method, a malformed
 * header, headers over 16 KB) get the API's error envelope too, not Node's bare status line.
 */
function answerUnparsable(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message =
    status === 431
      ? 'Request header fields too large'
      : 'Malformed HTTP request: it could not be parsed';
  const body = JSON.stringify(errorEnvelope(status, message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\nConnection: close\r\n\r\n' +
      body,
  );
}
