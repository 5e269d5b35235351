import { describe, expect, it } from 'vitest';
import { getSessionId, getVisitorId, readCookie } from '../src/index.js';

const visitor = 'a3ab2331-989f-4cfa-91c6-2461c9e3c6bd';
const session = 's0b6a5c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b';

describe('getVisitorId', () => {
  it('reads the cookie from a Request, Headers and a raw Cookie header', () => {
    const cookie = `datafast_visitor_id=${visitor}`;
    expect(getVisitorId(new Request('https://shop.example/', { headers: { cookie } }))).toBe(
      visitor,
    );
    expect(getVisitorId(new Headers({ cookie }))).toBe(visitor);
    expect(getVisitorId(cookie)).toBe(visitor);
  });

  it('returns undefined for no source, no header and no such cookie', () => {
    expect(getVisitorId(undefined)).toBeUndefined();
    expect(getVisitorId(null)).toBeUndefined();
    expect(getVisitorId('')).toBeUndefined();
    expect(getVisitorId(new Request('https://shop.example/'))).toBeUndefined();
    expect(getVisitorId('theme=dark; lang=en')).toBeUndefined();
  });

  it('finds it among many cookies, with or without spaces', () => {
    expect(getVisitorId(`a=1;b=2;datafast_visitor_id=${visitor};c=3`)).toBe(visitor);
    expect(getVisitorId(`a=1 ;  datafast_visitor_id = ${visitor} ; c=3`)).toBe(visitor);
  });

  it('unquotes and URL-decodes the value, and lower-cases it', () => {
    expect(getVisitorId(`datafast_visitor_id="${visitor}"`)).toBe(visitor);
    expect(getVisitorId(`datafast_visitor_id=${encodeURIComponent(visitor.toUpperCase())}`)).toBe(
      visitor,
    );
    expect(getVisitorId(`datafast_visitor_id=%61${visitor.slice(1)}`)).toBe(visitor);
  });

  it('lets the first of duplicate cookies win', () => {
    const other = '0b6a5c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b';
    expect(getVisitorId(`datafast_visitor_id=${visitor}; datafast_visitor_id=${other}`)).toBe(
      visitor,
    );
  });

  it('does not mistake a cookie whose name merely contains the name', () => {
    expect(getVisitorId(`old_datafast_visitor_id=${visitor}`)).toBeUndefined();
    expect(getVisitorId(`datafast_visitor_id_v2=${visitor}`)).toBeUndefined();
  });

  it.each([
    'not-a-uuid',
    `${visitor}x`,
    visitor.replaceAll('-', ''),
    '%E0%A4%A',
    '"unterminated',
    '<script>alert(1)</script>',
  ])('returns undefined for the malformed value %s', (value) => {
    expect(getVisitorId(`datafast_visitor_id=${value}`)).toBeUndefined();
  });

  it('handles a very large adversarial header correctly', () => {
    const noise = 'a;'.repeat(200_000) + '='.repeat(100_000) + ';x'.repeat(100_000);
    expect(getVisitorId(`${noise}; datafast_visitor_id=${visitor}`)).toBe(visitor);
    expect(getVisitorId(noise)).toBeUndefined();
  });
});

describe('getSessionId', () => {
  it('reads an s-prefixed UUID and lower-cases it', () => {
    expect(getSessionId(`datafast_session_id=${session.toUpperCase()}`)).toBe(session);
    expect(
      getSessionId(
        new Headers({ cookie: `datafast_visitor_id=${visitor}; datafast_session_id=${session}` }),
      ),
    ).toBe(session);
  });

  it('returns undefined for a session id without the s prefix or absent', () => {
    expect(getSessionId(`datafast_session_id=${visitor}`)).toBeUndefined();
    expect(getSessionId('datafast_session_id=s')).toBeUndefined();
    expect(getSessionId(undefined)).toBeUndefined();
  });
});

describe('readCookie', () => {
  it('returns the raw first value of any cookie', () => {
    expect(readCookie('a=1; b=two%20words; a=3', 'b')).toBe('two words');
    expect(readCookie('a=1; b=x=y', 'b')).toBe('x=y');
    expect(readCookie('flag; a=1', 'flag')).toBeUndefined();
  });

  it('matches whole, trimmed names only, never text inside another name or a value', () => {
    const name = 'datafast_visitor_id';
    expect(readCookie(`x${name}=1; ${name}=2`, name)).toBe('2');
    expect(readCookie(`${name}x=1; ${name}=2`, name)).toBe('2');
    expect(readCookie(`a=${name}=evil; ${name}=good`, name)).toBe('good');
    expect(readCookie(`a=1;${name}=tight`, name)).toBe('tight');
    expect(readCookie(` \t${name} \t= spaced ; b=1`, name)).toBe('spaced');
    expect(readCookie(`${name}; ${name}=after-a-flag`, name)).toBe('after-a-flag');
    expect(readCookie(`${name}x=1; y${name}=2`, name)).toBeUndefined();
    expect(readCookie(`a=1; ${name}=`, name)).toBe('');
  });
});

describe('Node-style requests (Express, Next.js Pages Router, node:http)', () => {
  const other = '0b6a5c1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b';

  it('reads the raw cookie header of a Node request', () => {
    expect(getVisitorId({ headers: { cookie: `a=1; datafast_visitor_id=${visitor}` } })).toBe(
      visitor,
    );
    expect(getVisitorId({ headers: {} })).toBeUndefined();
  });

  it('prefers cookies a middleware already parsed and decoded', () => {
    expect(
      getVisitorId({
        headers: { cookie: `datafast_visitor_id=${other}` },
        cookies: { datafast_visitor_id: visitor },
      }),
    ).toBe(visitor);
    expect(getSessionId({ headers: {}, cookies: { datafast_session_id: session } })).toBe(session);
  });

  it('falls back to the header when the parsed cookies lack the visitor', () => {
    expect(
      getVisitorId({ headers: { cookie: `datafast_visitor_id=${visitor}` }, cookies: {} }),
    ).toBe(visitor);
  });

  it('still validates a parsed value', () => {
    expect(
      getVisitorId({ headers: {}, cookies: { datafast_visitor_id: 'garbage' } }),
    ).toBeUndefined();
    expect(getVisitorId({ headers: {}, cookies: { datafast_visitor_id: 42 } })).toBeUndefined();
  });

  it('returns undefined, never throws, for sources of the wrong type (plain JavaScript callers)', () => {
    for (const source of [
      false,
      true,
      42,
      Symbol('x'),
      () => 'x',
      { headers: { cookie: 42 } },
      { headers: { cookie: [1, null] } },
      { headers: 'cookie' },
      { cookies: 'datafast_visitor_id=x', headers: {} },
    ]) {
      expect(getVisitorId(source as never)).toBeUndefined();
      expect(getSessionId(source as never)).toBeUndefined();
    }
  });

  it('joins a cookie header given as an array', () => {
    expect(getVisitorId({ headers: { cookie: ['a=1', `datafast_visitor_id=${visitor}`] } })).toBe(
      visitor,
    );
  });
});
