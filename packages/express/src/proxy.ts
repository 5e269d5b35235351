import {
  NodeBodyTooLargeError,
  type NodeIncomingRequest,
  type NodeServerResponse,
  sendWebResponse,
  toWebRequest,
} from '@datafast-checkout/core/node';
import { createTrackerProxy, type TrackerProxyOptions } from '@datafast-checkout/core/proxy';

/** The part of an Express 4 or 5 request the proxy reads. */
interface ProxiedRequest extends NodeIncomingRequest {
  /** The client address under the app's `trust proxy` setting. */
  ip?: string;
}

/**
 * Express 4 and 5 middleware that serves DataFast's tracking script and forwards its events from
 * your own origin (`/js/script.js` and `/api/events` by default), so ad blockers that block
 * datafa.st do not cost you the visitor's attribution. The visitor's IP is `req.ip`, so it
 * follows your app's `trust proxy` setting (a spoofed `X-Forwarded-For` is ignored unless you
 * trust the proxy in front). Mount it before body parsers; after `express.json()` the event it
 * forwards is the parsed event written back as JSON (core's one rule for a parsed body, see
 * `toWebRequest` in `@datafast-checkout/core/node`). Point the tag at the same origin:
 * `<script defer data-website-id="…" src="/js/script.js"></script>`.
 *
 * @example
 * app.use(datafastProxy())
 */
export function datafastProxy(
  options: TrackerProxyOptions = {},
): (req: ProxiedRequest, res: NodeServerResponse, next: (error?: unknown) => void) => void {
  const proxy = createTrackerProxy(options);
  // One byte past the cap is read, so that core's proxy sees an oversized body and answers its 413.
  const maxBodyBytes = (options.maxBodyBytes ?? 64 * 1024) + 1;
  return (req, res, next) => {
    const path = new URL(req.originalUrl ?? req.url ?? '/', 'http://localhost').pathname;
    if (!proxy.matches(path)) {
      next();
      return;
    }
    // Read before the body: the address is the connection's, whatever happens to the body.
    const clientIp = req.ip ?? req.socket?.remoteAddress;
    toWebRequest(req, { maxBodyBytes })
      .then((request) => proxy.handle(request, { clientIp }), overLimit)
      .then((response) => (response ? sendWebResponse(response, res) : next()))
      .catch(next);
  };
}

/** Past the cap the body is not read to its end: core's proxy answers an oversized body so. */
function overLimit(error: unknown): Response {
  if (!(error instanceof NodeBodyTooLargeError)) throw error;
  return Response.json({ error: `event body over ${error.limit - 1} bytes` }, { status: 413 });
}
