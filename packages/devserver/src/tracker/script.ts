// The stand-in for DataFast's tracking script, served at GET /js/script.js. It sets the two
// cookies the real tracker sets, so that checkouts on a local page are attributed to a visitor,
// and sends a pageview (the page URL with its UTM parameters, the referrer, the visitor and
// session) to `data-api-url`, else `/api/events` on the origin the script came from, as the
// real one does: through a same-origin proxy, or to the devserver directly. In production, pages
// load DataFast's real script instead.
//
// The function below runs in the browser: it is serialised with toString(), so it must not use
// anything from this module's scope. Writing it as TypeScript keeps it type-checked and linted.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendText } from '../http/messages.js';

/** Cookie names and lifetimes of DataFast's tracker. */
export const VISITOR_COOKIE = 'datafast_visitor_id';
export const SESSION_COOKIE = 'datafast_session_id';
export const VISITOR_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
export const SESSION_MAX_AGE_SECONDS = 30 * 60;

function standInTracker(
  visitorName: string,
  sessionName: string,
  visitorAge: number,
  sessionAge: number,
) {
  const script = document.currentScript as HTMLScriptElement | null;

  const read = (name: string): string | undefined => {
    for (const part of document.cookie.split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name)
        return decodeURIComponent(part.slice(eq + 1).trim());
    }
    return undefined;
  };

  // crypto.randomUUID needs a secure context; getRandomValues works on plain http LAN hosts too.
  const uuid = (): string => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = ((b[6] as number) & 0x0f) | 0x40;
    b[8] = ((b[8] as number) & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  const write = (name: string, value: string, maxAge: number, domain: string | undefined) => {
    const parts = [
      `${name}=${encodeURIComponent(value)}`,
      `Max-Age=${maxAge}`,
      'Path=/',
      'SameSite=Lax',
    ];
    if (domain) parts.push(`Domain=${domain}`);
    if (location.protocol === 'https:') parts.push('Secure');
    // biome-ignore lint/suspicious/noDocumentCookie: the real tracker sets these with document.cookie too.
    document.cookie = parts.join('; ');
  };

  // Like DataFast's tracker, use the widest domain the browser accepts (shop.example.com sets
  // on example.com, so www and app share a visitor). Browsers refuse public suffixes such as
  // co.uk, which is how the loop finds the registrable domain. IPs and localhost get host-only.
  const cookieDomain = (): string | undefined => {
    const host = location.hostname;
    if (!host.includes('.') || /^[\d.]+$/.test(host) || host.includes(':')) return undefined;
    const wanted = script?.dataset.domain?.replace(/^\./, '').toLowerCase();
    if (wanted && (host === wanted || host.endsWith(`.${wanted}`))) return wanted;
    const labels = host.split('.');
    for (let i = labels.length - 2; i >= 0; i--) {
      const candidate = labels.slice(i).join('.');
      const probe = `datafast_domain_probe_${Math.random().toString(36).slice(2)}`;
      write(probe, '1', 10, candidate);
      const accepted = read(probe) === '1';
      write(probe, '', 0, candidate);
      if (accepted) return candidate;
    }
    return undefined;
  };

  const domain = cookieDomain();
  const visitor = read(visitorName);
  // An existing visitor keeps its id: that is what attribution relies on.
  if (!visitor) write(visitorName, uuid(), visitorAge, domain);
  // The session id lives on while the visitor is active: each page view extends it.
  write(sessionName, read(sessionName) || `s${uuid()}`, sessionAge, domain);

  // One pageview per page, and per client-side navigation (pushState, back and forward).
  const apiUrl = script?.dataset.apiUrl;
  let endpoint: string | undefined;
  try {
    endpoint = new URL(apiUrl || '/api/events', apiUrl ? location.href : script?.src).href;
  } catch {
    endpoint = undefined;
  }
  let referrer = document.referrer || null;
  let sent: string | undefined;
  const sendPageview = () => {
    if (!endpoint || location.href === sent) return;
    const body = JSON.stringify({
      type: 'pageview',
      websiteId: script?.dataset.websiteId,
      href: location.href,
      referrer,
      visitorId: read(visitorName),
      sessionId: read(sessionName),
    });
    sent = location.href;
    referrer = location.href; // the next client-side page was reached from this one
    // text/plain keeps it a simple request: no CORS preflight when the devserver is elsewhere.
    fetch(endpoint, {
      method: 'POST',
      body,
      keepalive: true,
      headers: { 'content-type': 'text/plain' },
    }).catch(() => {});
  };
  sendPageview();
  const pushState = history.pushState.bind(history);
  history.pushState = (...args: Parameters<History['pushState']>) => {
    pushState(...args);
    sendPageview();
  };
  addEventListener('popstate', sendPageview);

  // Pages call window.datafast('goal') with the real tracker; queue such calls harmlessly here.
  const w = window as unknown as {
    datafast?: ((...args: unknown[]) => void) & { q?: unknown[][] };
  };
  if (typeof w.datafast !== 'function') {
    const queue: unknown[][] = [];
    const stub = Object.assign((...args: unknown[]) => void queue.push(args), { q: queue });
    w.datafast = stub;
  }
}

/**
 * The JavaScript served at `GET /js/script.js`.
 *
 * @example
 * res.end(trackerScript());
 */
export function trackerScript(): string {
  const args = [VISITOR_COOKIE, SESSION_COOKIE, VISITOR_MAX_AGE_SECONDS, SESSION_MAX_AGE_SECONDS]
    .map((a) => JSON.stringify(a))
    .join(', ');
  return (
    '/* datafast-devserver stand-in tracker: sets datafast_visitor_id and datafast_session_id ' +
    "for local testing. Production pages use DataFast's real script. */\n" +
    `(${standInTracker.toString()})(${args});\n`
  );
}

/** `GET /js/script.js`: loaded by pages on any site, so open to every origin. */
export function handleTrackerScript(_req: IncomingMessage, res: ServerResponse): void {
  sendText(res, 200, 'text/javascript; charset=utf-8', trackerScript(), {
    'Access-Control-Allow-Origin': '*',
  });
}
