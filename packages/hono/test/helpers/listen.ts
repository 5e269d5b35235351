import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** A Hono app listening on 127.0.0.1 through `@hono/node-server`, as users run it on Node. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: any app, whatever its variables
export function listen(app: Hono<any>): Promise<Listening> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((closed) => server.close(() => closed())),
      });
    });
  });
}
