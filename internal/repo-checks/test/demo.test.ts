import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';

// `pnpm demo` (scripts/demo.mjs, run here without its build step: the test task builds first)
// wires the Express example to the devserver's Stripe stand-in: what the printed URLs promise
// works over HTTP, the way the README's demo walk-through does it in a browser.

const DEMO = fileURLToPath(new URL('../../../scripts/demo.mjs', import.meta.url));
const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
let demo: ChildProcess | undefined;

afterEach(async () => {
  if (demo && demo.exitCode === null && demo.signalCode === null) {
    demo.kill('SIGTERM');
    await new Promise((resolve) => demo?.once('exit', resolve));
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

it('prints the newsletter link and a payment link whose webhook reaches the example, signed', async () => {
  const port = await freePort();
  demo = spawn(process.execPath, [DEMO], {
    env: { ...process.env, PORT: String(port), DEVSERVER_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const printed = new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Ctrl-C to stop')) resolve();
    };
    demo?.stdout?.on('data', read);
    demo?.stderr?.on('data', read);
    demo?.once('exit', () => reject(new Error(`the demo exited:\n${output}`)));
  });
  await printed;
  const url = (label: string) => new RegExp(`${label}\\s+(http://\\S+)`).exec(output)?.[1] ?? '';
  expect(url('from a newsletter')).toBe(`http://127.0.0.1:${port}/?utm_source=newsletter`);
  const dashboard = url('dashboard');
  const link = url('payment link');
  expect(link).toMatch(/\/buy\/plink_demo_pro$/);

  // The checkout page offers the payment link; paying it returns to the example's success page.
  expect(await (await fetch(url('checkout'))).text()).toContain(link);
  const paid = await fetch(link, {
    method: 'POST',
    body: new URLSearchParams({ client_reference_id: visitor, email: 'ada@example.com' }),
    redirect: 'manual',
  });
  const success = paid.headers.get('location') ?? '';
  expect(success).toMatch(new RegExp(`^http://127.0.0.1:${port}/success\\?session_id=cs_test_`));
  expect(await (await fetch(success)).text()).toMatch(/Payment of 29.99 usd received/i);

  // The webhook was accepted (signed with the secret the example was given) and DataFast has
  // the payment once, attributed to the visitor the link carried.
  await expect
    .poll(async () => {
      const { events } = await (await fetch(`${dashboard}__devserver/stripe/events`)).json();
      return events.map((e: { deliveries: { status: number }[] }) => e.deliveries[0]?.status);
    })
    .toEqual([200]);
  const { payments } = await (await fetch(`${dashboard}__devserver/payments`)).json();
  expect(payments).toEqual([
    expect.objectContaining({ amount: 29.99, currency: 'USD', datafast_visitor_id: visitor }),
  ]);

  demo.kill('SIGTERM');
  expect(await new Promise((resolve) => demo?.once('exit', resolve))).toBe(0);
});

it('refuses an unknown --example, naming the choices', async () => {
  demo = spawn(process.execPath, [DEMO, '--example', 'rails'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  demo.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const code = await new Promise((resolve) => demo?.once('exit', resolve));
  expect(code).not.toBe(0);
  expect(output).toContain(
    '--example must be express, next, sveltekit, hono, fastify, nuxt or astro, got "rails"',
  );
});

it.each([
  ['PORT', 'the checkout'],
  ['DEVSERVER_PORT', 'the devserver'],
])(
  'says which port is busy when %s (%s) is, with a port that works, and no stack',
  async (name) => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const { port } = taken.address() as { port: number };
    try {
      const other = name === 'PORT' ? 'DEVSERVER_PORT' : 'PORT';
      demo = spawn(process.execPath, [DEMO], {
        env: { ...process.env, [name]: String(port), [other]: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      demo.stdout?.on('data', (chunk) => {
        output += chunk;
      });
      demo.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      const [code] = await new Promise<[number | null]>((resolve) =>
        demo?.once('exit', (exitCode) => resolve([exitCode])),
      );
      expect(code).toBe(1);
      expect(output).toContain(`port ${port} is in use`);
      expect(output).toContain(`${name}=0 pnpm demo`);
      expect(output).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  },
);
