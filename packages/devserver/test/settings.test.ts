import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevServerConfigError, loadConfigFile, startDevServer } from '../src/index.js';
import { parseFlags, UsageError } from '../src/settings/flags.js';
import { SETTINGS } from '../src/settings/schema.js';
import { usage } from '../src/settings/usage.js';

// One schema reads flags, the config file and startDevServer's options: a value is refused by the
// same rule whichever way it comes, and the error names the setting and where it came from.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devserver-settings-'));
});
afterAll(() => {});

async function refusal(start: Promise<unknown>): Promise<Error> {
  const error = await start.then(
    (dev) => (dev as { close(): Promise<void> }).close().then(() => undefined),
    (e: unknown) => e as Error,
  );
  expect(error, 'refused').toBeInstanceOf(DevServerConfigError);
  return error as Error;
}

describe('one rule per setting, whatever its source', () => {
  it('refuses an appUrl that is no URL from the options, as --app-url refuses it', async () => {
    expect(() => parseFlags(['--app-url', 'http://['])).toThrow(
      /--app-url must be an http\(s\) URL/,
    );
    const error = await refusal(startDevServer({ appUrl: 'http://[' }));
    expect(error.message).toBe('startDevServer options: appUrl must be an http(s) URL');
  });

  it('refuses a generated website key with a space from the options, as --api-key refuses it', async () => {
    expect(() => parseFlags(['--api-key', 'df_has space'])).toThrow(
      /--api-key must start with "df_"/,
    );
    const error = await refusal(startDevServer({ apiKey: 'df_has space' }));
    expect(error.message).toMatch(/^startDevServer options: apiKey must start with "df_"/);
  });

  it('names the file and the setting for a config file, the option for startDevServer', async () => {
    const path = join(dir, 'hosts.json');
    await writeFile(path, JSON.stringify({ allowedHosts: ['http://x.test'] }));
    const fromFile = (await loadConfigFile(path).catch((e: unknown) => e)) as Error;
    expect(fromFile).toBeInstanceOf(DevServerConfigError);
    expect(fromFile.message).toMatch(
      new RegExp(
        `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: allowedHosts\\[0\\] must be a host name`,
      ),
    );
    const fromOptions = await refusal(startDevServer({ allowedHosts: ['http://x.test'] }));
    expect(fromOptions.message).toMatch(
      /^startDevServer options: allowedHosts\[0\] must be a host name/,
    );
    expect(() => parseFlags(['--allowed-host', 'http://x.test'])).toThrow(
      /^--allowed-host must be a host name .*, got "http:\/\/x\.test"$/,
    );
  });

  it('refuses a bad control token from its environment variable, naming the variable', () => {
    const error = (() => {
      try {
        parseFlags([], { DATAFAST_DEVSERVER_CONTROL_TOKEN: 'short' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.message).toMatch(/^DATAFAST_DEVSERVER_CONTROL_TOKEN must be 16 to 256/);
    expect(error?.message).not.toContain('short');
  });

  it('still answers --help and --version with a bad control token in the environment', () => {
    const env = { DATAFAST_DEVSERVER_CONTROL_TOKEN: 'short' };
    expect(parseFlags(['--help'], env).help).toBe(true);
    expect(parseFlags(['-v'], env).version).toBe(true);
  });

  it('takes the flag over the environment variable', () => {
    const flag = 'flag-token-0123456789';
    const env = { DATAFAST_DEVSERVER_CONTROL_TOKEN: 'env-token-0123456789' };
    expect(parseFlags(['--control-token', flag], env).controlToken).toBe(flag);
    expect(parseFlags([], env).controlToken).toBe(env.DATAFAST_DEVSERVER_CONTROL_TOKEN);
  });
});

describe('--help', () => {
  it('lists every flag the CLI accepts, with its short form and its value', () => {
    const help = usage();
    for (const setting of SETTINGS.filter((s) => s.flag)) {
      const short = setting.short ? `-${setting.short}, ` : '';
      const arg = setting.arg ? ` <${setting.arg}>` : '';
      expect(help).toContain(`${short}--${setting.flag}${arg}`);
    }
  });

  it('lists no flag the CLI refuses', () => {
    const listed = [...usage().matchAll(/^ {2}(?:-\w, )? {0,4}--([a-z-]+)/gm)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(20);
    for (const flag of listed) {
      const setting = SETTINGS.find((s) => s.flag === flag);
      expect(setting, flag).toBeDefined();
    }
  });
});
