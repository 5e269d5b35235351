import { fileURLToPath } from 'node:url';
import { type DevServer, startDevServer } from '@datafast-checkout/devserver';
import { type RunningApp, startApp } from '@datafast-checkout/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// flushOnShutdown (core's, re-exported here) on a real @hono/node-server process: its signal
// semantics are covered in depth by packages/express/test/shutdown.test.ts; this proves the Hono
// export and middleware compose with it as users run them.
const appFile = fileURLToPath(new URL('./fixtures/node-app.mjs', import.meta.url));
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
let dev: DevServer;
let app: RunningApp | undefined;

beforeAll(async () => {
  dev = await startDevServer();
});
afterEach(async () => {
  await app?.stop('SIGKILL');
  app = undefined;
});
afterAll(() => dev?.close());

describe('flushOnShutdown on @hono/node-server', () => {
  it('delivers a report still in flight at SIGTERM, attributed, then exits by that signal', async () => {
    app = await startApp({
      command: process.execPath,
      args: [appFile],
      cwd: fileURLToPath(new URL('./fixtures/', import.meta.url)),
      env: { DATAFAST_API_KEY: dev.apiKey, DATAFAST_BASE_URL: dev.url },
    });
    dev.setFaults({ latencyMs: 1_500 });
    const response = await fetch(`${app.url}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `datafast_visitor_id=${visitor}` },
      body: JSON.stringify({ transaction_id: 'ch_hono_pending_at_sigterm' }),
    });
    expect(await response.json()).toEqual({ visitorId: visitor });
    const stored = () =>
      dev.payments().find((payment) => payment.transaction_id === 'ch_hono_pending_at_sigterm');
    expect(stored()).toBeUndefined();

    const exit = await app.stop('SIGTERM');

    // Re-raised after the flush: the process ends as an unhandled SIGTERM would, and the payment
    // was recorded before it did. Without flushOnShutdown, SIGTERM ends it at once, unreported.
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(stored()).toMatchObject({ amount: 29.99, datafast_visitor_id: visitor });
    expect(app.output()).not.toContain('onError');
  });
});
