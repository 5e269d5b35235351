import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inspect, promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { driverMessage, EngineError, isBranded, redactCredentials } from '../src/engine-error.js';

// What `@datafast-checkout/postgres` and `@datafast-checkout/redis` build their errors from.
const password = 's3cret-Pw_7f2a';
const brand = Symbol.for('@datafast-checkout/test.error');

describe('driverMessage', () => {
  it.each([
    [
      'a URL',
      `connect to postgres://app:${password}@db:5432/shop failed`,
      'postgres://[redacted]@db',
    ],
    [
      'a URL with a password only',
      `redis://:${password}@cache:6379 refused`,
      'redis://[redacted]@',
    ],
    [
      'a conninfo',
      `host=db user=app password=${password} dbname=shop`,
      'password=[redacted] dbname',
    ],
    ['a quoted conninfo', `password='${password} x' host=db`, 'password=[redacted] host'],
  ])('takes the credentials out of %s', (_, message, kept) => {
    const text = driverMessage(new Error(message), []);
    expect(text).not.toContain(password);
    expect(text).toContain(kept);
  });

  it('takes out every configured secret, wherever the message quotes it', () => {
    expect(driverMessage(new Error(`auth with "${password}" failed`), [password, ''])).toBe(
      'auth with "[redacted]" failed',
    );
  });

  it('says something for whatever was thrown, and never throws itself', () => {
    const hostile = {
      get message(): string {
        throw new Error('no');
      },
    };
    expect(driverMessage(hostile, [])).toBe('unknown error');
    expect(driverMessage(Object.assign(new Error(''), { name: 'ClosedError' }), [])).toBe(
      'ClosedError',
    );
    expect(driverMessage(`plain ${password}`, [password])).toBe('plain [redacted]');
    expect(driverMessage(undefined, [])).toBe('undefined');
  });
});

describe('EngineError', () => {
  it('carries the operation and the code, and shows no more than its message', () => {
    const message = `redis: put failed: ${redactCredentials(`redis://u:${password}@h`)}`;
    const error = new EngineError(brand, 'put', message, 'ECONNREFUSED');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ operation: 'put', code: 'ECONNREFUSED', message });
    expect(isBranded(error, brand)).toBe(true);
    expect(isBranded(new Error('x'), brand)).toBe(false);
    const shown = `${String(error)}\n${error.stack}\n${inspect(error, { showHidden: true })}\n${JSON.stringify(error)}`;
    expect(shown).not.toContain(password);
  });

  it('is recognised across the built ESM and CJS entries of `/engine`', async () => {
    // A package loaded both ways (an ESM app with a CJS dependency) makes errors of one build
    // that the other checks: `instanceof` fails there, the brand does not.
    const script = `
      import { createRequire } from 'node:module';
      import * as esm from '@datafast-checkout/core/engine';
      const cjs = createRequire(import.meta.url)('@datafast-checkout/core/engine');
      const brand = Symbol.for('@datafast-checkout/test.error');
      const error = new cjs.EngineError(brand, 'get', 'm');
      console.log(JSON.stringify({ branded: esm.isBranded(error, brand), sameClass: error instanceof esm.EngineError }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)) },
    );
    expect(JSON.parse(stdout)).toEqual({ branded: true, sameClass: false });
  });
});
