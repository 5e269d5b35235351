import type { IncomingMessage, ServerResponse } from 'node:http';

/** The body of every failed answer, as DataFast sends it. */
export interface ErrorEnvelope {
  status: 'error';
  error: { code: number; message: string };
}

/** Default request body limit: 1 MiB is far above any payment payload. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** A request body read up to a limit. */
export interface RequestBody {
  /** The bytes read, at most `limit` of them. */
  bytes: Buffer;
  /** Total size the client sent (even past the limit). */
  size: number;
  tooLarge: boolean;
}

/** Past this many bytes beyond the limit we stop draining and drop the connection. */
const DRAIN_CAP = 16 * 1024 * 1024;

/**
 * Reads a request body, keeping at most `limit` bytes. The rest is drained, not buffered, so the
 * client can finish sending and read our 413 instead of a broken pipe.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit + DRAIN_CAP) {
        req.socket.destroy();
        return;
      }
      if (kept < limit) {
        const part = chunk.subarray(0, limit - kept);
        chunks.push(part);
        kept += part.length;
      }
    });
    req.on('end', () => resolve({ bytes: Buffer.concat(chunks), size, tooLarge: size > limit }));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('request aborted'));
    });
  });
}

/** True for `application/json` and `application/*+json`, with or without parameters. */
export function isJsonContentType(header: string | undefined): boolean {
  return header !== undefined && /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(header.trim());
}

/** Decodes UTF-8 strictly: invalid bytes are a client error, not replacement characters. */
export function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A request body parsed as the JSON the API takes, or the 4xx status and message it earns:
 * 415 for another content type, 413 over the limit, 400 for bytes that are not UTF-8 or JSON.
 *
 * @example
 * const parsed = parseJsonBody(req.headers['content-type'], await readBody(req, limit), limit);
 */
export function parseJsonBody(
  contentType: string | undefined,
  body: RequestBody,
  limit: number,
): { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; message: string } {
  if (!isJsonContentType(contentType)) {
    return {
      ok: false,
      status: 415,
      message: 'Unsupported Media Type: send the body as Content-Type: application/json',
    };
  }
  if (body.tooLarge) {
    return {
      ok: false,
      status: 413,
      message: `Request body is too large: the limit is ${limit} bytes`,
    };
  }
  const text = decodeUtf8(body.bytes);
  if (text === undefined)
    return { ok: false, status: 400, message: 'Request body is not valid UTF-8' };
  if (text.trim() === '') return { ok: false, status: 400, message: 'Request body is empty' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, message: 'Request body is not valid JSON' };
  }
}

/** Writes a JSON answer. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** Builds DataFast's error envelope. */
export function errorEnvelope(code: number, message: string): ErrorEnvelope {
  return { status: 'error', error: { code, message } };
}

/** Writes DataFast's error envelope. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, errorEnvelope(status, message), headers);
}

/** Writes a text answer (HTML, JavaScript). */
export function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/**
 * True when a browser sent the request from a page of another origin. A page elsewhere could
 * otherwise reset the store or pay a link with a form post: browsers send `Origin` on such
 * requests, and tools (curl, fetch in Node) send none.
 */
export function isCrossOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/** Escapes text for HTML content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Answers 405 with the `Allow` header the route supports. */
export function sendMethodNotAllowed(res: ServerResponse, allow: readonly string[]): void {
  sendError(res, 405, `Method ${res.req.method ?? ''} not allowed; use ${allow.join(', ')}`, {
    Allow: allow.join(', '),
  });
}
