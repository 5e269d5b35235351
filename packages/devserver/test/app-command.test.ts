import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from '../src/settings/flags.js';
import { getFreePort } from '../src/testing/port.js';
import { killRunning, printed, run } from './cli-process.js';

// `datafast-devserver [options] -- <app command>`: the one command behind a starter's `npm run
// dev`. The app below reports a payment the way an app does (DATAFAST_BASE_URL and
// DATAFAST_API_KEY from its environment), at start and again when SIGTERM asks it to stop.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devserver-app-command-'));
  await writeFile(
    join(dir, 'app.mjs'),
    `const report = (id) =>
  fetch(process.env.DATAFAST_BASE_URL + '/api/v1/payments', {
    method: 'POST',
    headers: { authorization: 'Bearer ' + process.env.DATAFAST_API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 29.99, currency: 'USD', transaction_id: id }),
  }).then((res) => console.log('app: reported ' + id + ' ' + res.status));
const [mode, code] = process.argv.slice(2);
await report('at-start');
if (mode === 'exit') process.exit(Number(code));
process.on('SIGTERM', () => report('on-sigterm').then(() => process.exit(0)));
console.log('app: waiting');
setInterval(() => {}, 1000);
`,
  );
});
afterEach(killRunning);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const dataOf = async (file: string) =>
  (JSON.parse(await readFile(file, 'utf8')) as { payments: Array<{ transaction_id: string }> })
    .payments;

describe('datafast-devserver -- <app command>', () => {
  it('runs the app with DATAFAST_BASE_URL and DATAFAST_API_KEY, and stops with its exit code', async () => {
    const data = join(dir, 'exit.json');
    const r = run(
      ['--port', '0', '--data', data, '--', process.execPath, 'app.mjs', 'exit', '3'],
      dir,
    );

    expect(await r.exit).toBe(3);
    expect(r.output()).toContain('app: reported at-start 200');
    expect(r.output()).toMatch(/Running\s+\S+ app\.mjs exit 3/);
    expect(r.output()).toContain('exited (code 3)');
    expect((await dataOf(data)).map((p) => p.transaction_id)).toEqual(['at-start']);
  });

  it('passes SIGTERM on to the app and stays up until the app has flushed and exited', async () => {
    const data = join(dir, 'sigterm.json');
    const r = run(['--port', '0', '--data', data, '--', process.execPath, 'app.mjs'], dir);
    await printed(r, /app: waiting/);

    r.child.kill('SIGTERM');

    expect(await r.exit).toBe(0);
    expect(r.output()).toContain('app: reported on-sigterm 200');
    expect((await dataOf(data)).map((p) => p.transaction_id)).toEqual(['at-start', 'on-sigterm']);
  });

  it('says so and exits 127 when the command does not exist', async () => {
    const r = run(['--port', '0', '--', 'no-such-app-command-here'], dir);
    expect(await r.exit).toBe(127);
    expect(r.output()).toContain('could not run no-such-app-command-here: command not found');
  });

  it('passes the Stripe variables it prints, and the stand-in pays the app through them', async () => {
    // An app as a starter is one: its webhook verified by the real `stripe` package with the
    // STRIPE_WEBHOOK_SECRET it was given, on the PORT it was given.
    await writeFile(
      join(dir, 'stripe-app.mjs'),
      `import { createServer } from 'node:http';
import Stripe from ${JSON.stringify(import.meta.resolve('stripe'))};
for (const name of ['PORT', 'ORIGIN', 'STRIPE_API_BASE', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_PAYMENT_LINK_URL'])
  console.log('app: ' + name + '=' + process.env[name]);
createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', async () => {
    try {
      const event = await Stripe.webhooks.constructEventAsync(body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
      console.log('app: verified ' + event.type + ' ' + event.data.object.client_reference_id);
      res.end('{}');
    } catch (error) {
      console.log('app: refused ' + error.message);
      res.writeHead(400).end();
    }
  });
}).listen(Number(process.env.PORT), () => console.log('app: listening'));
process.on('SIGTERM', () => process.exit(0));
`,
    );
    const config = join(dir, 'stripe-config.json');
    await writeFile(
      config,
      JSON.stringify({
        stripe: {
          webhookUrl: '/api/webhooks/stripe',
          paymentLinks: [
            {
              name: 'Pro plan',
              unitAmount: 2999,
              currency: 'usd',
              successUrl: '/success?session_id={CHECKOUT_SESSION_ID}',
            },
          ],
        },
      }),
    );
    const port = await getFreePort();
    const r = run(
      [
        ...['--port', '0', '--config', config, '--app-url', `http://localhost:${port}`],
        ...['--', process.execPath, 'stripe-app.mjs'],
      ],
      dir,
      { PORT: '', ORIGIN: '' },
    );
    await printed(r, /app: listening/);

    // Every Stripe line of the banner reached the app, and the app listens where they point.
    for (const name of ['STRIPE_API_BASE', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']) {
      const printedValue = new RegExp(`^  ${name}=(\\S+)$`, 'm').exec(r.output())?.[1];
      expect(printedValue, name).toBeDefined();
      expect(r.output()).toContain(`app: ${name}=${printedValue}`);
    }
    expect(r.output()).toContain(`app: PORT=${port}`);
    expect(r.output()).toContain(`app: ORIGIN=http://localhost:${port}`);
    expect(r.output()).toMatch(
      new RegExp(`Webhooks\\s+http://localhost:${port}/api/webhooks/stripe`),
    );
    const link = /app: STRIPE_PAYMENT_LINK_URL=(\S+)/.exec(r.output())?.[1] as string;
    expect(link).toMatch(/\/buy\/plink_pro_plan$/);

    const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
    const paid = await fetch(link, {
      method: 'POST',
      body: new URLSearchParams({ client_reference_id: visitor, email: 'ada@example.com' }),
      redirect: 'manual',
    });
    expect(paid.headers.get('location')).toMatch(
      new RegExp(`^http://localhost:${port}/success\\?session_id=cs_test_\\w+$`),
    );
    await printed(r, new RegExp(`app: verified checkout.session.completed ${visitor}`));
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
  });

  it('passes no Stripe variable, and prints none, to an app whose config has no Stripe', async () => {
    const r = run(['--port', '0', '--', process.execPath, 'app.mjs', 'exit', '0'], dir);
    expect(await r.exit).toBe(0);
    expect(r.output()).not.toMatch(/STRIPE_|Stripe API/);
  });

  it('gives everything after -- to the app, flags included, and refuses a bare --', () => {
    expect(parseFlags(['-p', '0', '--', 'next', 'dev', '--port', '3001'])).toMatchObject({
      port: 0,
      appCommand: ['next', 'dev', '--port', '3001'],
    });
    expect(parseFlags(['-p', '0']).appCommand).toBeUndefined();
    expect(() => parseFlags(['--'])).toThrow(UsageError);
  });
});
