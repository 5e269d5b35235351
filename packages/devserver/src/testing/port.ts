import { createServer } from 'node:net';

/**
 * A TCP port that was free on 127.0.0.1 a moment ago (for apps that must be told their port).
 *
 * @example
 * const port = await getFreePort() // 41234
 */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
