import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { createTrackerProxy, type TrackerProxyOptions } from '@datafast-checkout/core/proxy';

/** The part of an Express 4 or 5 request the proxy reads. */
interface ProxiedRequest extends IncomingMessage {
  /** The client address under the app's `trust proxy` setting. */
  ip?: string;
  protocol?: string;
  originalUrl?: string;
  /** Set by a body parser that ran first. */
  body?: unknown;
}

/**
 * Express 4 and 5 middleware that serves DataFast's tracking script and forwards its events from
 * your own origin (`/js/script.js` and `/api/events` by default), so ad blockers that block
 * datafa.st do not cost you the visitor's attribution. The visitor's IP is `req.ip`, so it
 * follows your app's `trust proxy` setting (a spoofed `X-Forwarded-For` is ignored unless you
 * trust the proxy in front). Mount it before body parsers. Point the tag at the same origin:
 * `<script defer data-website-id="…" src="/js/script.js"></script>`.
 *
 * @example
 * app.use(datafastProxy())
 */
export function datafastProxy(
  options: TrackerProxyOptions = {},
): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  const proxy = createTrackerProxy(options);
  return (req: ProxiedRequest, res, next) => {
    const url = new URL(req.originalUrl ?? req.url ?? '/', 'http://localhost');
    if (!proxy.matches(url.pathname)) {
      next();
      return;
    }
    proxy
      .handle(toWebRequest(req, url), { clientIp: req.ip ?? req.socket.remoteAddress })
      .then(async (response) => {
        if (!response) return next();
        res.statusCode = response.status;
        for (const [name, value] of response.headers) res.setHeader(name, value);
        // Scripts and event answers are a few kilobytes: buffered, never streamed unbounded.
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch(next);
  };
}

function toWebRequest(req: ProxiedRequest, url: URL): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const target = new URL(`${url.pathname}${url.search}`, `${req.protocol ?? 'http'}://localhost`);
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    // A body parser that ran first has read the stream; its result is all that is left.
    const parsed = req.body;
    if (typeof parsed === 'string') init.body = parsed;
    else if (Buffer.isBuffer(parsed)) init.body = new Uint8Array(parsed);
    else if (req.readableEnded) init.body = parsed === undefined ? '' : JSON.stringify(parsed);
    else {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
  }
  return new Request(target, init);
}
