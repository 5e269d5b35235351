import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from '../src/flags.js';
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

  it('gives everything after -- to the app, flags included, and refuses a bare --', () => {
    expect(parseFlags(['-p', '0', '--', 'next', 'dev', '--port', '3001'])).toMatchObject({
      port: 0,
      appCommand: ['next', 'dev', '--port', '3001'],
    });
    expect(parseFlags(['-p', '0']).appCommand).toBeUndefined();
    expect(() => parseFlags(['--'])).toThrow(UsageError);
  });
});
