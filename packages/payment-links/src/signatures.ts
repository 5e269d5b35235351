/**
 * Signature checks on Web Crypto (Node 20+, Edge, Workers, Deno, Bun) for LemonSqueezy, Polar,
 * Paddle, Creem and Dodo Payments: HMAC-SHA256, hex and base64, Standard Webhooks, compared in
 * constant time. Ours rather than the providers' SDK verifiers, which need `Buffer`, hash in
 * JavaScript or miss a rotated key (the README says which); each scheme is checked against the
 * provider's SDK in the tests. Stripe's path does not use them: `stripe`'s `constructEventAsync`
 * verifies its own scheme on Web Crypto already.
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

/** Base64 (standard alphabet, padded) of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Bytes of a standard base64 string, or `undefined` when it is not base64 in its one canonical
 * spelling (`atob` would also take `AB==` for `AA==`: a changed signature must never verify).
 */
export function fromBase64(base64: string): Uint8Array | undefined {
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return undefined;
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return toBase64(bytes) === base64 ? bytes : undefined;
}

/**
 * Whether `signatureHex` (any case) is the HMAC-SHA256 of `message` with `secret`, compared in
 * constant time. LemonSqueezy (`X-Signature`), Creem (`creem-signature`) and Paddle (`h1`) sign
 * this way.
 *
 * @example
 * await verifyHexHmac(secret, body, request.headers.get('x-signature') ?? '')
 */
export async function verifyHexHmac(
  secret: string | Uint8Array,
  message: string,
  signatureHex: string,
): Promise<boolean> {
  const given = fromHex(signatureHex.trim());
  return given !== undefined && timingSafeEqual(given, await hmacSha256(secret, message));
}

/**
 * The HMAC key of a Standard Webhooks secret. `'base64'` is the standard's own encoding
 * (`whsec_` + base64, as Dodo Payments and Creem issue them); `'utf8'` uses the secret's text as
 * it is, which is what Polar does (its SDK base64-encodes the UTF-8 secret before handing it to
 * `standardwebhooks`, which decodes it again). `undefined` for a secret that is not base64.
 */
export function standardWebhookKey(
  secret: string,
  encoding: 'base64' | 'utf8',
): Uint8Array | undefined {
  if (encoding === 'utf8') return encoder.encode(secret);
  const key = fromBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  return key && key.length > 0 ? key : undefined;
}

/** Why a Standard Webhooks request did not verify, or `undefined` when it did. */
export type StandardWebhookFailure =
  | 'missing webhook-id, webhook-timestamp or webhook-signature header'
  | 'webhook-timestamp is not a Unix time'
  | 'webhook-timestamp is outside the tolerance'
  | 'no webhook-signature matches the body';

/**
 * Checks a [Standard Webhooks](https://www.standardwebhooks.com/) request: `webhook-signature`
 * holds space-separated `v1,<base64>` signatures, each an HMAC-SHA256 of
 * `<webhook-id>.<webhook-timestamp>.<body>`; any `v1` that matches (in constant time) passes,
 * so a rotated secret's old and new signatures both work; `webhook-timestamp` (seconds) must be
 * within `toleranceSeconds` of now, either way.
 *
 * @example
 * const failure = await checkStandardWebhook(body, request.headers, standardWebhookKey(secret, 'base64'))
 */
export async function checkStandardWebhook(
  body: string,
  headers: Headers,
  key: Uint8Array,
  toleranceSeconds = 300,
): Promise<StandardWebhookFailure | undefined> {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (!id || !timestamp || !signatures) {
    return 'missing webhook-id, webhook-timestamp or webhook-signature header';
  }
  if (!/^\d{1,12}$/.test(timestamp)) return 'webhook-timestamp is not a Unix time';
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds) {
    return 'webhook-timestamp is outside the tolerance';
  }
  const expected = await hmacSha256(key, `${id}.${timestamp}.${body}`);
  let matched = false;
  for (const versioned of signatures.split(' ')) {
    const [version, signature] = versioned.split(',');
    const given = version === 'v1' && signature ? fromBase64(signature) : undefined;
    // Every candidate is compared, so the time taken says nothing about which one matched.
    if (given && timingSafeEqual(given, expected)) matched = true;
  }
  return matched ? undefined : 'no webhook-signature matches the body';
}
