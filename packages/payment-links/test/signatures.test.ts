import { describe, expect, it } from 'vitest';
import {
  fromBase64,
  fromHex,
  hmacSha256,
  timingSafeEqual,
  toBase64,
  toHex,
} from '../src/signatures.js';

describe('signature primitives (Web Crypto)', () => {
  it('computes HMAC-SHA256 (RFC 4231, test case 2)', async () => {
    expect(toHex(await hmacSha256('Jefe', 'what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('compares in constant time, and only equal bytes are equal', () => {
    const a = fromHex('00ff10') as Uint8Array;
    expect(timingSafeEqual(a, fromHex('00FF10') as Uint8Array)).toBe(true);
    expect(timingSafeEqual(a, fromHex('00ff11') as Uint8Array)).toBe(false);
    expect(timingSafeEqual(a, fromHex('00ff') as Uint8Array)).toBe(false);
  });

  it('refuses hex that is not hex', () => {
    expect(fromHex('abc')).toBeUndefined();
    expect(fromHex('zz')).toBeUndefined();
  });

  it('reads base64 only in its canonical spelling', () => {
    expect(toBase64(fromBase64('AAE=') as Uint8Array)).toBe('AAE=');
    // atob would read AB== as AA==: a signature spelled differently must not verify.
    expect([fromBase64('AB=='), fromBase64('AAE'), fromBase64('A*E='), fromBase64('AA==')]).toEqual(
      [undefined, undefined, undefined, new Uint8Array([0])],
    );
  });
});
