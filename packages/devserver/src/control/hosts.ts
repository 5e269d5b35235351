import { isIPv4, isIPv6 } from 'node:net';

// DNS rebinding: a page on a name the attacker controls (evil.example) re-resolves that name to
// 127.0.0.1, and the browser then treats the devserver as the page's own origin. Origin checks
// can not see it; the Host header (`evil.example:4100`) can. So the dashboard and the control
// endpoints answer only a Host that is a loopback name, an IP address (a page served from an IP
// is served by that very address: nothing to rebind) or a name the user allowed, as Vite does.

const ENTRY = /^\.?[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/i;
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[^:[\]@/\s]+)(?::\d*)?$/i;

/**
 * Checks one `allowedHosts` entry: a host name (`devserver`, `shop.test`), or a domain with a
 * leading dot (`.example.test`) for that domain and every name under it. Throws a `TypeError`.
 *
 * @example
 * allowedHost('.example.test', 'allowedHosts[0]') // '.example.test'
 */
export function allowedHost(value: unknown, name: string): string {
  if (typeof value !== 'string' || !ENTRY.test(value)) {
    throw new TypeError(
      `${name} must be a host name such as "devserver" or ".example.test" (no scheme, port or path)`,
    );
  }
  return value.toLowerCase();
}

function hostName(header: string | undefined): string | undefined {
  const match = HOST_HEADER.exec(header ?? '');
  return match?.[1]?.toLowerCase().replace(/\.$/, '');
}

function isIpAddress(name: string): boolean {
  return isIPv4(name) || (name.startsWith('[') && isIPv6(name.slice(1, -1)));
}

/** Decides which `Host` headers may read the dashboard and the control endpoints. */
export class HostPolicy {
  readonly #allowed: string[];

  /** `listenHost`, the name the server listens on, is allowed too. */
  constructor(allowed: readonly string[], listenHost?: string) {
    this.#allowed = allowed.map((entry) => entry.toLowerCase());
    const listening = listenHost?.toLowerCase();
    if (listening && ENTRY.test(listening)) this.#allowed.push(listening);
  }

  /** True for a loopback name, an IP address or an allowed host. */
  allows(header: string | undefined): boolean {
    const name = hostName(header);
    if (!name) return false;
    if (name === 'localhost' || name.endsWith('.localhost') || isIpAddress(name)) return true;
    return this.#allowed.some((entry) =>
      entry.startsWith('.') ? name === entry.slice(1) || name.endsWith(entry) : name === entry,
    );
  }

  /** The 403 message for a Host that is not allowed; it says how to allow it. */
  refusal(header: string | undefined): string {
    const name = hostName(header);
    if (!name) return 'Missing or malformed Host header';
    return (
      `Host "${name}" may not read the dashboard or the control endpoints: only localhost, ` +
      'IP addresses and allowed hosts may, so that a page whose name resolves to this machine ' +
      `(DNS rebinding) can not read your payments. To allow it: --allowed-host ${name} ` +
      '(allowedHosts in the config or the options).'
    );
  }
}
