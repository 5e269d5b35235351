import {
  NodeBodyTooLargeError,
  type NodeIncomingRequest,
  toWebRequest,
} from '@datafast-checkout/core/node';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Options of {@link toFastify}. */
export interface ToFastifyOptions {
  /** The largest request body read, in bytes; a larger one is answered 413. Default 1 MiB. */
  maxBodyBytes?: number;
}

/**
 * Runs a Web handler (`(request: Request) => Response`, as every payment-links handler is) as a
 * Fastify route handler. The body follows core's one rule (`toWebRequest` in
 * `@datafast-checkout/core/node`): the bytes as they arrived when a `parseAs: 'buffer'` parser kept
 * them or nothing read them; after Fastify's JSON parser, the parsed value written back and marked,
 * so a signed webhook answers with an error that names the fix instead of a bad signature.
 *
 * @example
 * webhooks.post('/api/webhooks/stripe', toFastify(stripeWebhook()))
 */
export function toFastify(
  handler: (request: Request) => Response | Promise<Response>,
  options: ToFastifyOptions = {},
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    let response: Response;
    try {
      response = await handler(await webRequestOf(request, options.maxBodyBytes));
    } catch (error) {
      if (!(error instanceof NodeBodyTooLargeError)) throw error;
      response = Response.json(
        { error: { code: error.code, message: error.message } },
        { status: 413 },
      );
    }
    return sendResponse(reply, response);
  };
}

/**
 * A Web `Request` of a Fastify request: Fastify's URL, `protocol` (under `trustProxy`), headers and
 * body (what its content-type parser left, else the unread stream), through core's conversion.
 */
export function webRequestOf(request: FastifyRequest, maxBodyBytes?: number): Promise<Request> {
  const raw = request.raw;
  const node: NodeIncomingRequest = {
    method: raw.method,
    url: request.url,
    protocol: request.protocol,
    headers: raw.headers,
    body: request.body,
    readableEnded: raw.readableEnded,
    socket: raw.socket,
    on: (event, listener) => raw.on(event, listener),
    once: (event, listener) => raw.once(event, listener),
    off: (event, listener) => raw.off(event, listener),
    destroy: () => raw.destroy(),
  };
  return toWebRequest(node, { maxBodyBytes });
}

/** Sends a Web `Response` through Fastify's reply, so its `onSend` hooks and logging still run. */
export async function sendResponse(reply: FastifyReply, response: Response): Promise<FastifyReply> {
  reply.code(response.status);
  // Headers yields each Set-Cookie on its own, and Fastify's reply.header appends Set-Cookie.
  for (const [name, value] of response.headers) reply.header(name, value);
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  return reply.send(body);
}
