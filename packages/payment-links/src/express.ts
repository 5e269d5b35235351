/**
 * The parts of an Express (4 or 5) or plain Node request that {@link toExpress} reads.
 * Structural, so this package needs neither Express nor Node types at run time.
 */
export interface NodeRequestish extends AsyncIterable<Uint8Array | string> {
  method?: string;
  url?: string;
  originalUrl?: string;
  protocol?: string;
  headers: Record<string, string | string[] | undefined>;
  /** Set by body parsers: a Buffer from `express.raw()`, a string from `express.text()`, an object from `express.json()`. */
  body?: unknown;
  /** `true` once body-parser (`express.json()`, `express.raw()`, ...) consumed the stream. */
  _body?: boolean;
  readableEnded?: boolean;
  /** Node's `Readable.iterator`: stopping early at the size limit must not destroy the socket, which still carries the 413. */
  iterator?(options: { destroyOnReturn: boolean }): AsyncIterable<Uint8Array | string>;
}

/** The parts of an Express or Node response that {@link toExpress} writes. */
export interface NodeResponseish {
  statusCode: number;
  setHeader(name: string, value: string | string[]): unknown;
  end(chunk?: Uint8Array): unknown;
}

/** Options of {@link toExpress}. */
export interface ToExpressOptions {
  /**
   * The largest request body read, in bytes. A larger one (by its `Content-Length`, or once that
   * many bytes have arrived) is answered 413 without running the handler, so nobody can make the
   * server buffer an endless body before the signature check refuses it. Default 1 MiB (1 048 576):
   * far above any provider's webhook (`express.raw()`'s own default is 100 kB).
   */
  maxBodyBytes?: number;
}

/** {@link ToExpressOptions.maxBodyBytes}'s default: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** A request body over the limit: answered 413. */
class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes (toExpress maxBodyBytes)`);
  }
}

// Set on a Request whose body a parser already consumed: webhook handlers answer with the fix.
// A global symbol, so the ESM and CJS builds of this package (and separate entries) agree.
const parsedBody = Symbol.for('@datafast-checkout/payment-links.parsedBody');

/** How a body parser left the body (`'an object'`, ...), or `undefined` when it is intact. */
export function parsedBodyOf(request: Request): string | undefined {
  return (request as unknown as Record<symbol, string | undefined>)[parsedBody];
}

/**
 * Runs a Web handler (`(request: Request) => Response`) as Express (4 or 5) middleware: the
 * request is rebuilt with its original URL, headers and raw body, and the answer written back.
 * For signed webhooks mount `express.raw({ type: 'application/json' })` on the route (or no
 * body parser at all); a body that `express.json()` already parsed is passed on marked, so the
 * webhook answers with an error that says so instead of a puzzling signature failure. A body
 * larger than `maxBodyBytes` (default 1 MiB) is answered 413 and never read to its end.
 *
 * @example
 * app.post('/api/webhooks/stripe', express.raw({ type: 'application/json' }), toExpress(stripeWebhook()))
 */
export function toExpress(
  handler: (request: Request) => Response | Promise<Response>,
  options: ToExpressOptions = {},
): (req: NodeRequestish, res: NodeResponseish, next: (error?: unknown) => void) => Promise<void> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new TypeError(`toExpress: maxBodyBytes must be a whole number of bytes, got ${limit}`);
  }
  return async (req, res, next) => {
    let request: Request;
    try {
      request = await toWebRequest(req, limit);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) return next(error);
      return writeResponse(tooLarge(error), res).catch(next);
    }
    try {
      await writeResponse(await handler(request), res);
    } catch (error) {
      next(error);
    }
  };
}

function tooLarge(error: BodyTooLargeError): Response {
  // `connection: close`: the rest of the body is never read, so the connection cannot be reused.
  return new Response(
    JSON.stringify({ error: { code: 'body_too_large', message: error.message } }),
    { status: 413, headers: { 'content-type': 'application/json', connection: 'close' } },
  );
}

async function toWebRequest(req: NodeRequestish, limit: number): Promise<Request> {
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const host = headers.get('host') ?? 'localhost';
  const url = new URL(req.originalUrl ?? req.url ?? '/', `${req.protocol ?? 'http'}://${host}`);

  let body: Uint8Array | string | undefined;
  let parsedAs: string | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const declared = Number(headers.get('content-length') ?? Number.NaN);
    if (declared > limit) throw new BodyTooLargeError(limit);
    if (req.body instanceof Uint8Array || typeof req.body === 'string') body = req.body;
    else if (req._body === true || req.readableEnded === true) {
      // body-parser sets `_body` once it has consumed the stream into `req.body`.
      parsedAs = Array.isArray(req.body)
        ? 'an array'
        : typeof req.body === 'object'
          ? 'an object'
          : 'another form';
    } else body = await readStream(req, limit); // no parser ran (Express 5 leaves `req.body` undefined)
  }
  const request = new Request(url, {
    method,
    headers,
    body: body === undefined || body.length === 0 ? undefined : (body as BodyInit),
  });
  if (parsedAs !== undefined) Object.defineProperty(request, parsedBody, { value: parsedAs });
  return request;
}

async function readStream(req: NodeRequestish, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const encoder = new TextEncoder();
  const stream = req.iterator ? req.iterator({ destroyOnReturn: false }) : req;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    size += bytes.length;
    // Stops reading (the stream stays paused); what was read is dropped.
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(bytes);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

async function writeResponse(response: Response, res: NodeResponseish): Promise<void> {
  res.statusCode = response.status;
  const cookies = response.headers.getSetCookie?.() ?? [];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.end(response.body ? new Uint8Array(await response.arrayBuffer()) : undefined);
}
