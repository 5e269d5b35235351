/**
 * `toExpress` reads the raw body itself when no body parser ran (the webhook routes): it must
 * stop at `maxBodyBytes` and answer 413, never buffer an endless body before the signature check
 * refuses it, and keep the server serving. Real Express 4 and 5 servers, a real HTTP client
 * sending declared and chunked bodies.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import express5 from 'express';
import express4 from 'express4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, toExpress } from '../src/index.js';

type ExpressModule = typeof express5;

/** POSTs `size` bytes in 64 KiB chunks, with or without a `Content-Length`, and reads the answer. */
function post(
  origin: string,
  path: string,
  size: number,
  declared: boolean,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const request = httpRequest(`${origin}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(declared ? { 'content-length': String(size) } : {}),
      },
    });
    let answered = false;
    request.on('response', (response) => {
      answered = true;
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString() }),
      );
    });
    // The server stops reading at the limit and closes: writing the rest may then fail. Only
    // an error before any answer is one.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    let sent = 0;
    const write = () => {
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        if (!request.write(part)) return void request.once('drain', write);
      }
      request.end();
    };
    write();
  });
}

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as ExpressModule],
])('toExpress body limit in %s', (_name, express) => {
  const seen: number[] = [];
  let origin: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const app = express();
    const handler = async (request: Request) => {
      seen.push((await request.arrayBuffer()).byteLength);
      return new Response('ok');
    };
    app.post('/default', toExpress(handler));
    app.post('/small', toExpress(handler, { maxBodyBytes: 1000 }));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  });
  afterAll(() => close?.());

  it('answers 413 for a body over 1 MiB, declared or chunked, without running the handler, and keeps serving', async () => {
    seen.length = 0;
    const over = DEFAULT_MAX_BODY_BYTES + 1;
    for (const declared of [true, false]) {
      const answer = await post(origin, '/default', over, declared);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({
        error: {
          code: 'body_too_large',
          message: expect.stringContaining(`larger than ${DEFAULT_MAX_BODY_BYTES} bytes`),
        },
      });
    }
    expect(seen).toEqual([]);
    const within = await post(origin, '/default', DEFAULT_MAX_BODY_BYTES, false);
    expect(within.status).toBe(200);
    expect(seen).toEqual([DEFAULT_MAX_BODY_BYTES]);
  });

  it('survives a client that hangs up in the middle of a body, and keeps serving', async () => {
    seen.length = 0;
    const aborted = new Promise<void>((resolve) => {
      const request = httpRequest(`${origin}/default`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': '100000' },
      });
      request.on('error', () => resolve());
      request.write(Buffer.alloc(50_000, 'a'), () => {
        request.destroy();
        resolve();
      });
    });
    await aborted;
    expect((await post(origin, '/default', 10, true)).status).toBe(200);
    expect(seen).toEqual([10]);
  });

  it('takes its limit from maxBodyBytes: up to it passes whole, one byte more is 413', async () => {
    seen.length = 0;
    expect((await post(origin, '/small', 1000, true)).status).toBe(200);
    expect((await post(origin, '/small', 1001, false)).status).toBe(413);
    expect((await post(origin, '/small', 1001, true)).status).toBe(413);
    expect(seen).toEqual([1000]);
  });
});

describe('toExpress options', () => {
  it('refuses a maxBodyBytes that is not a whole number of bytes, naming it', () => {
    const handler = () => new Response('ok');
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(() => toExpress(handler, { maxBodyBytes: bad })).toThrow(/maxBodyBytes/);
    }
  });
});
