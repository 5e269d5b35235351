/**
 * Property tests for every signature check: a body signed with the provider's scheme by
 * independent code (`node:crypto`, the `standardwebhooks` package) always verifies, and any
 * change to the body, to a signed header or to the signature never does.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCreemSignature } from '../src/creem/webhook.js';
import { checkPaddleSignature } from '../src/paddle/webhook.js';
import { checkStandardWebhook, standardWebhookKey, verifyHexHmac } from '../src/signatures.js';
import { standardWebhookHeaders } from './helpers/sign.js';

const hexHmac = (secret: string, message: string) =>
  createHmac('sha256', secret).update(message).digest('hex');

/** `text` with one character replaced by a different one (or one appended to an empty text). */
function mutate(text: string, at: number, by: string): string {
  if (text.length === 0) return by;
  const index = at % text.length;
  const replacement = text[index] === by ? String.fromCharCode(by.charCodeAt(0) ^ 1) : by;
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

const body = fc.string({ unit: 'binary', maxLength: 400 });
const secret = fc.string({ minLength: 6, maxLength: 40 });
const whsecSecret = fc
  .uint8Array({ minLength: 16, maxLength: 48 })
  .map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`);
const change = fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }));
const hexChange = fc.tuple(fc.nat(), fc.constantFrom(...'0123456789abcdef'));
// Header values stay printable ASCII: anything else is no header at all.
const headerChange = fc.tuple(fc.nat(), fc.constantFrom(...'abcXYZ019+/=_.,'));
const runs = { numRuns: 60 };

describe('hex HMAC-SHA256 (LemonSqueezy X-Signature, Creem creem-signature)', () => {
  it('verifies what was signed, in any case, and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        body,
        change,
        hexChange,
        async (key, text, [at, by], [hexAt, hex]) => {
          const signature = hexHmac(key, text);
          expect(await verifyHexHmac(key, text, signature)).toBe(true);
          expect(await verifyHexHmac(key, text, signature.toUpperCase())).toBe(true);
          expect(await verifyHexHmac(key, mutate(text, at, by), signature)).toBe(false);
          expect(await verifyHexHmac(key, text, mutate(signature, hexAt, hex))).toBe(false);
          expect(await verifyHexHmac(`${key}x`, text, signature)).toBe(false);
        },
      ),
      runs,
    );
  });
});

describe('Standard Webhooks (Polar, Dodo Payments, Creem)', () => {
  it.each([
    ['whsec_ + base64 (Dodo, Creem)', 'whsec' as const, 'base64' as const, whsecSecret],
    ['the secret’s text (Polar)', 'utf8' as const, 'utf8' as const, secret],
  ])(
    'keyed with %s: verifies what was signed, fails on any changed byte or header',
    async (_name, signWith, verifyWith, secrets) => {
      await fc.assert(
        fc.asyncProperty(
          secrets,
          body,
          change,
          headerChange,
          fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature'),
          async (key, text, [at, by], [headerAt, headerBy], header) => {
            const headers = standardWebhookHeaders(text, { secret: key, secretEncoding: signWith });
            const verifyKey = standardWebhookKey(key, verifyWith) as Uint8Array;
            expect(
              await checkStandardWebhook(text, new Headers(headers), verifyKey),
            ).toBeUndefined();
            expect(
              await checkStandardWebhook(mutate(text, at, by), new Headers(headers), verifyKey),
            ).toBeDefined();
            const value = headers[header] as string;
            // Keep the timestamp a number inside the tolerance, so the signature is what fails.
            const changed =
              header === 'webhook-timestamp'
                ? String(Number(value) - 1)
                : mutate(value, headerAt + 3, headerBy);
            expect(
              await checkStandardWebhook(
                text,
                new Headers({ ...headers, [header]: changed }),
                verifyKey,
              ),
            ).toBeDefined();
          },
        ),
        runs,
      );
    },
  );

  it('passes when any of several signatures matches (a rotated secret), fails when none does', async () => {
    await fc.assert(
      fc.asyncProperty(whsecSecret, whsecSecret, body, async (current, previous, text) => {
        fc.pre(current !== previous);
        const signed = standardWebhookHeaders(text, {
          secret: current,
          secretEncoding: 'whsec',
          id: 'msg_1',
          timestamp: Math.floor(Date.now() / 1000),
        });
        const old = standardWebhookHeaders(text, {
          secret: previous,
          secretEncoding: 'whsec',
          id: 'msg_1',
          timestamp: Number(signed['webhook-timestamp']),
        });
        const both = new Headers({
          ...signed,
          'webhook-signature': `${old['webhook-signature']} ${signed['webhook-signature']}`,
        });
        expect(
          await checkStandardWebhook(
            text,
            both,
            standardWebhookKey(current, 'base64') as Uint8Array,
          ),
        ).toBeUndefined();
        expect(
          await checkStandardWebhook(
            text,
            new Headers(old),
            standardWebhookKey(current, 'base64') as Uint8Array,
          ),
        ).toBe('no webhook-signature matches the body');
      }),
      runs,
    );
  });
});

describe('Paddle-Signature', () => {
  it('verifies ts=…;h1=… when any h1 matches, and fails on any change to the body, ts or h1', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret,
        secret,
        body,
        change,
        hexChange,
        fc.boolean(),
        async (key, other, text, [at, by], [hexAt, hex], rotating) => {
          fc.pre(key !== other);
          const ts = Math.floor(Date.now() / 1000);
          const h1 = hexHmac(key, `${ts}:${text}`);
          const header = rotating
            ? `ts=${ts};h1=${hexHmac(other, `${ts}:${text}`)};h1=${h1}`
            : `ts=${ts};h1=${h1}`;
          expect(await checkPaddleSignature(text, header, key, 5)).toBeUndefined();
          expect(await checkPaddleSignature(mutate(text, at, by), header, key, 5)).toBeDefined();
          expect(
            await checkPaddleSignature(text, header.replace(`ts=${ts}`, `ts=${ts - 1}`), key, 5),
          ).toBeDefined();
          expect(
            await checkPaddleSignature(text, header.replace(h1, mutate(h1, hexAt, hex)), key, 5),
          ).toBeDefined();
        },
      ),
      runs,
    );
  });
});

describe('Creem (both schemes, as Creem’s own verifier accepts them)', () => {
  it('verifies creem-signature (plain or sha256=) and Standard Webhooks, and fails on any changed byte', async () => {
    await fc.assert(
      fc.asyncProperty(
        whsecSecret,
        body,
        change,
        fc.constantFrom('creem-signature', 'x-creem-signature'),
        fc.constantFrom('', 'sha256='),
        async (key, text, [at, by], name, prefix) => {
          const legacy = new Headers({ [name]: `${prefix}${hexHmac(key, text)}` });
          const standard = new Headers(
            standardWebhookHeaders(text, { secret: key, secretEncoding: 'whsec' }),
          );
          for (const headers of [legacy, standard]) {
            expect(await checkCreemSignature(text, headers, key)).toBeUndefined();
            expect(await checkCreemSignature(mutate(text, at, by), headers, key)).toBeDefined();
          }
        },
      ),
      runs,
    );
  });
});
