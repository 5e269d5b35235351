import { afterEach, describe, expect, it } from 'vitest';
import { toFastify } from '../src/index.js';
import { listen, majors } from './helpers/fastify.js';

// toFastify on a listening server: the Web handler sees the request as sent (URL, headers, raw
// bytes a `parseAs: 'buffer'` parser kept), its Response goes out whole (status, headers, each
// Set-Cookie), and a body over maxBodyBytes never reaches it.
let app: { close(): Promise<unknown> } | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe.each(majors)('toFastify() in $name', ({ fastify }) => {
  async function open() {
    const server = fastify();
    app = server;
    const seen: Array<{ url: string; method: string; header: string | null; body: string }> = [];
    const handler = async (request: Request) => {
      seen.push({
        url: request.url,
        method: request.method,
        header: request.headers.get('x-shop'),
        body: await request.text(),
      });
      const response = new Response('{"ok":true}', {
        status: 201,
        headers: { 'content-type': 'application/json', 'x-answer': 'yes' },
      });
      response.headers.append('set-cookie', 'a=1; Path=/');
      response.headers.append('set-cookie', 'b=2; Path=/');
      return response;
    };
    await server.register(async (raw) => {
      raw.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_r, body, done) =>
        done(null, body),
      );
      raw.post('/hook', toFastify(handler));
      raw.post('/small', toFastify(handler, { maxBodyBytes: 1000 }));
    });
    return { url: await listen(server), seen };
  }

  it('hands the handler the URL, headers and raw bytes, and sends its whole Response', async () => {
    const { url, seen } = await open();
    const body = '{\n  "id": "evt_1"\n}';
    const response = await fetch(`${url}/hook?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shop': 'one' },
      body,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-answer')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(await response.json()).toEqual({ ok: true });
    expect(seen).toEqual([{ url: `${url}/hook?x=1`, method: 'POST', header: 'one', body }]);
  });

  it('answers 413 to a body over maxBodyBytes without running the handler', async () => {
    const { url, seen } = await open();
    const response = await fetch(`${url}/small`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(1000) }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'body_too_large',
    );
    expect(seen).toEqual([]);
  });
});
