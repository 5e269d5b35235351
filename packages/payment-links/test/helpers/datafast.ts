import { createDatafast, type Datafast } from '@datafast-checkout/core';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A devserver for the suite, reset before each test, and a client pointed at it. */
export function suiteDevServer(): { dev: DevServer; client: Datafast } {
  const context = {} as { dev: DevServer; client: Datafast };
  beforeAll(async () => {
    context.dev = await startDevServer();
    context.client = createDatafast({
      apiKey: context.dev.apiKey,
      baseUrl: context.dev.url,
      backoff: { initialDelayMs: 5, maxDelayMs: 20 },
      logger: { warn() {}, error() {} },
    });
  });
  beforeEach(async () => {
    // Deliveries a previous test left in the background must not land in this one.
    await context.client.flush(5000);
    await context.dev.reset();
  });
  afterAll(async () => {
    await context.dev?.close();
  });
  return context;
}
