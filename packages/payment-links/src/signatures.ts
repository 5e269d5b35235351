/**
 * Signature primitives on Web Crypto (Node 20+, Edge, Workers, Deno, Bun), for the providers
 * that ship no verifier of their own. Stripe's path does not use them: `stripe`'s
 * `constructEventAsync` verifies its own scheme on Web Crypto already.
 */

const encoder = new TextEncoder();

/**
 * HMAC-SHA256 of `message` with `secret` (text is UTF-8 encoded).
 *
 * @example
 * toHex(await hmacSha256('secret', body)) === request.headers.get('x-signature')
 */
export async function hmacSha256(
  secret: string | Uint8Array,
  message: string | Uint8Array,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    (typeof secret === 'string' ? encoder.encode(secret) : secret) as BufferSource,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const data = typeof message === 'string' ? encoder.encode(message) : message;
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, data as BufferSource));
}

/**
 * Compares two byte strings in time that depends only on their lengths, so that a forged
 * signature cannot be found byte by byte from response times.
 *
 * @example
 * timingSafeEqual(expected, fromHex(header))
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number);
  return difference === 0;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Bytes of a hex string, or `undefined` when it is not hex. */
export function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
