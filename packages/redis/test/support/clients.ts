import { Redis as Ioredis } from 'ioredis';
import { createClient } from 'redis';

/** A connected client of one of the two drivers this package is tested with, and how to close it. */
export interface DriverClient {
  client: unknown;
  close(): Promise<void>;
}

/** The drivers, each connected to `url` the way its README shows. */
export const drivers: Array<{ name: string; connect(url: string): Promise<DriverClient> }> = [
  {
    name: 'node-redis 5',
    async connect(url) {
      const client = createClient({ url });
      // An unreachable server is reported on 'error' (and reconnected); without a listener
      // node-redis would throw it as an uncaught error.
      client.on('error', () => {});
      await client.connect();
      return { client, close: () => client.destroy() as unknown as Promise<void> };
    },
  },
  {
    name: 'ioredis',
    async connect(url) {
      const client = new Ioredis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      client.on('error', () => {});
      await client.connect();
      return {
        client,
        close: async () => {
          client.disconnect();
        },
      };
    },
  },
];
