import { readFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeTrackerProxy } from '@datafast-checkout/devserver/testing/vitest';
import { expect, it } from 'vitest';
import { example } from './example.js';

// The tracker proxy (`proxy.ts`) in the built app: a browser that blocks DataFast's host still
// gets its cookie, pageview and attributed payment through the app. Under a bare `next start`
// (no platform, no proxy of ours in front) nothing in a request says the visitor's address
// unforgeably, so the proxy sends none and DataFast sees the app's own address; behind a reverse
// proxy it trusts (DATAFAST_TRUSTED_PROXIES), the address that proxy appended.

const suite = describeTrackerProxy(example, { forwardsVisitorIp: false });

it('builds proxy.ts for the Node.js runtime, matching only the tracker paths', async () => {
  const manifest = JSON.parse(
    await readFile(
      new URL('../.next/server/functions-config-manifest.json', import.meta.url),
      'utf8',
    ),
  ) as {
    functions: Record<string, { runtime?: string; matchers?: Array<{ originalSource: string }> }>;
  };
  const proxy = manifest.functions['/_middleware'];
  expect(proxy?.runtime).toBe('nodejs');
  expect(proxy?.matchers?.map((m) => m.originalSource)).toEqual(['/js/script.js', '/api/events']);
});

it('sends the address its own reverse proxy appended, with DATAFAST_TRUSTED_PROXIES=1', async () => {
  // The app behind one reverse proxy that appends the address it sees to X-Forwarded-For, as
  // nginx does with `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`.
  const behind = await suite.start({ DATAFAST_TRUSTED_PROXIES: '1' });
  const proxy = createServer((req, res) => {
    const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const upstream = request(
      `${behind.url}${req.url}`,
      { method: req.method, headers: { ...req.headers, 'x-forwarded-for': forwarded } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  try {
    await new Promise<void>((resolve) => proxy.listen(0, '::1', resolve));
    const { port } = proxy.address() as AddressInfo;
    const visitor = 'c0ffee00-1234-4abc-8def-0123456789ab';
    const response = await fetch(`http://[::1]:${port}/api/events`, {
      method: 'POST',
      // What the visitor sent; the proxy appends ::1, the address it saw the visitor at.
      headers: {
        'content-type': 'text/plain',
        'x-forwarded-for': '6.6.6.6',
        'x-real-ip': '6.6.6.6',
      },
      body: JSON.stringify({ type: 'pageview', href: 'http://shop.test/', visitorId: visitor }),
    });
    expect(response.status).toBe(202);
    expect((await suite.dev.waitForPageview(visitor)).ip).toBe('::1');
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
    await behind.stop();
  }
});
