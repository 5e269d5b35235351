import { randomUUID } from 'node:crypto';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatafast, datafast, getDatafast, isCronAuthorized } from '../src/index.js';
import { listen } from './helpers/shop.js';

const secret = randomUUID();
let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());

describe('a drain route, as the README writes it', () => {
  it('refuses callers without the cron secret, and drains for the scheduler', async () => {
    const client = createDatafast({
      apiKey: dev.apiKey,
      baseUrl: dev.url,
      backoff: { initialDelayMs: 5, maxDelayMs: 20 },
      logger: { warn() {}, error() {} },
    });
    const app = express();
    app.use(express.json());
    app.use(datafast(client));
    app.post('/checkout', (req, res) => {
      getDatafast(req).track({ amount: 9, currency: 'USD', transaction_id: req.body.id });
      res.json({ ok: true });
    });
    app.post('/cron/datafast-drain', async (req, res) => {
      if (!isCronAuthorized(req.get('authorization'), secret)) return res.status(401).end();
      res.json(await client.drain({ timeMs: 300 }));
    });
    const server = await listen(app);
    try {
      // DataFast is down while three checkouts are answered.
      dev.setFaults({ failureRate: 1, failureStatus: 503 });
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of ids) {
        await fetch(`${server.url}/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id }),
        });
      }
      const drain = (authorization?: string) =>
        fetch(`${server.url}/cron/datafast-drain`, {
          method: 'POST',
          headers: authorization ? { authorization } : {},
        });
      expect((await drain()).status).toBe(401);
      expect((await drain(`Bearer ${secret.slice(1)}`)).status).toBe(401);
      // Still down: without an outbox the drain waits for what this process holds, within its
      // budget, and counts those it keeps retrying.
      const answer = await drain(`Bearer ${secret}`);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ delivered: 0, retried: 3, gaveUp: 0, remaining: 0 });
      expect(dev.payments()).toEqual([]);
    } finally {
      await server.close();
      await client.shutdown(100);
    }
  });
});
