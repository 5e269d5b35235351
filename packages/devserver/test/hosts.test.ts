import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, DevServerConfigError, startDevServer } from '../src/index.js';
import { post, requestWithHost } from './helpers.js';

// A DNS-rebinding page is served from a name the attacker controls (evil.example), which then
// resolves to 127.0.0.1: the browser sends `Host: evil.example:<port>` and treats the answers as
// same-origin. Only the Host header tells such a request apart, so it decides.
let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer({ allowedHosts: ['devserver.test', '.trusted.test'] });
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());

const withPort = (name: string) => `${name}:${dev.port}`;

describe('pages and control endpoints answer only on loopback or allowed host names', () => {
  it.each([
    ['GET', '/'],
    ['GET', '/index.html'],
    ['GET', '/__devserver/payments'],
    ['GET', '/__devserver/requests'],
    ['GET', '/__devserver/stats'],
    ['GET', '/__devserver/events'],
    ['GET', '/__devserver/dashboard.js'],
    ['GET', '/__devserver/faults'],
    ['POST', '/__devserver/reset'],
    ['DELETE', '/__devserver/faults'],
  ])(
    'answers %s %s from a rebinding name with 403 and the error envelope',
    async (method, path) => {
      await post(dev, { transaction_id: 'secret', email: 'ada@example.com' });
      const reply = await requestWithHost(dev, path, withPort('evil.example'), { method });
      expect(reply.status).toBe(403);
      expect(JSON.parse(reply.text)).toEqual({
        status: 'error',
        error: { code: 403, message: expect.stringContaining('"evil.example"') },
      });
      expect(reply.text).not.toContain('ada@example.com');
      expect(dev.payments()).toHaveLength(1);
    },
  );

  it('names the way to allow a host in the refusal', async () => {
    const reply = await requestWithHost(dev, '/__devserver/stats', withPort('evil.example'));
    expect(JSON.parse(reply.text).error.message).toMatch(/--allowed-host.*allowedHosts/);
  });

  it.each([
    'localhost',
    'LOCALHOST',
    'app.localhost',
    '127.0.0.1',
    '127.1.2.3',
    '[::1]',
    // An IP address can not be rebound: a page at http://10.0.0.5 is served by that address.
    '192.168.1.20',
    '[fe80::1]',
  ])('answers on %s', async (name) => {
    const reply = await requestWithHost(dev, '/__devserver/stats', withPort(name));
    expect(reply.status).toBe(200);
  });

  it('answers on a host without a port', async () => {
    expect((await requestWithHost(dev, '/__devserver/stats', 'localhost')).status).toBe(200);
  });

  it.each([
    ['an allowed host', 'devserver.test', 200],
    ['an allowed domain', 'trusted.test', 200],
    ['a subdomain of an allowed domain', 'ci.trusted.test', 200],
    ['a name that only ends like an allowed domain', 'untrusted.test', 403],
    ['a subdomain of an allowed host (not a domain entry)', 'x.devserver.test', 403],
    ['a name that only starts like localhost', 'localhost.evil.example', 403],
  ])('answers %s (%s) with %d', async (_what, name, status) => {
    const reply = await requestWithHost(dev, '/__devserver/stats', withPort(name));
    expect(reply.status).toBe(status);
  });

  it.each([
    ['without a Host header (HTTP/1.0)', 'GET /__devserver/stats HTTP/1.0\r\n\r\n'],
    [
      'with an empty Host header',
      'GET /__devserver/stats HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n',
    ],
  ])('refuses a request %s', async (_what, raw) => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(dev.port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write(raw);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(answer).toContain('Missing or malformed Host header');
  });

  it('allows the name the server listens on', async () => {
    const own = await startDevServer({ host: 'localhost' });
    try {
      expect(
        (await requestWithHost(own, '/__devserver/stats', `localhost:${own.port}`)).status,
      ).toBe(200);
    } finally {
      await own.close();
    }
  });
});

describe('what stays open to any Host', () => {
  it('serves the stand-in tracker: a page on any site loads it, and it holds no data', async () => {
    const reply = await requestWithHost(dev, '/js/script.js', withPort('evil.example'));
    expect(reply.status).toBe(200);
  });

  it('serves the API, which needs a key a rebinding page does not have', async () => {
    const body = JSON.stringify({ amount: 1, currency: 'USD', transaction_id: 'via_name' });
    const headers = { 'content-type': 'application/json' };
    const anonymous = await requestWithHost(dev, '/api/v1/payments', withPort('devserver'), {
      method: 'POST',
      headers,
      body,
    });
    expect(anonymous.status).toBe(401);
    const keyed = await requestWithHost(dev, '/api/v1/payments', withPort('devserver'), {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${dev.apiKey}` },
      body,
    });
    expect(keyed.status).toBe(200);
    expect(dev.payments().map((p) => p.transaction_id)).toEqual(['via_name']);
  });
});

describe('allowedHosts', () => {
  it.each([
    [['bad host'], /allowedHosts\[0\]/],
    [['http://x.test'], /allowedHosts\[0\]/],
    [['x.test:4100'], /allowedHosts\[0\]/],
    [[''], /allowedHosts\[0\]/],
    ['x.test', /"allowedHosts" must be an array/],
  ])('refuses %j with a DevServerConfigError', async (allowedHosts, message) => {
    const error = await startDevServer({ allowedHosts: allowedHosts as never }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DevServerConfigError);
    expect((error as Error).message).toMatch(message);
  });
});
