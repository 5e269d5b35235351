import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PaymentRecord } from '../api/payment-store.js';
import type { RequestLogEntry } from '../api/request-log.js';
import { dashboardScript } from '../dashboard/page.js';
import { type Faults, parseFaults } from '../faults.js';
import {
  isCrossOrigin,
  parseJsonBody,
  readBody,
  sendError,
  sendJson,
  sendMethodNotAllowed,
  sendText,
} from '../http/messages.js';
import type { StripeService } from '../stripe/index.js';
import { handleStripeControl } from '../stripe/index.js';
import type { AttributionReport, VisitorSource } from '../tracker/attribution.js';
import type { PageviewRecord } from '../tracker/pageviews.js';

/** The prefix of every control endpoint: outside `/api/v1`, never faulted. */
export const CONTROL_PREFIX = '/__devserver';

/** What the control endpoints act on. */
export interface ControlTarget {
  payments(): PaymentRecord[];
  pageviews(): PageviewRecord[];
  visitors(): VisitorSource[];
  attribution(): AttributionReport;
  stripe(): StripeService;
  requests(): RequestLogEntry[];
  stats(): object;
  faults(): Faults;
  setFaults(faults: Faults): void;
  reset(): Promise<void>;
  websites(): { id: string; domain: string }[];
  openEvents(req: IncomingMessage, res: ServerResponse): void;
  bodyLimit: number;
}

/**
 * Answers `/__devserver/*`: the payments and requests logs, stats, websites, faults, reset, the
 * dashboard's event stream and script. The router answers only loopback or allowed hosts here.
 */
export async function handleControl(
  target: ControlTarget,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const route = url.pathname.slice(CONTROL_PREFIX.length);
  const method = req.method ?? 'GET';
  const only = (allowed: string[]): boolean => {
    if (allowed.includes(method)) return true;
    sendMethodNotAllowed(res, allowed);
    return false;
  };
  const mutating = !['GET', 'HEAD', 'OPTIONS'].includes(method);
  if (mutating && isCrossOrigin(req)) {
    sendError(res, 403, 'Control endpoints refuse requests from other origins');
    return;
  }

  if (route === '/stripe' || route.startsWith('/stripe/')) {
    return handleStripeControl(target.stripe(), req, res, route, target.bodyLimit);
  }
  // Read-only views of the state, each answered the same way.
  const reads: Record<string, () => unknown> = {
    '/pageviews': () => ({ pageviews: target.pageviews() }),
    '/visitors': () => ({ visitors: target.visitors() }),
    '/attribution': () => target.attribution(),
    '/requests': () => ({ requests: target.requests() }),
    '/stats': () => target.stats(),
    '/websites': () => ({ websites: target.websites() }),
    '/health': () => ({ ok: true }),
  };
  const read = Object.hasOwn(reads, route) ? reads[route] : undefined;
  if (read) {
    if (only(['GET', 'HEAD'])) sendJson(res, 200, read());
    return;
  }
  switch (route) {
    case '/payments': {
      if (!only(['GET', 'HEAD'])) return;
      const q = url.searchParams;
      const payments = target
        .payments()
        .filter(
          (p) =>
            (!q.has('website_id') || p.website_id === q.get('website_id')) &&
            (!q.has('transaction_id') || p.transaction_id === q.get('transaction_id')) &&
            (!q.has('datafast_visitor_id') ||
              p.datafast_visitor_id === q.get('datafast_visitor_id')?.toLowerCase()),
        );
      sendJson(res, 200, { payments });
      return;
    }
    case '/reset':
      if (!only(['POST'])) return;
      await target.reset();
      sendJson(res, 200, { ok: true });
      return;
    case '/faults': {
      if (!only(['GET', 'HEAD', 'PUT', 'DELETE'])) return;
      if (method === 'DELETE') target.setFaults({});
      if (method === 'PUT') {
        const body = await readBody(req, target.bodyLimit);
        const parsed = parseJsonBody(req.headers['content-type'], body, target.bodyLimit);
        if (!parsed.ok) {
          sendError(res, parsed.status, parsed.message);
          return;
        }
        let faults: Faults;
        try {
          faults = parseFaults(parsed.value);
        } catch (error) {
          sendError(res, 400, `Invalid faults: ${(error as Error).message}`);
          return;
        }
        target.setFaults(faults);
      }
      sendJson(res, 200, { faults: target.faults() });
      return;
    }
    case '/events':
      if (!only(['GET'])) return;
      target.openEvents(req, res);
      return;
    case '/dashboard.js':
      if (!only(['GET', 'HEAD'])) return;
      sendText(res, 200, 'text/javascript; charset=utf-8', dashboardScript());
      return;
    default:
      sendError(res, 404, `Not found: ${url.pathname}`);
  }
}
