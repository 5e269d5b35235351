import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PaymentStore } from '../api/payment-store.js';

/**
 * Server-sent events for the dashboard (`GET /__devserver/events`). EventSource reconnects by
 * itself, and each connection starts with a full snapshot, so nothing is lost in between.
 */
export class EventStream {
  readonly #clients = new Set<ServerResponse>();
  #heartbeat: NodeJS.Timeout | undefined;

  /** Opens a stream and sends `snapshot` first. */
  open(req: IncomingMessage, res: ServerResponse, snapshot: unknown): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    this.#clients.add(res);
    req.on('close', () => this.#clients.delete(res));
    this.#send(res, 'snapshot', snapshot);
    // Comments keep idle proxies and the browser from giving up on a quiet stream.
    this.#heartbeat ??= setInterval(() => {
      for (const client of this.#clients) client.write(': keep-alive\n\n');
    }, 15_000).unref();
  }

  /** Sends one event to every open stream. */
  broadcast(event: string, data: unknown): void {
    for (const client of this.#clients) this.#send(client, event, data);
  }

  /** Ends every stream (on shutdown). */
  close(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  #send(res: ServerResponse, event: string, data: unknown): void {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}

/**
 * Forwards every change of the store to the dashboard's streams, each followed by the stats:
 * `payment`, `deleted`, `cleared`, and `restored` with the whole list (restored records go back
 * in their places, which the dashboard can not work out by itself).
 */
export function streamStoreChanges(
  store: PaymentStore,
  stream: EventStream,
  stats: () => unknown,
): void {
  store.subscribe((event) => {
    if (event.type === 'payment') stream.broadcast('payment', event.record);
    if (event.type === 'deleted') stream.broadcast('deleted', { records: event.records });
    if (event.type === 'restored') {
      stream.broadcast('restored', { records: event.records, payments: store.list() });
    }
    if (event.type === 'cleared') stream.broadcast('cleared', {});
    stream.broadcast('stats', stats());
  });
}
