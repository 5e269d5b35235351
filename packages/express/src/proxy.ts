import type { IncomingMessage, ServerResponse } from 'node:http';
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
  // Read one byte past the cap, so the proxy sees an oversized body and answers 413.
  const readLimit = (options.maxBodyBytes ?? 64 * 1024) + 1;
  return (req: ProxiedRequest, res, next) => {
    const url = new URL(req.originalUrl ?? req.url ?? '/', 'http://localhost');
    if (!proxy.matches(url.pathname)) {
      next();
      return;
    }
    // Read before the body: the address is the connection's, whatever happens to the body.
    const clientIp = req.ip ?? req.socket?.remoteAddress;
    toWebRequest(req, url, readLimit)
      .then((request) => proxy.handle(request, { clientIp }))
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

async function toWebRequest(req: ProxiedRequest, url: URL, readLimit: number): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const target = new URL(`${url.pathname}${url.search}`, `${req.protocol ?? 'http'}://localhost`);
  if (req.method === 'GET' || req.method === 'HEAD')
    return new Request(target, { method: req.method, headers });
  return new Request(target, { method: req.method, headers, body: await bodyOf(req, readLimit) });
}

// Past the cap, this much more is drained (so that the client finishes sending and reads the 413
// rather than a reset) before the connection is dropped.
const drainBytes = 16 * 1024 * 1024;

/**
 * The request body as bytes, at most `limit` of them (an event is a few hundred bytes; reading it
 * whole is cheaper than a Web stream). A body parser that ran first has read the stream; its
 * result is all that is left. Past the limit the rest is drained unread, never by destroying the
 * request at once: the 413 still has a connection to go out on.
 */
function bodyOf(req: ProxiedRequest, limit: number): Promise<Uint8Array<ArrayBuffer> | string> {
  const parsed = req.body;
  if (typeof parsed === 'string') return Promise.resolve(parsed);
  if (Buffer.isBuffer(parsed)) return Promise.resolve(Uint8Array.from(parsed));
  if (req.readableEnded) {
    return Promise.resolve(parsed === undefined ? '' : JSON.stringify(parsed));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = () => {
      settled = true;
      req.off('end', finish);
      req.off('error', fail);
      req.off('close', closed);
    };
    const finish = () => {
      settle();
      resolve(Uint8Array.from(Buffer.concat(chunks).subarray(0, limit)));
    };
    const fail = (error: Error) => {
      settle();
      req.off('data', onData);
      reject(error);
    };
    const closed = () => fail(new Error('the request closed before its body ended'));
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (settled) {
        // Draining what follows the cap; an endless body loses its connection.
        if (size > limit + drainBytes) {
          req.off('data', onData);
          req.destroy();
        }
        return;
      }
      chunks.push(chunk);
      // Enough to know it is too large: the proxy refuses it by its size.
      if (size >= limit) finish();
    };
    req.on('data', onData);
    req.once('end', finish);
    req.once('error', fail);
    req.once('close', closed);
  });
}
