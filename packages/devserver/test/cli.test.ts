import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFlags } from '../src/settings/flags.js';
import { killRunning, type Run, run, started } from './cli-process.js';
import { callFrom, networkAddress, requestWithHost } from './helpers.js';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devserver-cli-'));
});
afterEach(killRunning);

const payment = (transactionId: string) => ({
  method: 'POST',
  headers: { authorization: 'Bearer df_cli_fixed_key', 'content-type': 'application/json' },
  body: JSON.stringify({ amount: 9.5, currency: 'USD', transaction_id: transactionId }),
});

describe('datafast-devserver CLI', () => {
  it('prints usage for --help and exits 0', async () => {
    const r = run(['--help']);
    expect(await r.exit).toBe(0);
    expect(r.output()).toMatch(/^Usage: datafast-devserver \[options\]/);
    expect(r.output()).toContain('--fail-next-mode');
  });

  it('exits 2 with a hint for an unknown flag', async () => {
    const r = run(['--colour']);
    expect(await r.exit).toBe(2);
    expect(r.output()).toMatch(/Unknown option '--colour'/);
    expect(r.output()).toContain('--help');
  });

  it('prints the generated website key and id at start, and serves the API', async () => {
    const r = run(['--port', '0']);
    const url = await started(r);
    expect(r.output()).toMatch(/Website\s+dev-website/);
    const key = /API key\s+(df_dev_[0-9a-f]{32})/.exec(r.output())?.[1];
    expect(key).toBeDefined();
    const res = await fetch(`${url}/api/v1/payments`, {
      ...payment('x'),
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    r.child.kill('SIGINT');
    expect(await r.exit).toBe(0);
  });

  it('flushes the data file and exits 0 on SIGTERM; the next start has the payments', async () => {
    const data = join(dir, 'data.json');
    const first = run(['--port', '0', '--api-key', 'df_cli_fixed_key', '--data', data]);
    const url = await started(first);
    expect(first.output()).toContain('df_cli_fixed_key');
    expect((await fetch(`${url}/api/v1/payments`, payment('kept'))).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.output()).toMatch(/SIGTERM received, shutting down/);
    expect(JSON.parse(await readFile(data, 'utf8')).payments).toMatchObject([
      { transaction_id: 'kept' },
    ]);

    const second = run(['--port', '0', '--api-key', 'df_cli_fixed_key', '--data', data]);
    const url2 = await started(second);
    const list = await (await fetch(`${url2}/__devserver/payments`)).json();
    expect(list.payments).toMatchObject([{ transaction_id: 'kept' }]);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  });

  it('exits 1 with a clear message for a corrupt data file and leaves it as it was', async () => {
    const data = join(dir, 'data.json');
    await writeFile(data, '{ not json');
    const r = run(['--port', '0', '--data', data]);
    expect(await r.exit).toBe(1);
    expect(r.output()).toMatch(/The data file .*data\.json is corrupt: it is not valid JSON/);
    expect(await readFile(data, 'utf8')).toBe('{ not json');
  });

  it('reads websites and tokens from --config and applies fault flags over it', async () => {
    const config = join(dir, 'devserver.json');
    await writeFile(
      config,
      JSON.stringify({
        $schema: 'ignored',
        websites: [{ id: 'site_cli', domain: 'cli.test', apiKey: 'df_cli_fixed_key' }],
        tokens: [{ token: 'dft_cli_token', permissions: ['payments:write'], websites: '*' }],
        faults: { failureStatus: 502 },
      }),
    );
    const r = run(['--port', '0', '--config', config, '--fail-next', '1']);
    const url = await started(r);
    expect(r.output()).toMatch(/Website\s+site_cli \(cli\.test\)/);
    expect(r.output()).not.toContain('df_cli_fixed_key');
    expect((await fetch(`${url}/api/v1/payments`, payment('a'))).status).toBe(502);
    const viaToken = await fetch(`${url}/api/v1/payments?websiteId=site_cli`, {
      ...payment('b'),
      headers: { authorization: 'Bearer dft_cli_token', 'content-type': 'application/json' },
    });
    expect(viaToken.status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
  });

  it('prints the Stripe stand-in, its payment links and its key, unless the config chose the key', async () => {
    const config = join(dir, 'stripe.json');
    const link = {
      id: 'plink_cli',
      name: 'CLI plan',
      unitAmount: 1500,
      currency: 'eur',
      webhookUrl: 'http://127.0.0.1:3000/api/webhooks/stripe',
      webhookSecret: 'whsec_cli_secret',
    };
    await writeFile(config, JSON.stringify({ stripe: { paymentLinks: [link] } }));
    const r = run(['--port', '0', '--config', config]);
    const url = await started(r);
    expect(r.output()).toContain(
      `Payment link  ${url}/buy/plink_cli (CLI plan, €15.00, events to ${link.webhookUrl})`,
    );
    expect(r.output()).toContain(`STRIPE_API_BASE=${url}`);
    expect(r.output()).toMatch(/STRIPE_SECRET_KEY=sk_test_devserver_\w+/);
    expect(r.output()).not.toContain('whsec_cli_secret');
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);

    await writeFile(
      config,
      JSON.stringify({ stripe: { secretKey: 'sk_test_cli_chosen', paymentLinks: [link] } }),
    );
    const chosen = run(['--port', '0', '--config', config]);
    await started(chosen);
    expect(chosen.output()).not.toContain('sk_test_cli_chosen');
    expect(chosen.output()).not.toContain('STRIPE_SECRET_KEY=');
    chosen.child.kill('SIGTERM');
    expect(await chosen.exit).toBe(0);
  });

  it('serves the dashboard to the hosts of --allowed-host and of the config file, and no other', async () => {
    const config = join(dir, 'hosts.json');
    await writeFile(config, JSON.stringify({ allowedHosts: ['.from-config.test'] }));
    const r = run(['--port', '0', '--config', config, '--allowed-host', 'devserver']);
    const url = await started(r);
    expect(r.output()).toMatch(
      /Also serves\s+the dashboard to Host \.from-config\.test, devserver/,
    );
    const status = async (name: string) =>
      (await requestWithHost({ url }, '/__devserver/stats', `${name}:${new URL(url).port}`)).status;
    expect(await status('devserver')).toBe(200);
    expect(await status('ci.from-config.test')).toBe(200);
    expect(await status('evil.example')).toBe(403);
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
  });

  it('warns when it listens beyond this machine, and keeps the dashboard to this machine', async () => {
    const r = run(['--port', '0', '--host', '0.0.0.0']);
    const url = await started(r);
    const ip = networkAddress();
    const port = Number(new URL(url).port);
    expect(r.output()).toMatch(/Warning\s+listening on 0\.0\.0\.0, beyond this machine/);
    expect(r.output()).toContain(`http://${ip}:${port}`);
    expect(r.output()).toMatch(/--control-token <secret>/);
    expect((await callFrom(ip, ip, port, '/__devserver/stats')).status).toBe(401);
    expect((await callFrom('127.0.0.1', '127.0.0.1', port, '/__devserver/stats')).status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
  });

  it('opens the dashboard to other machines with --control-token or its variable, and prints how', async () => {
    const token = 'cli_token_0123456789abcdef';
    for (const [args, env] of [
      [['--control-token', token], {}],
      [[], { DATAFAST_DEVSERVER_CONTROL_TOKEN: token }],
    ] as const) {
      const r = run(['--port', '0', '--host', '0.0.0.0', ...args], undefined, env);
      const url = await started(r);
      const ip = networkAddress();
      const port = Number(new URL(url).port);
      expect(r.output()).toContain(`Dashboard     http://${ip}:${port}/?token=${token}`);
      const answer = await callFrom(ip, ip, port, '/__devserver/stats', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status).toBe(200);
      r.child.kill('SIGTERM');
      expect(await r.exit).toBe(0);
    }
  });

  it('says nothing of the network on loopback, and exits 2 for a control token too short', async () => {
    const r = run(['--port', '0']);
    await started(r);
    expect(r.output()).not.toContain('Warning');
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
    const short = run(['--control-token', 'short']);
    expect(await short.exit).toBe(2);
    expect(short.output()).toMatch(/--control-token must be 16 to 256/);
  });

  it('exits 1 naming the problem for an invalid config file', async () => {
    const config = join(dir, 'bad.json');
    await writeFile(config, JSON.stringify({ websites: [{ id: 'a', apiKey: 'no_prefix' }] }));
    const r = run(['--config', config]);
    expect(await r.exit).toBe(1);
    expect(r.output()).toMatch(/websites\[0\]\.apiKey must be a string that starts with "df_"/);
  });
});

describe('CLI flags', () => {
  it('defaults to port 4100 on 127.0.0.1 with no faults', () => {
    expect(parseFlags([])).toMatchObject({
      port: 4100,
      host: '127.0.0.1',
      faults: {},
      quiet: false,
    });
  });

  it('maps every fault flag to the fault setting of the same name', () => {
    const flags = parseFlags([
      '--failure-rate',
      '0.2',
      '--failure-status',
      '500',
      '--latency-ms',
      '100-250',
      '--latency-rate',
      '0.15',
      '--rate-limit-rate',
      '0.1',
      '--retry-after',
      '5',
      '--drop-rate',
      '0.05',
      '--fail-next',
      '3',
      '--fail-next-mode',
      'drop',
      '--fail-next-status',
      '502',
    ]);
    expect(flags.faults).toEqual({
      failureRate: 0.2,
      failureStatus: 500,
      latencyMs: { min: 100, max: 250 },
      latencyRate: 0.15,
      rateLimitRate: 0.1,
      retryAfter: '5',
      dropRate: 0.05,
      failNext: { count: 3, mode: 'drop', status: 502 },
    });
  });

  it('collects every --allowed-host', () => {
    expect(
      parseFlags(['--allowed-host', 'devserver', '--allowed-host', '.ci.test']).allowedHosts,
    ).toEqual(['devserver', '.ci.test']);
  });

  it('takes a fixed latency', () => {
    expect(parseFlags(['--latency-ms', '200']).faults).toEqual({ latencyMs: 200 });
  });

  it.each([
    [['--port', 'abc'], /--port must be an integer from 0 to 65535/],
    [['--failure-rate', '1.5'], /--failure-rate must be a number from 0 to 1/],
    [['--failure-status', '200'], /--failure-status must be a status from 400 to 599/],
    [['--fail-next-mode', 'drop'], /need --fail-next/],
    [['--fail-next', '1', '--fail-next-mode', 'explode'], /--fail-next-mode must be/],
    [['--api-key', 'sk_1'], /--api-key must start with "df_"/],
    [['--latency-ms', '50-10'], /--latency-ms\.min must not be greater than/],
    [['--latency-ms', '1e12'], /--latency-ms must be/],
    [['--latency-ms', '0-3000000000'], /--latency-ms\.max must be/],
    [['--retry-after', 'May 1'], /--retry-after must be/],
    [['--retry-after', '1\u0000'], /--retry-after must be/],
    [['--allowed-host', 'http://x.test'], /--allowed-host/],
    [['extra'], /Unexpected argument/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(message);
  });
});

describe('the built CLI', () => {
  it('is ESM only: dist has no cli.cjs', async () => {
    const files = await readdir(DIST);
    expect(files).toContain('cli.js');
    expect(files.filter((f) => f.startsWith('cli.') && f.includes('cjs'))).toEqual([]);
  });

  it('inlines only the version from package.json, never its workspace: dependencies', async () => {
    const cli = await readFile(join(DIST, 'cli.js'), 'utf8');
    expect(cli).not.toContain('workspace:');
    expect(cli).not.toContain('devDependencies');
  });

  it('prints the package version for --version', async () => {
    const { version } = JSON.parse(
      await readFile(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
    );
    const r = run(['--version']);
    expect(await r.exit).toBe(0);
    expect(r.output().trim()).toBe(version);
  });

  it('keeps the generated key of a --data file across restarts, and says so', async () => {
    const data = join(dir, 'data.json');
    const keyOf = (r: Run) => /API key\s+(df_dev_[0-9a-f]{32})/.exec(r.output())?.[1];
    const first = run(['--port', '0', '--data', data]);
    await started(first);
    expect(first.output()).toMatch(/API key\s+df_dev_\w+ \(kept in .*data\.json\)/);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    const second = run(['--port', '0', '--data', data]);
    await started(second);
    expect(keyOf(second)).toBe(keyOf(first));
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  });

  it('exits 2 naming the flag for a --retry-after a header can not carry', async () => {
    const r = run(['--retry-after', 'soon\tlater']);
    expect(await r.exit).toBe(2);
    expect(r.output()).toMatch(/--retry-after must be/);
  });
});
