import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkoutSession,
  getFreePort,
  invoice,
  type StripeStandIn,
  startApp,
  startExample,
  startStripeStandIn,
} from '../src/testing/index.js';

// `@datafast-checkout/devserver/testing`, as an app's own tests use it: real child processes,
// real sockets, the stand-in over HTTP.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devserver-testing-'));
  // An app as the examples are: reads PORT, answers HTTP, says something, flushes on SIGTERM.
  await writeFile(
    join(dir, 'app.mjs'),
    `import { createServer } from 'node:http';
const server = createServer((req, res) => res.end('hello ' + process.env.GREETING));
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
process.on('SIGTERM', () => { console.log('flushed'); process.exit(0); });
`,
  );
  // An app that says what it was started with, on the HOST it was given.
  await writeFile(
    join(dir, 'env.mjs'),
    `import { createServer } from 'node:http';
const { ORIGIN, HOST, SOURCE } = process.env;
const server = createServer((req, res) => res.end(JSON.stringify({ ORIGIN, HOST, SOURCE })));
server.listen(Number(process.env.PORT), HOST);
`,
  );
  await writeFile(
    join(dir, 'crash.mjs'),
    "console.error('missing DATAFAST_API_KEY'); process.exit(3);",
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('startApp', () => {
  it('starts the app on a free port with the given environment, and stops it with a signal', async () => {
    const app = await startApp({
      command: process.execPath,
      args: ['app.mjs'],
      cwd: dir,
      env: { GREETING: 'shop' },
    });
    expect(app.url).toBe(`http://127.0.0.1:${app.port}`);
    expect(await (await fetch(app.url)).text()).toBe('hello shop');

    expect(await app.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(app.output()).toContain('listening');
    expect(app.output()).toContain('flushed');
  });

  it('rejects with what the app printed when it exits before answering', async () => {
    await expect(
      startApp({ command: process.execPath, args: ['crash.mjs'], cwd: dir }),
    ).rejects.toThrow(/exited before it answered \(code 3\):\nmissing DATAFAST_API_KEY/);
  });
});

describe('startExample', () => {
  it("starts the app at the origin the tests open, its own env under the run's", async () => {
    const app = await startExample(
      {
        command: process.execPath,
        args: ['env.mjs'],
        cwd: dir,
        env: (origin) => ({ ORIGIN: origin, SOURCE: 'example' }),
      },
      { at: 'ipv6', env: { SOURCE: 'run' } },
    );
    try {
      expect(app.origin).toBe(`http://[::1]:${app.port}`);
      expect(await (await fetch(app.origin)).json()).toEqual({
        ORIGIN: app.origin,
        HOST: '::',
        SOURCE: 'run',
      });
    } finally {
      await app.stop();
    }
  });

  it('fails at once, saying to build, when the build output is missing', async () => {
    const example = { command: process.execPath, args: ['env.mjs'], cwd: dir };
    await expect(startExample({ ...example, buildOutput: 'build/index.js' })).rejects.toThrow(
      /is not built \(no build\/index\.js\): run `npm run build`/,
    );
  });
});

it('getFreePort answers a port that can be listened on', async () => {
  const port = await getFreePort();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise((resolve) => server.close(resolve));
  expect(port).toBeGreaterThan(0);
});

describe('the Stripe stand-in', () => {
  let standIn: StripeStandIn;
  const get = (path: string, key = 'sk_test_1') =>
    fetch(`${standIn.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    standIn = await startStripeStandIn();
  });
  afterAll(async () => {
    await standIn.close();
  });

  it('answers a stored Checkout Session, and looks it up by PaymentIntent', async () => {
    const session = checkoutSession();
    standIn.addSession(session);

    expect(await (await get(`/v1/checkout/sessions/${session.id}`)).json()).toEqual(session);
    const list = await get(`/v1/checkout/sessions?payment_intent=${session.payment_intent}`);
    expect(await list.json()).toMatchObject({ object: 'list', data: [session] });
  });

  it('lists a subscription’s paid invoices in both API shapes (the subscription under parent, or on the invoice)', async () => {
    const basil = invoice({ shape: 'basil', subscription: 'sub_listed' });
    const legacy = invoice(
      { shape: 'legacy', subscription: 'sub_listed' },
      { created: 1763900100 },
    );
    const other = invoice({ shape: 'basil', subscription: 'sub_other' });
    const unpaid = invoice({ shape: 'basil', subscription: 'sub_listed' }, { status: 'open' });
    for (const [pi, stored] of [
      ['pi_1', basil],
      ['pi_2', legacy],
      ['pi_3', other],
      ['pi_4', unpaid],
    ] as const) {
      standIn.addInvoicePayment(pi, stored as { id: string });
    }
    const list = await get('/v1/invoices?subscription=sub_listed&status=paid&limit=100');
    expect(((await list.json()) as { data: { id: string }[] }).data.map((i) => i.id)).toEqual([
      legacy.id,
      basil.id,
    ]);
  });

  it('pages a list as Stripe does: the real client’s auto-pagination, a created range, ending_before', async () => {
    const t0 = 1_780_000_000;
    const sessions = Array.from({ length: 5 }, (_, i) =>
      checkoutSession({ created: t0 + i * 60, metadata: { batch: 'paged' } }),
    );
    for (const session of sessions) standIn.put(session);
    const stripe = new Stripe('sk_test_1', { ...standIn.clientOptions, maxNetworkRetries: 0 });
    // created[gte] takes the first four, created[lt] leaves out the last: newest first, 2 a page.
    const listed = await stripe.checkout.sessions
      .list({ created: { gte: t0, lt: t0 + 240 }, limit: 2 })
      .autoPagingToArray({ limit: 100 });
    expect(listed.map((s) => s.id)).toEqual(
      sessions
        .slice(0, 4)
        .reverse()
        .map((s) => s.id),
    );
    const pages = standIn.requests.filter((r) => r.query['created[gte]'] === String(t0));
    expect(pages.map((r) => r.query.starting_after)).toEqual([undefined, sessions[2]?.id]);
    const before = await get(
      `/v1/checkout/sessions?created[gte]=${t0}&limit=2&ending_before=${sessions[1]?.id}`,
    );
    expect(await before.json()).toMatchObject({
      data: [{ id: sessions[3]?.id }, { id: sessions[2]?.id }],
      has_more: true,
    });
    expect((await get('/v1/checkout/sessions?created[gte]=yesterday')).status).toBe(400);
    expect((await get('/v1/checkout/sessions?starting_after=cs_test_unknown')).status).toBe(400);
  });

  it("answers Stripe's 404 and 401 envelopes, and 500 when told to fail", async () => {
    const missing = await get('/v1/checkout/sessions/cs_test_unknown');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'resource_missing' } });
    expect((await get('/v1/checkout/sessions/cs_test_unknown', 'sk_live_1')).status).toBe(401);

    standIn.failNext(1);
    expect((await get('/v1/checkout/sessions/cs_test_unknown')).status).toBe(500);
    expect(standIn.requests.at(-1)).toMatchObject({ authorization: 'Bearer sk_test_1' });
  });
});
