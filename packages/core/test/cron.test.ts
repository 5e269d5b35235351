import { afterEach, describe, expect, it } from 'vitest';
import { isCronAuthorized } from '../src/index.js';

const secret = 'a-long-random-cron-secret';

afterEach(() => {
  delete process.env.CRON_SECRET;
});

describe('isCronAuthorized', () => {
  it('accepts the Authorization header Vercel Cron sends, from a Request, Headers or the value', () => {
    const authorization = `Bearer ${secret}`;
    const request = new Request('https://app.example/api/cron/drain', {
      headers: { authorization },
    });
    expect(isCronAuthorized(request, secret)).toBe(true);
    expect(isCronAuthorized(request.headers, secret)).toBe(true);
    expect(isCronAuthorized(authorization, secret)).toBe(true);
  });

  it('reads CRON_SECRET from the environment', () => {
    process.env.CRON_SECRET = secret;
    expect(isCronAuthorized(`Bearer ${secret}`)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the secret without Bearer', secret],
    ['another secret', 'Bearer a-long-random-cron-secreT'],
    ['a prefix of the secret', 'Bearer a-long-random'],
    ['the secret and more', `Bearer ${secret}x`],
  ])('refuses %s', (_, header) => {
    expect(isCronAuthorized(header, secret)).toBe(false);
  });

  it('refuses everyone when no secret is configured, even "Bearer " and "Bearer undefined"', () => {
    for (const header of ['Bearer ', 'Bearer undefined', undefined]) {
      expect(isCronAuthorized(header)).toBe(false);
      expect(isCronAuthorized(header, '')).toBe(false);
    }
  });
});
