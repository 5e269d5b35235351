import { randomUUID } from 'node:crypto';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatafast, datafast, isCronAuthorized } from '../src/index.js';
import { listen, majors } from './helpers/fastify.js';

const secret = randomUUID();
let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer();
});
afterAll(() => dev.close());

describe.each(majors)('a drain route, as the README writes it, in $name', ({ fastify }) => {
  it('refuses callers without the cron secret, and drains for the scheduler', async () => {
    const client = createDatafast({
      apiKey: dev.apiKey,
      baseUrl: dev.url,
      backoff: { initialDelayMs: 5, maxDelayMs: 20 },
      logger: { warn() {}, error() {} },
    });
    const app = fastify();
    await app.register(datafast(client), { closeTimeoutMs: 100 });
    app.post('/checkout', async (request) => {
      const { id } = request.body as { id: string };
      request.datafast.track({ amount: 9, currency: 'USD', transaction_id: id });
      return { ok: true };
    });
    app.post('/cron/datafast-drain', async (request, reply) => {
      if (!isCronAuthorized(request.headers.authorization, secret)) return reply.code(401).send();
      return client.drain({ timeMs: 300 });
    });
    const url = await listen(app);
    try {
      // DataFast is down while three checkouts are answered.
      dev.setFaults({ failureRate: 1, failureStatus: 503 });
      for (const id of [randomUUID(), randomUUID(), randomUUID()]) {
        await fetch(`${url}/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id }),
        });
      }
      const drain = (authorization?: string) =>
        fetch(`${url}/cron/datafast-drain`, {
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
      await app.close();
      dev.reset();
    }
  });
});
