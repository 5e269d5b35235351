import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { DataSaver } from '../data/saver.js';
import { decodeUtf8, readBody, sendError, sendJson } from '../http/messages.js';
import { landingSource, type VisitorSource } from './attribution.js';

/**
 * A pageview as the stand-in tracker sends it to `POST /api/events` (directly, or through a
 * same-origin proxy), with what the devserver saw of the connection.
 *
 * @example
 * const view: PageviewRecord = await dev.waitForPageview((v) => v.visitor_id === visitor)
 */
export interface PageviewRecord {
  /** The tag's `data-website-id`, when it has one. */
  website_id: string | null;
  visitor_id: string;
  /** `s` + a UUID, when the page had a session. */
  session_id: string | null;
  /** The page's full URL, query (UTM parameters) included. */
  url: string;
  /** `document.referrer`, or `null`. */
  referrer: string | null;
  /**
   * The visitor's address: `x-datafast-real-ip` when a proxy set it (as DataFast reads it),
   * else the connection's own address.
   */
  ip: string;
  user_agent: string | null;
  received_at: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// An event is a few hundred bytes; the cap keeps a misbehaving client from filling memory.
const eventBodyLimit = 16 * 1024;
const cors = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'content-type',
};

/**
 * The pageviews received, oldest first, with each visitor's source (from their first pageview)
 * and a listener per arrival (dashboard, tests). With a data file they are kept in it, written in
 * the background: a pageview is answered before it is on disk.
 */
export class PageviewStore {
  readonly #records: PageviewRecord[] = [];
  readonly #visitors = new Map<string, VisitorSource>();
  readonly #listeners = new Set<(record: PageviewRecord, firstOfVisitor?: VisitorSource) => void>();
  readonly #file: DataSaver | undefined;

  constructor(file?: DataSaver, initial: PageviewRecord[] = []) {
    this.#file = file;
    for (const record of initial) this.#keep(record);
  }

  list(): PageviewRecord[] {
    return this.#records.map((record) => ({ ...record }));
  }

  /** Where each visitor came from, by their first pageview. */
  visitors(): VisitorSource[] {
    return [...this.#visitors.values()].map((visitor) => ({ ...visitor }));
  }

  add(record: PageviewRecord): void {
    const first = this.#keep(record);
    this.#file?.save().catch(() => {}); // a failed write is retried with the next change
    for (const listener of [...this.#listeners]) listener({ ...record }, first && { ...first });
  }

  clear(): void {
    this.#records.length = 0;
    this.#visitors.clear();
  }

  /** Subscribes to arrivals; the second argument is set for a visitor's first pageview. */
  subscribe(
    listener: (record: PageviewRecord, firstOfVisitor?: VisitorSource) => void,
  ): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stores a pageview; answers the visitor's source when it is their first. */
  #keep(record: PageviewRecord): VisitorSource | undefined {
    this.#records.push(record);
    if (this.#visitors.has(record.visitor_id)) return undefined;
    const visitor: VisitorSource = {
      visitor_id: record.visitor_id,
      ...landingSource(record.url, record.referrer),
      referrer: record.referrer,
      first_seen: record.received_at,
    };
    this.#visitors.set(record.visitor_id, visitor);
    return visitor;
  }
}

/**
 * Answers `POST /api/events`: validates the stand-in tracker's pageview and stores it. CORS is
 * open, as DataFast's own endpoint must be for pages on any site.
 */
export async function handleEvent(
  store: PageviewStore,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors).end();
    return;
  }
  if (req.method !== 'POST') {
    sendError(res, 405, 'Method not allowed; use POST', { Allow: 'POST, OPTIONS', ...cors });
    return;
  }
  const body = await readBody(req, eventBodyLimit).catch(() => undefined);
  if (!body) return; // the client went away mid-body
  if (body.tooLarge) return sendError(res, 413, `Event body over ${eventBodyLimit} bytes`, cors);
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(decodeUtf8(body.bytes) ?? '') as Record<string, unknown>;
  } catch {
    return sendError(res, 400, 'Event body must be JSON', cors);
  }
  const problem = eventProblem(event);
  if (problem) return sendError(res, 400, problem, cors);
  const forwarded = String(req.headers['x-datafast-real-ip'] ?? '').trim();
  const userAgent = req.headers['user-agent'];
  store.add({
    website_id: typeof event.websiteId === 'string' ? event.websiteId.slice(0, 100) : null,
    visitor_id: event.visitorId as string,
    session_id: typeof event.sessionId === 'string' ? event.sessionId : null,
    url: event.href as string,
    referrer: typeof event.referrer === 'string' && event.referrer ? event.referrer : null,
    ip: isIP(forwarded) ? forwarded : (req.socket.remoteAddress ?? ''),
    user_agent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null,
    received_at: new Date().toISOString(),
  });
  sendJson(res, 202, { ok: true }, cors);
}

function eventProblem(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return 'Event must be a JSON object';
  }
  const { type, href, visitorId, sessionId, referrer } = event as Record<string, unknown>;
  if (type !== 'pageview') return 'type must be "pageview"';
  if (typeof visitorId !== 'string' || !uuid.test(visitorId)) return 'visitorId must be a UUID';
  if (sessionId !== undefined && (typeof sessionId !== 'string' || !/^s/.test(sessionId))) {
    return 'sessionId must be "s" followed by a UUID';
  }
  if (typeof href !== 'string' || href.length > 2048 || !/^https?:\/\//.test(href)) {
    return 'href must be an http(s) URL';
  }
  if (
    referrer !== undefined &&
    referrer !== null &&
    (typeof referrer !== 'string' || referrer.length > 2048)
  ) {
    return 'referrer must be a string';
  }
  return undefined;
}
