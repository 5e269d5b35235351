import {
  DEFAULT_MAX_BODY_BYTES,
  NodeBodyTooLargeError,
  type NodeIncomingRequest,
  type NodeServerResponse,
  sendWebResponse,
  toWebRequest,
} from '@datafast-checkout/core/node';

// The conversion is core's (one rule for every Node surface); these names stay for the users and
// the webhook handlers that import them from here.
export { DEFAULT_MAX_BODY_BYTES, parsedBodyOf } from '@datafast-checkout/core/node';

/**
 * The parts of an Express (4 or 5) or plain Node request that {@link toExpress} reads: core's
 * `NodeIncomingRequest`.
 */
export type NodeRequestish = NodeIncomingRequest;

/** The parts of an Express or Node response that {@link toExpress} writes: core's `NodeServerResponse`. */
export type NodeResponseish = NodeServerResponse;

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

/**
 * Runs a Web handler (`(request: Request) => Response`) as Express (4 or 5) middleware: the
 * request is rebuilt with its original URL, headers and body, and the answer written back. The
 * body follows core's one rule (`toWebRequest` in `@datafast-checkout/core/node`, the same as
 * Express's tracker proxy): the raw bytes whenever they still exist (no body parser, or
 * `express.raw()`, `express.text()`, a parser's `verify` hook keeping `req.rawBody`); after
 * `express.json()` or `express.urlencoded()` the parsed value written back and marked, so a
 * signed webhook answers with an error that names the fix (mount `express.raw()` on the route)
 * instead of a puzzling signature failure, while a plain handler still reads its JSON. A body
 * larger than `maxBodyBytes` (default 1 MiB) is answered 413 and never read to its end.
 *
 * @example
 * app.post('/api/webhooks/stripe', express.raw({ type: 'application/json' }), toExpress(stripeWebhook()))
 */
export function toExpress(
  handler: (request: Request) => Response | Promise<Response>,
  options: ToExpressOptions = {},
): (req: NodeRequestish, res: NodeResponseish, next: (error?: unknown) => void) => Promise<void> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new TypeError(
      `toExpress: maxBodyBytes must be a whole number of bytes, got ${maxBodyBytes}`,
    );
  }
  return async (req, res, next) => {
    let request: Request;
    try {
      request = await toWebRequest(req, { maxBodyBytes });
    } catch (error) {
      if (!(error instanceof NodeBodyTooLargeError)) return next(error);
      return sendWebResponse(tooLarge(error), res).catch(next);
    }
    try {
      await sendWebResponse(await handler(request), res);
    } catch (error) {
      next(error);
    }
  };
}

function tooLarge(error: NodeBodyTooLargeError): Response {
  return Response.json(
    {
      error: {
        code: 'body_too_large',
        message: `the request body is larger than ${error.limit} bytes (toExpress maxBodyBytes)`,
      },
    },
    { status: 413 },
  );
}
