import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** An HTTP server a test started on 127.0.0.1. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends every connection, kept-alive ones too. */
  close(): Promise<void>;
}

/**
 * Serves `handle` on an ephemeral port of 127.0.0.1, for the stand-ins of providers' APIs: a
 * close that does not wait for clients' kept-alive connections.
 *
 * @example
 * const server = await listenOnLoopback((req, res) => res.end('ok')); await server.close()
 */
export async function listenOnLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
