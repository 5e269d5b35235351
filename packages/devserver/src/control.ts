import type { IncomingMessage, ServerResponse } from 'node:http';
import { dashboardScript } from './dashboard.js';
import { type Faults, parseFaults } from './faults.js';
import {
  parseJsonBody,
  readBody,
  sendError,
  sendJson,
  sendMethodNotAllowed,
  sendText,
} from './http.js';
import type { PageviewRecord } from './pageviews.js';
import type { RequestLogEntry } from './requests.js';
import type { PaymentRecord } from './store.js';

/** The prefix of every control endpoint: outside `/api/v1`, never faulted. */
export const CONTROL_PREFIX = '/__devserver';

/** What the control endpoints act on. */
export interface ControlTarget {
  payments(): PaymentRecord[];
  pageviews(): PageviewRecord[];
  requests(): RequestLogEntry[];
  stats(): object;
  faults(): Faults;
  setFaults(faults: Faults): void;
  reset(): Promise<void>;
  websites(): { id: string; domain: string }[];
  openEvents(req: IncomingMessage, res: ServerResponse): void;
  bodyLimit: number;
}

// A page on another origin could otherwise reset the store or set faults with a form post:
// browsers send Origin on such requests, and tools (curl, fetch in Node) send none.
function crossOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
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
  if (mutating && crossOrigin(req)) {
    sendError(res, 403, 'Control endpoints refuse requests from other origins');
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
    case '/pageviews':
      if (!only(['GET', 'HEAD'])) return;
      sendJson(res, 200, { pageviews: target.pageviews() });
      return;
    case '/requests':
      if (!only(['GET', 'HEAD'])) return;
      sendJson(res, 200, { requests: target.requests() });
      return;
    case '/stats':
      if (!only(['GET', 'HEAD'])) return;
      sendJson(res, 200, target.stats());
      return;
    case '/websites':
      if (!only(['GET', 'HEAD'])) return;
      sendJson(res, 200, { websites: target.websites() });
      return;
    case '/health':
      if (!only(['GET', 'HEAD'])) return;
      sendJson(res, 200, { ok: true });
      return;
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
