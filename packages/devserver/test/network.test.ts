import { afterEach, describe, expect, it } from 'vitest';
import { type DevServer, DevServerConfigError, startDevServer } from '../src/index.js';
import { callFrom, networkAddress, post } from './helpers.js';

// The devserver listening on every interface (`--host 0.0.0.0`, as in a container or to reach it
// from a phone), called from this machine's own network address: a real non-loopback caller, as
// a colleague on the same network is. The dashboard's data and the control endpoints (payments
// with emails, reset, faults) must not answer it unless the devserver has a control token.

const token = 'tok_3a9f1c2e7b5d4086a1e2';
const privatePaths: [string, string][] = [
  ['GET', '/'],
  ['GET', '/__devserver/payments'],
  ['GET', '/__devserver/events'],
  ['GET', '/__devserver/stats'],
  ['PUT', '/__devserver/faults'],
  ['POST', '/__devserver/reset'],
  ['GET', '/__devserver/stripe'],
];

let dev: DevServer | undefined;
afterEach(async () => {
  await dev?.close();
  dev = undefined;
});

async function onEveryInterface(options: { controlToken?: string } = {}) {
  dev = await startDevServer({ host: '0.0.0.0', ...options });
  await post(dev, { transaction_id: 'txn_private', email: 'ada@example.com' });
  return dev;
}

describe('the devserver on a network', () => {
  it.each(privatePaths)(
    'refuses %s %s to a caller on another address without a control token',
    async (method, path) => {
      const server = await onEveryInterface();
      const ip = networkAddress();
      const answer = await callFrom(ip, ip, server.port, path, { method });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.text)).toEqual({
        status: 'error',
        error: { code: 401, message: expect.stringContaining('--control-token') },
      });
      expect(answer.text).not.toContain('ada@example.com');
      expect(server.payments()).toHaveLength(1);
    },
  );

  it('still answers this machine (loopback) without a token, and the API to anyone with a key', async () => {
    const server = await onEveryInterface();
    const ip = networkAddress();
    const local = await callFrom('127.0.0.1', '127.0.0.1', server.port, '/__devserver/payments');
    expect(local.status).toBe(200);
    expect(local.text).toContain('ada@example.com');
    const api = await callFrom(ip, ip, server.port, '/api/v1/payments', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    expect(api.status).toBe(400); // reached the API: no filter given
  });

  it('answers a caller on another address that sends the control token', async () => {
    const server = await onEveryInterface({ controlToken: token });
    const ip = networkAddress();
    const withToken = await callFrom(ip, ip, server.port, '/__devserver/payments', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withToken.status).toBe(200);
    expect(withToken.text).toContain('ada@example.com');
    const wrong = await callFrom(ip, ip, server.port, '/__devserver/payments', {
      headers: { authorization: `Bearer ${token}x` },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('ada@example.com');
  });

  it('lets a browser in once through /?token=, by a cookie, and drops the token from the address', async () => {
    const server = await onEveryInterface({ controlToken: token });
    const ip = networkAddress();
    const login = await callFrom(ip, ip, server.port, `/?token=${token}`);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/');
    const cookie = String(login.headers['set-cookie']?.[0] ?? '');
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const pair = cookie.split(';')[0] as string;
    for (const path of [
      '/',
      '/__devserver/dashboard.js',
      '/__devserver/payments',
      '/__devserver/events',
    ]) {
      const answer = await callFrom(ip, ip, server.port, path, { headers: { cookie: pair } });
      expect(answer.status, path).toBe(200);
    }
    const wrong = await callFrom(ip, ip, server.port, '/?token=not-the-token-at-all');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a control token too short to keep others out, at start', async () => {
    await expect(startDevServer({ controlToken: 'short' })).rejects.toThrow(DevServerConfigError);
    await expect(startDevServer({ controlToken: 'short' })).rejects.toThrow(/16/);
  });
});
