import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../index.js';
import {
  type AppEnv,
  type ExampleApp,
  type RunningExample,
  resolveExample,
  startExample,
} from '../example.js';

/** Options of {@link describeCheckoutApi}. */
export interface CheckoutApiOptions {
  /**
   * Whether the app delivers a report still in flight before it exits on `SIGTERM` (its own
   * shutdown hook, or the adapter's). Default `true`.
   */
  flushesOnSigterm?: boolean;
}

/** What {@link describeCheckoutApi} started, for a file's own tests beside the suite's. */
export interface CheckoutApiSuite {
  readonly dev: DevServer;
  /** The app, at `http://127.0.0.1:<port>` (its `origin`). */
  readonly app: RunningExample;
  /** Starts another instance of the app on the suite's devserver, with `env` added; stop it. */
  start(env?: AppEnv): Promise<RunningExample>;
  /** POSTs `body` (JSON unless a string) to the checkout route of `target` (default the app). */
  checkout(
    body: unknown,
    headers?: Record<string, string>,
    target?: RunningExample,
  ): Promise<Response>;
}

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const otherVisitor = '6f1c2d3e-4f50-4b7d-8c62-0e4a8e9a575f';
const cookie = `datafast_visitor_id=${visitor}`;

/**
 * The contract's direct checkout, `POST /api/checkout` with JSON `{ amount, currency, email? }`,
 * as users run the app: it answers `{ transaction_id }` before DataFast does, reports the amount
 * charged for the visitor in the cookie (never one the body names), unattributed without a valid
 * cookie, answers 400 JSON `{ error }` for bad input and reports nothing then, and delivers a
 * report in flight before it exits on `SIGTERM`. The checkout page loads the tracker from the
 * app's own origin with payment detection off.
 *
 * Registers its hooks and tests where it is called; one instance of the app serves them.
 *
 * @example
 * const api = describeCheckoutApi({ command: process.execPath, args: ['server.js'], cwd: appDir })
 */
export function describeCheckoutApi(
  example: ExampleApp,
  options: CheckoutApiOptions = {},
): CheckoutApiSuite {
  const { routes } = resolveExample(example);
  let dev: DevServer;
  let app: RunningExample;
  const start = (env: AppEnv = {}) =>
    startExample(example, {
      env: { DATAFAST_API_KEY: dev.apiKey, DATAFAST_BASE_URL: dev.url, ...env },
    });
  const checkout = (
    body: unknown,
    headers: Record<string, string> = {},
    target: RunningExample = app,
  ) =>
    fetch(`${target.origin}${routes.checkout}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  /** The transaction id of a 200 answer, with the app's output when it is not one. */
  const transactionIdOf = async (response: Response, target: RunningExample = app) => {
    const text = await response.text();
    expect(response.status, `${text}\n--- app output:\n${target.output()}`).toBe(200);
    const { transaction_id } = JSON.parse(text) as { transaction_id?: unknown };
    expect(transaction_id).toEqual(expect.any(String));
    return transaction_id as string;
  };

  beforeAll(async () => {
    dev = await startDevServer();
    app = await start();
  });
  afterEach(() => {
    dev.setFaults({});
  });
  afterAll(async () => {
    await app?.stop();
    await dev?.close();
  });

  describe(`POST ${routes.checkout}`, () => {
    it('answers the transaction id and reports the payment for the visitor in the cookie', async () => {
      const response = await checkout(
        { amount: 29.99, currency: 'usd', email: 'ada@example.com' },
        { cookie },
      );

      const transactionId = await transactionIdOf(response);
      expect(await dev.waitForPayment(transactionId)).toMatchObject({
        amount: 29.99,
        currency: 'USD',
        email: 'ada@example.com',
        datafast_visitor_id: visitor,
      });
    });

    it('reports the amount charged, not the amount asked for', async () => {
      // The stand-in processor charges whole cents, as real ones do: 10.005 is charged as 10.01.
      const transactionId = await transactionIdOf(
        await checkout({ amount: 10.005, currency: 'USD' }),
      );

      expect((await dev.waitForPayment(transactionId)).amount).toBe(10.01);
    });

    it('attributes to the cookie visitor, whatever datafast_visitor_id the body carries', async () => {
      const response = await checkout(
        { amount: 10, currency: 'EUR', datafast_visitor_id: otherVisitor },
        { cookie },
      );

      const transactionId = await transactionIdOf(response);
      expect((await dev.waitForPayment(transactionId)).datafast_visitor_id).toBe(visitor);
    });

    it.each([
      ['no cookie', {}],
      ['a malformed cookie', { cookie: 'datafast_visitor_id=not-a-uuid' }],
    ])('reports the payment unattributed with %s', async (_name, headers) => {
      const transactionId = await transactionIdOf(
        await checkout({ amount: 5, currency: 'USD' }, headers),
      );

      expect((await dev.waitForPayment(transactionId)).datafast_visitor_id).toBeUndefined();
    });

    it('answers before the report reaches a slow DataFast, which then gets it', async () => {
      dev.setFaults({ latencyMs: 1_000 });
      const transactionId = await transactionIdOf(
        await checkout({ amount: 29.99, currency: 'USD' }, { cookie }),
      );

      expect(dev.payments().map((p) => p.transaction_id)).not.toContain(transactionId);
      expect((await dev.waitForPayment(transactionId)).datafast_visitor_id).toBe(visitor);
    });

    it('answers 400 JSON { error } for bad input, and reports nothing', async () => {
      const before = dev.requests().length;
      for (const body of [
        { currency: 'USD' },
        { amount: '29.99', currency: 'USD' },
        { amount: -5, currency: 'USD' },
        { amount: 29.99, currency: 'dollars' },
        { amount: 29.99, currency: 'USD', email: 42 },
        '{"amount": 29.99,',
      ]) {
        const response = await checkout(body, { cookie });
        const label = JSON.stringify(body);
        expect(response.status, label).toBe(400);
        expect(response.headers.get('content-type'), label).toMatch(/^application\/json/);
        expect(await response.json(), label).toEqual({ error: expect.any(String) });
      }

      // A good checkout after the bad ones is the marker: a report of bad input would have been
      // queued before it, so once the marker is stored it would be in the log too.
      const transactionId = await transactionIdOf(await checkout({ amount: 1, currency: 'USD' }));
      await dev.waitForPayment(transactionId);
      const received = dev.requests().slice(before);
      expect(received.map((r) => (r.body as { transaction_id?: string }).transaction_id)).toEqual([
        transactionId,
      ]);
    });
  });

  it('serves the checkout page with the tracker from its own origin, payment detection off', async () => {
    const response = await fetch(`${app.origin}${routes.page}`);
    const html = await response.text();

    expect(response.status).toBe(200);
    const tag = /<script[^>]*src="\/js\/script\.js"[^>]*>/.exec(html)?.[0];
    expect(tag, html).toBeDefined();
    expect(tag).toContain('data-disable-payments="true"');
    expect(html).not.toContain(dev.apiKey);
  });

  if (options.flushesOnSigterm !== false) {
    it('delivers a report still in flight before it exits on SIGTERM', async () => {
      const own = await start();
      try {
        dev.setFaults({ latencyMs: 1_000 });
        const transactionId = await transactionIdOf(
          await checkout({ amount: 12, currency: 'USD' }, { cookie }, own),
          own,
        );
        expect(dev.payments().map((p) => p.transaction_id)).not.toContain(transactionId);

        await own.stop('SIGTERM');

        // The app exits only after its flush, so the payment is stored by now.
        expect(dev.payments().find((p) => p.transaction_id === transactionId)).toMatchObject({
          datafast_visitor_id: visitor,
        });
      } finally {
        await own.stop('SIGKILL');
      }
    });
  }

  return {
    get dev() {
      return dev;
    },
    get app() {
      return app;
    },
    start,
    checkout,
  };
}
