/**
 * Both Express surfaces that hand a Node request to a Web handler, the tracker proxy
 * (`datafastProxy()`) and payment-links' `toExpress`, go through core's one conversion, so a body
 * that a parser already read reaches each of them the same: the raw bytes while they exist, the
 * parsed value written back (and marked) where its content type says how, an error otherwise.
 * Real Express 4 and 5 servers; the proxy forwards to a capturing server on 127.0.0.1.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsedBodyOf } from '@datafast-checkout/core/node';
import { toExpress } from '@datafast-checkout/payment-links';
import express5 from 'express';
import express4 from 'express4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datafastProxy } from '../src/index.js';
import { type ExpressModule, listen } from './helpers/shop.js';

/** Stands in for DataFast's /api/events: keeps each body exactly as it arrived. */
let events: { url: string; bodies: string[]; close(): Promise<void> };
beforeAll(async () => {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString());
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  events = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
afterAll(() => events.close());

// Formatted as a provider formats its webhooks: a re-serialisation is visibly not the original.
const json = '{ "type": "pageview", "href": "https://shop.test/?utm_source=newsletter" }';
const compactJson = JSON.stringify(JSON.parse(json));
const form = 'type=pageview&href=https%3A%2F%2Fshop.test%2F';

type Parser = (express: ExpressModule) => ReturnType<ExpressModule['json']> | undefined;
const cases: Array<{
  name: string;
  parser: Parser;
  contentType: string;
  body: string;
  expected: { body: string; parsedInto: string | null } | 'error';
}> = [
  {
    name: 'no body parser: the raw bytes',
    parser: () => undefined,
    contentType: 'application/json',
    body: json,
    expected: { body: json, parsedInto: null },
  },
  {
    name: 'express.raw(): the raw bytes',
    parser: (express) => express.raw({ type: '*/*' }),
    contentType: 'application/json',
    body: json,
    expected: { body: json, parsedInto: null },
  },
  {
    name: 'express.text(): the text, as it arrived',
    parser: (express) => express.text({ type: '*/*' }),
    contentType: 'text/plain',
    body: json,
    expected: { body: json, parsedInto: null },
  },
  {
    name: 'express.json() with a verify hook keeping req.rawBody: the raw bytes',
    parser: (express) =>
      express.json({
        verify: (req, _res, buffer) => {
          (req as { rawBody?: Buffer }).rawBody = buffer;
        },
      }),
    contentType: 'application/json',
    body: json,
    expected: { body: json, parsedInto: null },
  },
  {
    name: 'express.json(): the JSON written back, marked as parsed',
    parser: (express) => express.json(),
    contentType: 'application/json',
    body: json,
    expected: { body: compactJson, parsedInto: 'an object' },
  },
  {
    name: 'express.urlencoded(): the flat form written back, marked as parsed',
    parser: (express) => express.urlencoded({ extended: false }),
    contentType: 'application/x-www-form-urlencoded',
    body: form,
    expected: { body: form, parsedInto: 'an object' },
  },
  {
    name: 'a middleware that read the stream and kept nothing: an error, never an empty body',
    parser: () => (req, _res, next) => {
      req.resume();
      req.once('end', () => next());
    },
    contentType: 'application/json',
    body: json,
    expected: 'error',
  },
  {
    name: 'express.urlencoded({ extended: true }) of a nested form: an error, never a guess',
    parser: (express) => express.urlencoded({ extended: true }),
    contentType: 'application/x-www-form-urlencoded',
    body: 'event[type]=pageview',
    expected: 'error',
  },
];

describe.each([
  ['Express 5', express5 as unknown as ExpressModule],
  ['Express 4', express4 as unknown as ExpressModule],
])('a body parser ran first, in %s', (_name, express) => {
  it.each(cases)('$name, the same through the proxy and toExpress', async (testCase) => {
    events.bodies.length = 0;
    const app = express();
    const parser = testCase.parser(express);
    if (parser) app.use(parser);
    app.use(datafastProxy({ baseUrl: events.url }));
    app.post(
      '/echo',
      toExpress(async (request) =>
        Response.json({ body: await request.text(), parsedInto: parsedBodyOf(request) ?? null }),
      ),
    );
    app.use(
      (
        error: Error,
        _req: unknown,
        res: { status(code: number): { send(text: string): void } },
        _next: unknown,
      ) => {
        res.status(500).send(error.message);
      },
    );
    const running = await listen(app);
    try {
      const send = (path: string) =>
        fetch(`${running.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': testCase.contentType },
          body: testCase.body,
        });
      const proxied = await send('/api/events');
      const echoed = await send('/echo');
      if (testCase.expected === 'error') {
        for (const response of [proxied, echoed]) {
          expect(response.status).toBe(500);
          expect(await response.text()).toContain('mount the route before the body parser');
        }
        expect(events.bodies).toEqual([]);
        return;
      }
      expect(proxied.status).toBe(202);
      expect(events.bodies.splice(0)).toEqual([testCase.expected.body]);
      expect(await echoed.json()).toEqual(testCase.expected);
    } finally {
      await running.close();
    }
  });
});
