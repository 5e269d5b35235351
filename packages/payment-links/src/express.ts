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
}

/** The parts of an Express or Node response that {@link toExpress} writes. */
export interface NodeResponseish {
  statusCode: number;
  setHeader(name: string, value: string | string[]): unknown;
  end(chunk?: Uint8Array): unknown;
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
 * webhook answers with an error that says so instead of a puzzling signature failure.
 *
 * @example
 * app.post('/api/webhooks/stripe', express.raw({ type: 'application/json' }), toExpress(stripeWebhook()))
 */
export function toExpress(
  handler: (request: Request) => Response | Promise<Response>,
): (req: NodeRequestish, res: NodeResponseish, next: (error?: unknown) => void) => Promise<void> {
  return async (req, res, next) => {
    try {
      const response = await handler(await toWebRequest(req));
      await writeResponse(response, res);
    } catch (error) {
      next(error);
    }
  };
}

async function toWebRequest(req: NodeRequestish): Promise<Request> {
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
    if (req.body instanceof Uint8Array || typeof req.body === 'string') body = req.body;
    else if (req._body === true || req.readableEnded === true) {
      // body-parser sets `_body` once it has consumed the stream into `req.body`.
      parsedAs = Array.isArray(req.body)
        ? 'an array'
        : typeof req.body === 'object'
          ? 'an object'
          : 'another form';
    } else body = await readStream(req); // no parser ran (Express 5 leaves `req.body` undefined)
  }
  const request = new Request(url, {
    method,
    headers,
    body: body === undefined || body.length === 0 ? undefined : (body as BodyInit),
  });
  if (parsedAs !== undefined) Object.defineProperty(request, parsedBody, { value: parsedAs });
  return request;
}

async function readStream(req: NodeRequestish): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const encoder = new TextEncoder();
  for await (const chunk of req) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    chunks.push(bytes);
    size += bytes.length;
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
