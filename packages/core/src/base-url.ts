import { DatafastConfigError, describeValue } from './errors.js';

/** A valid, safe DataFast base URL (https, or http on loopback or with `allowHttp`). */
export function checkedBaseUrl(
  raw: string,
  allowHttp: boolean,
  warnOnce: (key: string, message: string) => void,
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DatafastConfigError(`baseUrl ${describeValue(raw)} is not a valid URL`);
  }
  const shown = `${url.protocol}//${url.host}`;
  if (url.username || url.password) {
    throw new DatafastConfigError(
      `baseUrl must not carry credentials (user:password@): got ${shown}`,
    );
  }
  // `/?env=dev` would become `/?env=dev/api/v1/payments`: a page, not the API.
  const suffix = /[?#]/.exec(raw)?.[0];
  if (suffix) {
    throw new DatafastConfigError(
      `baseUrl must not have a query or fragment: got ${shown}${url.pathname} followed by ${suffix === '?' ? 'a query' : 'a fragment'}`,
    );
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url;
  if (url.protocol === 'http:' && allowHttp) {
    warnOnce(
      'allowHttp',
      `allowHttp: sending the API key over plain http to ${shown}; use this only for a local or CI devserver`,
    );
    return url;
  }
  throw new DatafastConfigError(
    `baseUrl must use https (http is allowed for localhost and loopback addresses, or anywhere with allowHttp: true / DATAFAST_ALLOW_HTTP=true for a devserver in docker-compose or CI): got ${shown}`,
  );
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

/** `<base>/api/v1/payments`, whether or not the base already ends in `/api/v1`. */
export function paymentsEndpoint(base: URL): string {
  return underBase(base, '/api/v1/payments');
}

/** `path` under the base URL's own path (a base given as `…/api/v1` counts as its root). */
export function underBase(base: URL, path: string): string {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}${path}`;
  return url.href;
}
