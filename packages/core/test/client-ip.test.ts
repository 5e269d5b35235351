import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ClientIpSource,
  clientIpFrom,
  clientIpResolver,
  defaultClientIpSource,
} from '../src/proxy.js';

// The visitor's IP from a Web Request, for adapters whose framework gives none (Next.js). Each
// case is a request as the platform's edge or the user's own proxy hands it to the app, with
// what the visitor forged left in place.

const forged = { 'x-real-ip': '6.6.6.6', 'x-forwarded-for': '6.6.6.6' };
const request = (headers: Record<string, string>) =>
  new Request('https://shop.example/api/events', { method: 'POST', headers, body: '{}' });

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('clientIpFrom', () => {
  it.each<[string, ClientIpSource, Record<string, string>, string | undefined]>([
    // Vercel overwrites both with the connecting address: x-real-ip is what ipAddress() reads.
    ['vercel', 'vercel', { 'x-real-ip': '203.0.113.7' }, '203.0.113.7'],
    [
      'vercel, from x-vercel-forwarded-for',
      'vercel',
      { 'x-vercel-forwarded-for': '203.0.113.8' },
      '203.0.113.8',
    ],
    [
      'netlify, from its header',
      'netlify',
      { ...forged, 'x-nf-client-connection-ip': '203.0.113.9' },
      '203.0.113.9',
    ],
    ['cloudflare', 'cloudflare', { ...forged, 'cf-connecting-ip': '2001:db8::5' }, '2001:db8::5'],
    // nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for appends what it saw.
    [
      'one proxy appending',
      { trustedProxies: 1 },
      { 'x-forwarded-for': '6.6.6.6, 198.51.100.4' },
      '198.51.100.4',
    ],
    [
      'two proxies appending',
      { trustedProxies: 2 },
      { 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.0.0.2' },
      '198.51.100.4',
    ],
    [
      'fewer entries than proxies: nothing trustworthy',
      { trustedProxies: 2 },
      { 'x-forwarded-for': '198.51.100.4' },
      undefined,
    ],
    [
      'an entry with a port',
      { trustedProxies: 1 },
      { 'x-forwarded-for': '198.51.100.4:51234' },
      '198.51.100.4',
    ],
    [
      'a bracketed IPv6 entry with a port',
      { trustedProxies: 1 },
      { 'x-forwarded-for': '[2001:db8::7]:443' },
      '2001:db8::7',
    ],
    // nginx: proxy_set_header X-Real-IP $remote_addr overwrites what the visitor sent.
    [
      'a header the proxy sets',
      { header: 'x-real-ip' },
      { 'x-real-ip': '198.51.100.5' },
      '198.51.100.5',
    ],
    [
      'a "set" header that is a list (appended to, so not set)',
      { header: 'x-real-ip' },
      { 'x-real-ip': '6.6.6.6, 198.51.100.5' },
      undefined,
    ],
    ['none', 'none', { 'x-real-ip': '198.51.100.5' }, undefined],
  ])('%s', (_name, source, headers, ip) => {
    expect(clientIpFrom(request(headers), source)).toBe(ip);
  });
});

describe('clientIpResolver', () => {
  it('reads nothing the visitor sends where no platform or proxy is named, and says so once', () => {
    const warnings: string[] = [];
    const clientIp = clientIpResolver(undefined, (m) => warnings.push(m));
    expect(clientIp(request(forged))).toBeUndefined();
    expect(clientIp(request(forged))).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/trustedProxies: 1.*docs\/tracker-proxy\.md/s);
  });

  it("uses the platform's own source where the runtime is Vercel, Netlify or a Worker", () => {
    // The platforms' runtimes cannot run here: what each sets to say where it runs is set instead.
    vi.stubEnv('VERCEL', '1');
    expect(
      clientIpResolver(undefined, () => {})(request({ ...forged, 'x-real-ip': '203.0.113.7' })),
    ).toBe('203.0.113.7');
    vi.unstubAllEnvs();
    vi.stubGlobal('Netlify', { context: { ip: '203.0.113.8' }, env: {} });
    expect(clientIpResolver(undefined, () => {})(request(forged))).toBe('203.0.113.8');
    vi.unstubAllGlobals();
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    expect(
      clientIpResolver(undefined, () => {})(
        request({ ...forged, 'cf-connecting-ip': '203.0.113.9' }),
      ),
    ).toBe('203.0.113.9');
  });

  it('takes the hop count from DATAFAST_TRUSTED_PROXIES, and the option over it', () => {
    vi.stubEnv('DATAFAST_TRUSTED_PROXIES', '1');
    const headers = { 'x-forwarded-for': '6.6.6.6, 198.51.100.4' };
    expect(clientIpResolver(undefined, () => {})(request(headers))).toBe('198.51.100.4');
    expect(clientIpResolver('none', () => {})(request(headers))).toBeUndefined();
    vi.stubEnv('DATAFAST_TRUSTED_PROXIES', 'one');
    expect(() => clientIpResolver(undefined, () => {})).toThrow(/DATAFAST_TRUSTED_PROXIES/);
  });

  it('refuses an invalid source when it is created, naming clientIp', () => {
    for (const bad of [
      { trustedProxies: 0 },
      { trustedProxies: 1.5 },
      { header: 'x real ip' },
      'aws',
      3,
    ]) {
      expect(() => clientIpResolver(bad as ClientIpSource, () => {})).toThrow(/clientIp must be/);
    }
  });
});

describe('clientIpResolver with a connection (Hono, h3, Astro)', () => {
  // A framework's context as the adapters see it: the Web request and the connection's address.
  type Context = { request: Request; remote?: string };
  const connection = {
    request: (context: Context) => context.request,
    address: (context: Context) => context.remote,
    hint: 'Pass it: clientIp: (c) => getConnInfo(c).remote.address.',
  };

  it("reads the connection's address where no source is named, never a forged header", () => {
    const warnings: string[] = [];
    const clientIp = clientIpResolver(undefined, (m) => warnings.push(m), connection);
    expect(clientIp({ request: request(forged), remote: '198.51.100.9' })).toBe('198.51.100.9');
    expect(warnings).toEqual([]);
  });

  it("says once, with the adapter's hint, where the framework gives no address", () => {
    const warnings: string[] = [];
    const clientIp = clientIpResolver(undefined, (m) => warnings.push(m), connection);
    expect(clientIp({ request: request(forged) })).toBeUndefined();
    expect(clientIp({ request: request(forged) })).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/getConnInfo.*trustedProxies: 1/s);
  });

  it("reads a named source or DATAFAST_TRUSTED_PROXIES from the context's request, over the connection", () => {
    const context = {
      request: request({ 'x-forwarded-for': '6.6.6.6, 198.51.100.4' }),
      remote: '10.0.0.2',
    };
    expect(clientIpResolver({ trustedProxies: 1 }, () => {}, connection)(context)).toBe(
      '198.51.100.4',
    );
    vi.stubEnv('DATAFAST_TRUSTED_PROXIES', '1');
    expect(clientIpResolver(undefined, () => {}, connection)(context)).toBe('198.51.100.4');
    expect(() => clientIpResolver({ trustedProxies: 0 }, () => {}, connection)).toThrow(
      /clientIp must be/,
    );
  });
});

describe('defaultClientIpSource', () => {
  it('is DATAFAST_TRUSTED_PROXIES, else the platform, else undefined (an adapter reads its connection)', () => {
    expect(defaultClientIpSource()).toBeUndefined();
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    expect(defaultClientIpSource()).toBe('cloudflare');
    vi.stubEnv('DATAFAST_TRUSTED_PROXIES', '2');
    expect(defaultClientIpSource()).toEqual({ trustedProxies: 2 });
  });
});
