import { createServer, type Server } from 'node:http';

/**
 * A proxy in front of the devserver that watches, per `transaction_id`, the POSTs in flight at
 * once and which process sent each (the `x-sender` header the test apps add): a report sent by
 * two processes at the same moment shows up in {@link CountingProxy.sentByTwo}.
 */
export interface CountingProxy {
  url: string;
  /** Transaction ids that two different processes had in flight at the same moment. */
  sentByTwo(): string[];
  /**
   * Transaction ids that one process had in flight twice: an attempt that timed out on the
   * client while the server still worked on it, then its retry (at least once, by design).
   */
  resentByOne(): string[];
  /** POSTs forwarded so far. */
  posts(): number;
  close(): Promise<void>;
}

/** Starts a {@link CountingProxy} on 127.0.0.1 forwarding to `target` (the devserver's URL). */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const inFlight = new Map<string, string[]>();
  const sentByTwo = new Set<string>();
  const resentByOne = new Set<string>();
  let posts = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const sender = String(req.headers['x-sender'] ?? 'unknown');
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
      const senders = inFlight.get(id) ?? [];
      if (senders.some((other) => other !== sender)) sentByTwo.add(id);
      if (senders.includes(sender)) resentByOne.add(id);
      senders.push(sender);
      inFlight.set(id, senders);
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
      if (id !== undefined) {
        const senders = inFlight.get(id) ?? [];
        senders.splice(senders.indexOf(sender), 1);
        if (senders.length === 0) inFlight.delete(id);
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    sentByTwo: () => [...sentByTwo],
    resentByOne: () => [...resentByOne],
    posts: () => posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
