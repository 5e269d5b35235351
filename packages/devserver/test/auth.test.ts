import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { call, del, envelope, post } from './helpers.js';

const lines: string[] = [];
let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer({
    websites: [
      { id: 'site_a', domain: 'a.test', apiKey: 'df_key_site_a' },
      { id: 'site_b', domain: 'b.test', apiKey: 'df_key_site_b' },
    ],
    tokens: [
      { token: 'dft_write_all', permissions: ['payments:write'], websites: '*' },
      { token: 'dft_star_a', permissions: ['*'], websites: ['site_a'] },
      { token: 'dft_write_a', permissions: ['payments:write'], websites: ['site_a'] },
      { token: 'dft_read_only', permissions: ['analytics:read'], websites: '*' },
    ],
    quiet: false,
    log: (line) => lines.push(line),
  });
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());

describe('df_ website keys', () => {
  it('infers the website from the key, with no websiteId', async () => {
    expect((await post(dev, {}, { key: 'df_key_site_b' })).status).toBe(200);
    expect(dev.payments()[0]?.website_id).toBe('site_b');
  });

  it("accepts a websiteId that matches the key's website", async () => {
    const reply = await post(dev, {}, { key: 'df_key_site_a', query: { websiteId: 'site_a' } });
    expect(reply.status).toBe(200);
  });

  it('answers 403 when the websiteId given is another website', async () => {
    const reply = await post(dev, {}, { key: 'df_key_site_a', query: { websiteId: 'site_b' } });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual(envelope(403));
  });

  it('answers 403 when the websiteId given does not exist', async () => {
    const reply = await post(dev, {}, { key: 'df_key_site_a', query: { websiteId: 'nope' } });
    expect(reply.status).toBe(403);
  });

  it('accepts the Bearer scheme in any case', async () => {
    const reply = await post(
      dev,
      {},
      { key: null, headers: { authorization: 'bearer df_key_site_a' } },
    );
    expect(reply.status).toBe(200);
  });

  it('authenticates DELETE the same way', async () => {
    await post(dev, { transaction_id: 't' }, { key: 'df_key_site_a' });
    expect((await del(dev, { transaction_id: 't' }, { key: 'df_key_site_b' })).status).toBe(404);
    expect((await del(dev, { transaction_id: 't' }, { key: 'df_key_site_a' })).status).toBe(200);
  });
});

describe('dft_ account tokens', () => {
  it('acts for the websiteId given, with payments:write', async () => {
    const reply = await post(dev, {}, { key: 'dft_write_all', query: { websiteId: 'site_b' } });
    expect(reply.status).toBe(200);
    expect(dev.payments()[0]?.website_id).toBe('site_b');
  });

  it('accepts the * permission', async () => {
    const reply = await post(dev, {}, { key: 'dft_star_a', query: { websiteId: 'site_a' } });
    expect(reply.status).toBe(200);
  });

  it('answers 400 without a websiteId', async () => {
    const reply = await post(dev, {}, { key: 'dft_write_all' });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual(envelope(400, expect.stringContaining('websiteId')));
  });

  it('answers 403 without the payments:write permission', async () => {
    const reply = await post(dev, {}, { key: 'dft_read_only', query: { websiteId: 'site_a' } });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual(envelope(403, expect.stringContaining('payments:write')));
  });

  it('answers 404 for an unknown website', async () => {
    const reply = await post(dev, {}, { key: 'dft_write_all', query: { websiteId: 'site_zzz' } });
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual(envelope(404, 'Website not found'));
  });

  it('answers 403 for a website the token may not use', async () => {
    const reply = await post(dev, {}, { key: 'dft_write_a', query: { websiteId: 'site_b' } });
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual(envelope(403, expect.stringContaining('access')));
  });

  it('authenticates DELETE the same way', async () => {
    await post(dev, { transaction_id: 't' }, { key: 'df_key_site_a' });
    expect((await del(dev, { transaction_id: 't' }, { key: 'dft_write_a' })).status).toBe(400);
    expect(
      (
        await del(
          dev,
          { transaction_id: 't' },
          { key: 'dft_read_only', query: { websiteId: 'site_a' } },
        )
      ).status,
    ).toBe(403);
    const ok = await del(
      dev,
      { transaction_id: 't' },
      { key: 'dft_write_a', query: { websiteId: 'site_a' } },
    );
    expect(ok.status).toBe(200);
    expect(dev.payments()).toEqual([]);
  });
});

describe('401 for a missing or unknown credential', () => {
  it.each([
    ['no Authorization header', { key: null }],
    ['an empty Authorization header', { key: null, headers: { authorization: '' } }],
    ['another scheme', { key: null, headers: { authorization: 'Basic ZGZfa2V5X3NpdGVfYTo=' } }],
    ['Bearer without a key', { key: null, headers: { authorization: 'Bearer' } }],
    ['an unknown df_ key', { key: 'df_unknown_key' }],
    ['an unknown dft_ token', { key: 'dft_unknown_token', query: { websiteId: 'site_a' } }],
    ['a key without a known prefix', { key: 'sk_live_123' }],
    ['a website key pasted as a token', { key: 'dft_key_site_a', query: { websiteId: 'site_a' } }],
  ])('answers 401 with the envelope for %s', async (_name, options) => {
    const reply = await post(dev, {}, options);
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual(envelope(401));
  });
});

describe('credentials and errors', () => {
  const failing: [string, string, Record<string, string>][] = [
    ['unknown key', 'df_secret_unknown_1234', {}],
    ['wrong website', 'df_key_site_a', { websiteId: 'site_b' }],
    ['missing websiteId', 'dft_write_all', {}],
    ['no permission', 'dft_read_only', { websiteId: 'site_a' }],
    ['unknown website', 'dft_write_all', { websiteId: 'nope' }],
    ['no website access', 'dft_write_a', { websiteId: 'site_b' }],
  ];

  it.each(failing)(
    'stores nothing and never repeats the credential (%s)',
    async (_name, key, query) => {
      lines.length = 0;
      const reply = await post(dev, { transaction_id: 'leak' }, { key, query });
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.text).not.toContain(key);
      expect(JSON.stringify(dev.requests())).not.toContain(key);
      expect(lines.join('\n')).not.toContain(key);
      expect(lines.length).toBeGreaterThan(0);
      expect(dev.payments()).toEqual([]);
    },
  );

  it('redacts the credential in the request log but shows its kind', async () => {
    await post(dev, {}, { key: 'df_key_site_a' });
    await post(dev, {}, { key: 'dft_write_all', query: { websiteId: 'site_a' } });
    const [first, second] = dev.requests();
    expect(first?.headers.authorization).toBe('Bearer df_[redacted]');
    expect(second?.headers.authorization).toBe('Bearer dft_[redacted]');
  });

  it('redacts a credential sent by mistake in the body or the query', async () => {
    await call(dev, {
      method: 'POST',
      query: { api_key: 'df_key_site_b' },
      body: { amount: 1, currency: 'USD', transaction_id: 'x', note: 'key is df_key_site_b' },
    });
    const logged = JSON.stringify(dev.requests());
    expect(logged).not.toContain('df_key_site_b');
    expect(logged).toContain('[redacted]');
  });
});
