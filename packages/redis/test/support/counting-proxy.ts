import { createServer, type Server } from 'node:http';

/**
 * A proxy in front of the devserver that counts, per `transaction_id`, the POSTs in flight at
 * once: a report sent by two processes at the same moment shows as 2.
 */
export interface CountingProxy {
  url: string;
  /** The largest number of POSTs of one transaction_id that were in flight together. */
  maxConcurrent(): number;
  /** The transaction ids that were ever in flight twice at once. */
  overlapping(): string[];
  /** POSTs forwarded so far. */
  posts(): number;
  close(): Promise<void>;
}

/** Starts a {@link CountingProxy} on 127.0.0.1 forwarding to `target` (the devserver's URL). */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const inFlight = new Map<string, number>();
  const overlapping = new Set<string>();
  let max = 0;
  let posts = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let id: string | undefined;
    if (req.method === 'POST') {
      posts++;
      try {
        id = (JSON.parse(body.toString('utf8')) as { transaction_id?: string }).transaction_id;
      } catch {
        id = undefined;
      }
    }
    if (id !== undefined) {
      const now = (inFlight.get(id) ?? 0) + 1;
      inFlight.set(id, now);
      max = Math.max(max, now);
      if (now > 1) overlapping.add(id);
    }
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'connection') {
          headers.set(name, value);
        }
      }
      const answer = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      });
      const text = Buffer.from(await answer.arrayBuffer());
      const kept = [...answer.headers].filter(
        ([name]) => !/^(content-(length|encoding)|transfer-encoding|connection)$/i.test(name),
      );
      res.writeHead(answer.status, Object.fromEntries(kept));
      res.end(text);
    } catch {
      res.destroy();
    } finally {
      if (id !== undefined) inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    maxConcurrent: () => max,
    overlapping: () => [...overlapping],
    posts: () => posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
