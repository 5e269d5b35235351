// size: one conversion with its one body rule and the rule's reasons, read top to bottom.
// The one conversion between a Node request (`http.IncomingMessage`: plain Node, Express 4 and 5,
// Next.js Pages API routes) and Web `Request`/`Response`, for the adapters that hand Node
// requests to core's Web handlers (Express's tracker proxy, payment-links' `toExpress`).
// Duck-typed: no `node:` import and no `Buffer` (a Buffer is a Uint8Array), so core's rules hold.
import { DatafastConfigError } from './errors.js';

/**
 * The parts of a Node request (`http.IncomingMessage`, an Express 4 or 5 `req`, a Next.js Pages
 * API `req`) that {@link toWebRequest} reads. Structural, so no Node or Express types are needed.
 */
export interface NodeIncomingRequest {
  method?: string;
  url?: string;
  /** Express: the URL as the client sent it, before a router stripped its mount path. */
  originalUrl?: string;
  /** Express: `'http'` or `'https'`, following the app's `trust proxy` setting. */
  protocol?: string;
  headers: Record<string, string | string[] | undefined>;
  /**
   * What a body parser left: bytes (`express.raw()`), a string (`express.text()`), a parsed
   * value (`express.json()`, `express.urlencoded()`, Next's `bodyParser`).
   */
  body?: unknown;
  /** The raw bytes, kept by a body parser's `verify` hook, NestJS (`rawBody: true`) or Firebase. */
  rawBody?: unknown;
  /** body-parser sets it once it has read the stream into `body`. */
  _body?: boolean;
  readableEnded?: boolean;
  /** TLS sockets have `encrypted`: the protocol where no `protocol` says it. */
  socket?: { encrypted?: boolean; remoteAddress?: string } | null;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  destroy?(): unknown;
}

/** The parts of a Node response (`http.ServerResponse`, Express's `res`) that {@link sendWebResponse} writes. */
export interface NodeServerResponse {
  statusCode: number;
  setHeader(name: string, value: string | string[]): unknown;
  end(chunk?: Uint8Array): unknown;
}

/** Options of {@link toWebRequest}. */
export interface NodeRequestOptions {
  /**
   * The largest body read, in bytes: past it (by `Content-Length`, or once that many bytes have
   * arrived) {@link toWebRequest} rejects with a {@link NodeBodyTooLargeError}, so nobody can make
   * the server buffer an endless body. Default {@link DEFAULT_MAX_BODY_BYTES}.
   */
  maxBodyBytes?: number;
}

/** {@link NodeRequestOptions.maxBodyBytes}'s default: 1 MiB, far above any webhook or tracker event. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * A request body over `maxBodyBytes`: answer 413. The rest of the body is drained (at most
 * 16 MiB more) so the client reads the answer instead of a reset.
 *
 * @example
 * catch (error) { if (error instanceof NodeBodyTooLargeError) return tooLarge(error.limit) }
 */
export class NodeBodyTooLargeError extends Error {
  readonly code = 'body_too_large';
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes (maxBodyBytes)`);
    this.name = 'NodeBodyTooLargeError';
  }
}

// Set on a Request whose body a parser had already turned into a value: the bytes it carries are
// a re-serialisation. A global symbol, so separate builds (ESM and CJS, copies) agree.
const parsedBody = Symbol.for('@datafast-checkout/core.parsedBody');

/**
 * What a body parser had turned the body into (`'an object'`, `'an array'`, ...) when
 * {@link toWebRequest} had to re-serialise it, or `undefined` when the Request carries the bytes
 * as they arrived. A signature check must refuse a re-serialised body: it covers the raw bytes.
 *
 * @example
 * if (parsedBodyOf(request)) return new Response('mount express.raw() on this route', { status: 500 })
 */
export function parsedBodyOf(request: Request): string | undefined {
  return (request as unknown as Record<symbol, string | undefined>)[parsedBody];
}

/**
 * A Web `Request` of a Node request: its original URL (Express's `originalUrl`, its `protocol`
 * under `trust proxy`, the `Host` header), every header, and its body under one rule:
 *
 * 1. The bytes as they arrived whenever they still exist: the unread stream; `req.body` bytes
 *    (`express.raw()`); `req.rawBody` bytes (a parser's `verify` hook, NestJS, Firebase); a
 *    `req.body` string (`express.text()`, encoded as UTF-8 again: exact for a UTF-8 body).
 * 2. Only a parsed value left (`express.json()`, `express.urlencoded()` ran first): the bytes are
 *    gone. The value is re-serialised where its content type says how, JSON for JSON (and
 *    `text/plain`, which only a JSON parser told to take it could have parsed), a form for a flat
 *    `x-www-form-urlencoded` body, and the Request is marked ({@link parsedBodyOf}) so that a
 *    signature check refuses it with the fix instead of failing as a bad signature.
 * 3. Otherwise (a nested form, a multipart body, a stream read and not kept) it rejects with a
 *    `DatafastConfigError` that says to mount the route before the body parser.
 *
 * A body over `maxBodyBytes` rejects with a {@link NodeBodyTooLargeError}.
 *
 * @example
 * const request = await toWebRequest(req, { maxBodyBytes: 64 * 1024 })
 */
export async function toWebRequest(
  req: NodeIncomingRequest,
  options: NodeRequestOptions = {},
): Promise<Request> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const url = urlOf(req, headers.get('host'));
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  const { bytes, parsedInto } = await bodyOf(req, headers, limit);
  if (parsedInto !== undefined) headers.set('content-length', String(bytes.length));
  const request = new Request(url, {
    method,
    headers,
    body: bytes.length === 0 ? undefined : bytes,
  });
  if (parsedInto !== undefined) Object.defineProperty(request, parsedBody, { value: parsedInto });
  return request;
}

/**
 * Writes a Web `Response` to a Node response: status, every header (each `Set-Cookie` on its
 * own), and the body, buffered (the answers adapters pass on are small).
 *
 * @example
 * await sendWebResponse(await handler(request), res)
 */
export async function sendWebResponse(response: Response, res: NodeServerResponse): Promise<void> {
  res.statusCode = response.status;
  const cookies = response.headers.getSetCookie?.() ?? [];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  res.end(response.body ? new Uint8Array(await response.arrayBuffer()) : undefined);
}

function urlOf(req: NodeIncomingRequest, host: string | null): URL {
  const path = req.originalUrl ?? req.url ?? '/';
  const protocol = req.protocol ?? (req.socket?.encrypted ? 'https' : 'http');
  try {
    return new URL(path, `${protocol}://${host ?? 'localhost'}`);
  } catch {
    // A Host header that is no host: the path still routes.
    return new URL(path, `${protocol}://localhost`);
  }
}

type Body = { bytes: Uint8Array<ArrayBuffer>; parsedInto?: string };

async function bodyOf(req: NodeIncomingRequest, headers: Headers, limit: number): Promise<Body> {
  const consumed = req._body === true || req.readableEnded === true;
  if (!consumed) {
    const declared = Number(headers.get('content-length') ?? Number.NaN);
    if (declared > limit) {
      drain(req, 0, limit);
      throw new NodeBodyTooLargeError(limit);
    }
    return { bytes: await readStream(req, limit) };
  }
  const kept = keptBytes(req);
  if (kept) {
    if (kept.length > limit) throw new NodeBodyTooLargeError(limit);
    return { bytes: kept };
  }
  if (req.body === undefined || req.body === null) {
    if (!hasBody(headers)) return { bytes: new Uint8Array(0) };
    throw new DatafastConfigError(
      'the request body was read before this handler and not kept: mount the route before the body parser (or whatever read it)',
    );
  }
  return reserialized(req.body, headers);
}

function keptBytes(req: NodeIncomingRequest): Uint8Array<ArrayBuffer> | undefined {
  // A copy: a Buffer may be a view into a shared pool.
  if (req.body instanceof Uint8Array) return new Uint8Array(req.body);
  if (req.rawBody instanceof Uint8Array) return new Uint8Array(req.rawBody);
  if (typeof req.body === 'string') return new TextEncoder().encode(req.body);
  return undefined;
}

function hasBody(headers: Headers): boolean {
  return headers.has('transfer-encoding') || Number(headers.get('content-length') ?? 0) > 0;
}

function reserialized(value: unknown, headers: Headers): Body {
  const parsedInto = Array.isArray(value)
    ? 'an array'
    : `a${/^[aeiou]/.test(typeof value) ? 'n' : ''} ${typeof value}`;
  const type = (headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let text: string | undefined;
  if (type === 'application/x-www-form-urlencoded') text = flatForm(value);
  else if (type === 'text/plain' || type === 'application/json' || type.endsWith('+json')) {
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined; // a cycle or a BigInt: not JSON any more
    }
  }
  if (text === undefined) {
    throw new DatafastConfigError(
      `the request body was already parsed into ${parsedInto} (${type || 'no content type'}) by a body parser that ran first, ` +
        'and cannot be written back as it arrived: mount the route before the body parser (in Express, before app.use(express.json()) or express.urlencoded())',
    );
  }
  return { bytes: new TextEncoder().encode(text), parsedInto };
}

/** A form of string (or string-list) fields as `a=1&b=2`; `undefined` for a nested one. */
function flatForm(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const form = new URLSearchParams();
  for (const [name, field] of Object.entries(value)) {
    const items = Array.isArray(field) ? field : [field];
    if (!items.every((item) => typeof item === 'string')) return undefined;
    for (const item of items) form.append(name, item);
  }
  return form.toString();
}

// Past the cap, this much more is drained (so that the client finishes sending and reads the 413
// rather than a reset) before the connection is dropped.
const drainBytes = 16 * 1024 * 1024;

/**
 * The body as bytes, at most `limit` of them (a webhook or an event is a few kilobytes: reading
 * it whole from `data` events is cheaper than a Web stream). Past the limit it rejects and the
 * rest is drained unread, never by destroying the request at once: the 413 still has a
 * connection to go out on.
 */
function readStream(req: NodeIncomingRequest, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: unknown) => {
      const bytes =
        typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
      size += bytes.length;
      if (size > limit) {
        stop();
        drain(req, size, limit);
        reject(new NodeBodyTooLargeError(limit));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = () => {
      stop();
      resolve(concat(chunks, size));
    };
    const onError = (error: unknown) => {
      stop();
      reject(error);
    };
    const onClose = () => onError(new Error('the request closed before its body ended'));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}

/** Reads and drops the rest of a refused body, up to `drainBytes` past the limit, then hangs up. */
function drain(req: NodeIncomingRequest, alreadyRead: number, limit: number): void {
  let size = alreadyRead;
  const onData = (chunk: unknown) => {
    size += (chunk as Uint8Array | string).length;
    if (size > limit + drainBytes) {
      req.off('data', onData);
      req.destroy?.();
    }
  };
  req.on('data', onData);
  // A connection error while draining is no one's concern any more: the answer is decided.
  req.on('error', () => {});
}

function concat(chunks: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}
