import { listenOnLoopback } from '../../../packages/devserver/src/testing/loopback.js';

/**
 * A pass-through proxy in front of DataFast (a devserver) that sees every `POST` of a payment
 * while it is open: two POSTs of one `transaction_id` open at the same moment mean two senders
 * delivered one report side by side, what a shared outbox's leases rule out.
 */
export interface OverlapProxy {
  /** `http://127.0.0.1:<port>`: give it to the apps as `DATAFAST_BASE_URL`. */
  readonly url: string;
  readonly port: number;
  /** POSTs seen, per `transaction_id`. */
  readonly posts: ReadonlyMap<string, number>;
  /**
   * Each time a POST arrived while another POST of the same `transaction_id` was still open
   * (not yet answered, nor abandoned by its client): the id, and the senders of the open POSTs
   * (the last one is the new POST's), as their `senderHeader` named them.
   */
  readonly overlapping: readonly Overlap[];
  close(): Promise<void>;
}

/** Two or more POSTs of one report open at once, and who sent them. */
export interface Overlap {
  id: string;
  senders: string[];
}

/**
 * Starts an {@link OverlapProxy} forwarding everything to `target` unchanged (status, body and the
 * headers a client reads: `content-type`, `retry-after`); when `target` cannot be reached it
 * answers 502. Each POST's sender is the value of its `senderHeader` (a test's clients add it).
 *
 * @example
 * const proxy = await startOverlapProxy(dev.url); ...; expect(proxy.overlapping).toEqual([])
 */
export async function startOverlapProxy(
  target: string,
  senderHeader = 'x-sender',
): Promise<OverlapProxy> {
  const posts = new Map<string, number>();
  // The senders of each transaction_id's open POSTs.
  const open = new Map<string, string[]>();
  const overlapping: Overlap[] = [];
  const server = await listenOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const id = req.method === 'POST' ? transactionIdOf(body) : undefined;
      let answered = () => {};
      if (id !== undefined) {
        posts.set(id, (posts.get(id) ?? 0) + 1);
        const sender = String(req.headers[senderHeader] ?? '');
        const senders = open.get(id) ?? [];
        if (senders.length > 0) overlapping.push({ id, senders: [...senders, sender] });
        senders.push(sender);
        open.set(id, senders);
        // Closed once the answer is written, or when the client gave up on it (its timeout):
        // whichever comes first. Not at the answer's 'close' event alone, which a busy event
        // loop may run after the client already read the answer and sent its retry.
        let closed = false;
        const close = () => {
          if (closed) return;
          closed = true;
          senders.splice(senders.indexOf(sender), 1);
          if (senders.length === 0) open.delete(id);
        };
        res.on('close', close);
        answered = close;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (name === 'host' || name === 'connection' || value === undefined) continue;
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      fetch(new URL(req.url ?? '/', target), { method: req.method, headers, body })
        .then(async (answer) => {
          const passed: Record<string, string> = {};
          for (const name of ['content-type', 'retry-after']) {
            const value = answer.headers.get(name);
            if (value !== null) passed[name] = value;
          }
          const payload = Buffer.from(await answer.arrayBuffer());
          answered();
          res.writeHead(answer.status, passed);
          res.end(payload);
        })
        .catch(() => {
          answered();
          if (!res.headersSent) res.writeHead(502);
          res.end();
        });
    });
  });
  return {
    url: server.url,
    port: server.port,
    posts,
    overlapping,
    close: () => server.close(),
  };
}

function transactionIdOf(body: Buffer | undefined): string | undefined {
  try {
    const id = (JSON.parse(String(body)) as { transaction_id?: unknown }).transaction_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
