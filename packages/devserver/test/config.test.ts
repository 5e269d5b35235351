import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevServerConfigError, loadConfigFile, startDevServer } from '../src/index.js';
import { post } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devserver-config-'));
});
afterAll(() => {});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('config files', () => {
  it('loads websites, tokens and faults from a JSON file and serves both auth modes', async () => {
    const path = await file(
      'good.json',
      JSON.stringify({
        $schema: 'https://example.test/devserver.schema.json',
        websites: [{ id: '665f0b3c4d2e1a0012345678', domain: 'shop.test', apiKey: 'df_file_key' }],
        tokens: [
          {
            token: 'dft_file_token',
            permissions: ['payments:write'],
            websites: ['665f0b3c4d2e1a0012345678'],
          },
        ],
        faults: { failureStatus: 502 },
      }),
    );
    const dev = await startDevServer(await loadConfigFile(path));
    try {
      expect(dev.websiteId).toBe('665f0b3c4d2e1a0012345678');
      expect(dev.faults()).toEqual({ failureStatus: 502 });
      expect((await post(dev, { transaction_id: 'k' }, { key: 'df_file_key' })).status).toBe(200);
      const viaToken = await post(
        dev,
        { transaction_id: 't' },
        { key: 'dft_file_token', query: { websiteId: '665f0b3c4d2e1a0012345678' } },
      );
      expect(viaToken.status).toBe(200);
    } finally {
      await dev.close();
    }
  });

  it('reports invalid JSON with the position only, never the text around it', async () => {
    const path = await file(
      'broken.json',
      '{"websites":[{"id":"a","apiKey":"df_secret_in_file"}],}',
    );
    const error = await loadConfigFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevServerConfigError);
    expect((error as Error).message).toMatch(/broken\.json is not valid JSON/);
    expect((error as Error).message).not.toContain('df_secret_in_file');
  });

  it('reports a missing file', async () => {
    await expect(loadConfigFile(join(dir, 'missing.json'))).rejects.toThrow(
      /Could not read the config file .*ENOENT/,
    );
  });
});

describe('config validation', () => {
  const cases: [string, unknown, RegExp][] = [
    ['websites is not an array', { websites: {} }, /"websites" must be an array/],
    [
      'a website has no id',
      { websites: [{ apiKey: 'df_x' }] },
      /websites\[0\]\.id must be a non-empty string/,
    ],
    [
      'an apiKey lacks the df_ prefix',
      { websites: [{ id: 'a', apiKey: 'key_1' }] },
      /websites\[0\]\.apiKey must be a string that starts with "df_"/,
    ],
    [
      'two websites share an id',
      {
        websites: [
          { id: 'a', apiKey: 'df_1' },
          { id: 'a', apiKey: 'df_2' },
        ],
      },
      /websites\[1\]\.id "a" is repeated/,
    ],
    [
      'two websites share a key',
      {
        websites: [
          { id: 'a', apiKey: 'df_1' },
          { id: 'b', apiKey: 'df_1' },
        ],
      },
      /websites\[1\]\.apiKey is the same/,
    ],
    [
      'a token lacks the dft_ prefix',
      { tokens: [{ token: 'df_1', permissions: [], websites: '*' }] },
      /tokens\[0\]\.token must be a string that starts with "dft_"/,
    ],
    [
      'permissions is not an array',
      { tokens: [{ token: 'dft_1', permissions: 'payments:write', websites: '*' }] },
      /tokens\[0\]\.permissions/,
    ],
    [
      'a token names an unknown website',
      {
        websites: [{ id: 'a', apiKey: 'df_1' }],
        tokens: [{ token: 'dft_1', permissions: ['*'], websites: ['b'] }],
      },
      /tokens\[0\]\.websites names "b"/,
    ],
    [
      'websites of a token is neither a list nor *',
      { tokens: [{ token: 'dft_1', permissions: ['*'], websites: 'all' }] },
      /tokens\[0\]\.websites must be/,
    ],
    ['a property is unknown', { website: [] }, /unknown property "website"/],
    [
      'a fault is invalid',
      { faults: { dropRate: 5 } },
      /faults: dropRate must be a number from 0 to 1/,
    ],
    [
      'a retryAfter can not be a header value',
      { faults: { retryAfter: '1\r\nX: y' } },
      /faults: retryAfter must be a number of seconds/,
    ],
    [
      'an allowed host has a scheme',
      { allowedHosts: ['https://devserver'] },
      /allowedHosts\[0\] must be a host name/,
    ],
  ];

  it.each(cases)('refuses a config where %s', async (_name, config, message) => {
    const error = await startDevServer(config as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DevServerConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it('never repeats a key in a config error', async () => {
    const error = await startDevServer({
      websites: [
        { id: 'a', apiKey: 'df_dup_secret' },
        { id: 'b', apiKey: 'df_dup_secret' },
      ],
    }).catch((e: unknown) => e as Error);
    expect((error as Error).message).not.toContain('df_dup_secret');
  });

  it('refuses an apiKey option without the df_ prefix', async () => {
    await expect(startDevServer({ apiKey: 'sk_123' })).rejects.toThrow(/must start with "df_"/);
  });
});
