import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../src/index.js';
import { call, envelope, post } from './helpers.js';

let dev: DevServer;
beforeAll(async () => {
  dev = await startDevServer({ bodyLimit: 4096 });
});
afterAll(() => dev.close());
beforeEach(() => dev.reset());

function rawPost(
  body: string | Uint8Array<ArrayBuffer>,
  contentType?: string,
  key: string | null = dev.apiKey,
) {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (contentType) headers['content-type'] = contentType;
  return fetch(`${dev.url}/api/v1/payments`, { method: 'POST', headers, body });
}

/** Sends raw bytes on a fresh TCP connection and resolves with everything the server sent back. */
function rawExchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(dev.port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(text));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

describe('bad input never crashes the server', () => {
  it('answers 400 for malformed JSON and keeps serving', async () => {
    const res = await rawPost('{"amount": 29.99, "currency": ', 'application/json');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(envelope(400, 'Request body is not valid JSON'));
    expect((await post(dev)).status).toBe(200);
  });

  it('answers 400 for an empty body', async () => {
    const res = await rawPost('', 'application/json');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(envelope(400, 'Request body is empty'));
  });

  it('answers 400 for a body that is not UTF-8', async () => {
    const res = await rawPost(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 'application/json');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(envelope(400, 'Request body is not valid UTF-8'));
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['form data', 'application/x-www-form-urlencoded'],
    ['no content type', undefined],
  ])('answers 415 for %s', async (_name, type) => {
    const res = await rawPost(
      JSON.stringify({ amount: 1, currency: 'USD', transaction_id: 'x' }),
      type,
    );
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual(envelope(415, expect.stringContaining('application/json')));
    expect(dev.payments()).toEqual([]);
  });

  it('answers 413 for a body over the limit, and the client reads the answer', async () => {
    const big = JSON.stringify({
      amount: 1,
      currency: 'USD',
      transaction_id: 'x',
      pad: 'x'.repeat(10_000),
    });
    const res = await rawPost(big, 'application/json');
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(envelope(413, expect.stringContaining('4096 bytes')));
    expect(dev.payments()).toEqual([]);
    expect(dev.requests()[0]?.body).toMatch(/over the body limit/);
  });

  it('answers 413 past the default limit of 1 MiB', async () => {
    const standard = await startDevServer();
    try {
      const pad = 'x'.repeat(1024 * 1024);
      const reply = await post(standard, { pad }, {});
      expect(reply.status).toBe(413);
    } finally {
      await standard.close();
    }
  });

  it('checks the credential before the body (401 beats 415)', async () => {
    const res = await rawPost('not json', 'text/plain', null);
    expect(res.status).toBe(401);
  });

  it('answers a malformed HTTP request with 400 and keeps serving', async () => {
    const answer = await rawExchange('THIS IS NOT HTTP\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect((await post(dev)).status).toBe(200);
  });

  it.each([
    ['an unknown method', 'FOO /api/v1/payments HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    [
      'a header with a space in its name',
      'POST /api/v1/payments HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n',
      400,
    ],
    [
      'two Content-Length headers',
      'POST /api/v1/payments HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello',
      400,
    ],
    [
      'headers over 16 KB',
      `POST /api/v1/payments HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
    ],
  ])(
    'answers HTTP that does not parse (%s) with the error envelope',
    async (_, request, status) => {
      const answer = await rawExchange(request);
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(head).toMatch(/content-type: application\/json/i);
      expect(JSON.parse(body)).toEqual(envelope(status));
      expect((await post(dev)).status).toBe(200);
    },
  );

  it('survives a client that disconnects halfway through a body', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(dev.port, '127.0.0.1', () => {
        socket.write(
          `POST /api/v1/payments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${dev.apiKey}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"amount":',
          () => socket.destroy(),
        );
      });
      socket.on('close', () => resolve());
    });
    expect((await post(dev)).status).toBe(200);
  });
});

describe('routes', () => {
  it('answers 404 with the envelope for an unknown /api/v1 route', async () => {
    const reply = await call(dev, { path: '/api/v1/refunds', body: {} });
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual(envelope(404, 'Not found: /api/v1/refunds'));
    expect(dev.requests()).toHaveLength(1);
  });

  it('answers 404 with the envelope for an unknown route elsewhere', async () => {
    const reply = await call(dev, { method: 'GET', path: '/favicon.ico' });
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual(envelope(404));
  });

  it.each(['GET', 'PUT', 'PATCH'])(
    'answers %s /api/v1/payments with 405 and Allow: POST, DELETE',
    async (method) => {
      const reply = await call(dev, { method });
      expect(reply.status).toBe(405);
      expect(reply.headers.get('allow')).toBe('POST, DELETE');
      expect(reply.json).toEqual(envelope(405));
    },
  );

  it('answers POST / with 405 and Allow: GET, HEAD', async () => {
    const reply = await call(dev, { method: 'POST', path: '/' });
    expect(reply.status).toBe(405);
    expect(reply.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serves the dashboard at GET / as HTML with its own script', async () => {
    const res = await fetch(`${dev.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<script src="/__devserver/dashboard.js" defer></script>');
    // Nothing loads from another host (a placeholder may show an example URL).
    expect(html).not.toMatch(/(?:src|href|action)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(?:https?:)?\/\//i);
    const script = await fetch(`${dev.url}/__devserver/dashboard.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('EventSource');
  });

  it('answers HEAD / without a body', async () => {
    const res = await fetch(`${dev.url}/`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('serves the stand-in tracker at GET /js/script.js', async () => {
    const res = await fetch(`${dev.url}/js/script.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    const text = await res.text();
    expect(text).toContain('datafast_visitor_id');
    expect(text).toContain("DataFast's real script");
  });
});
