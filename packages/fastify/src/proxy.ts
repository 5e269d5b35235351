import { NodeBodyTooLargeError } from '@datafast-checkout/core/node';
import { createTrackerProxy, type TrackerProxyOptions } from '@datafast-checkout/core/proxy';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendResponse, webRequestOf } from './web-handler.js';

/**
 * A Fastify 4 and 5 plugin that serves DataFast's tracking script and forwards its events from
 * your own origin (`/js/script.js` and `/api/events` by default, as two routes), so ad blockers
 * that block datafa.st do not cost you the visitor's attribution. The visitor's IP is
 * `request.ip`, so it follows your app's `trustProxy` setting (a forged `X-Forwarded-For` is
 * ignored unless you trust the proxy in front). Its routes read the event body themselves, in
 * their own encapsulated context: your content-type parsers are not changed, nor used. Point the
 * tag at the same origin: `<script defer data-website-id="…" src="/js/script.js"></script>`.
 *
 * @example
 * await app.register(datafastProxy())
 */
export function datafastProxy(
  options: TrackerProxyOptions = {},
): (instance: FastifyInstance) => Promise<void> {
  const proxy = createTrackerProxy(options);
  // One byte past the cap is read, so that core's proxy sees an oversized body and answers its 413.
  const maxBodyBytes = (options.maxBodyBytes ?? 64 * 1024) + 1;
  return async (instance) => {
    // Leave the body unread, whatever its type: core reads it, capped, from the stream.
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      const response = await webRequestOf(request, maxBodyBytes).then(
        (web) => proxy.handle(web, { clientIp: request.ip }),
        overLimit,
      );
      // Both paths are the proxy's, so it always answers.
      return sendResponse(reply, response ?? new Response(null, { status: 404 }));
    };
    instance.all(proxy.scriptPath, handler);
    instance.all(proxy.eventsPath, handler);
  };
}

/** Past the cap the body is not read to its end: core's proxy answers an oversized body so. */
function overLimit(error: unknown): Response {
  if (!(error instanceof NodeBodyTooLargeError)) throw error;
  return Response.json({ error: `event body over ${error.limit - 1} bytes` }, { status: 413 });
}
