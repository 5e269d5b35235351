import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// `pnpm demo` (scripts/demo.mjs) runs this package's build: its first-run errors are tested here.
const DEMO = fileURLToPath(new URL('../../../scripts/demo.mjs', import.meta.url));

const held: Server[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Occupies a free port, as another program would; `host` undefined holds every interface. */
async function holdPort(host?: string): Promise<number> {
  const server = createServer();
  held.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as { port: number }).port;
}

async function demo(env: Record<string, string>) {
  const child = spawn(process.execPath, [DEMO], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const [code] = await once(child, 'exit');
  return { code: code as number | null, output };
}

describe('pnpm demo on a busy port', () => {
  it('names the devserver port and DEVSERVER_PORT, without a stack trace', async () => {
    const port = await holdPort('127.0.0.1');
    const { code, output } = await demo({ DEVSERVER_PORT: String(port), PORT: '0' });
    expect(code).not.toBe(0);
    expect(output).toContain(`port ${port}`);
    expect(output).toMatch(/DEVSERVER_PORT=\d+ pnpm demo/);
    expect(output).not.toMatch(/EADDRINUSE|\n\s+at /);
  });

  it('names the checkout port and PORT before starting anything', async () => {
    const port = await holdPort();
    const { code, output } = await demo({ PORT: String(port), DEVSERVER_PORT: '0' });
    expect(code).not.toBe(0);
    expect(output).toContain(`port ${port}`);
    expect(output).toMatch(/PORT=\d+ pnpm demo/);
    expect(output).not.toMatch(/DEVSERVER_PORT|EADDRINUSE|\n\s+at /);
  });

  it.each([
    ['PORT', 'abc'],
    ['DEVSERVER_PORT', '70000'],
  ])('refuses %s=%s naming the variable', async (name, value) => {
    const { code, output } = await demo({ PORT: '0', DEVSERVER_PORT: '0', [name]: value });
    expect(code).not.toBe(0);
    expect(output).toContain(`${name} must be a port`);
  });
});
