// The API key must never leave in an error. It reaches errors through the `fetch` the transport
// calls: a runtime quoting a header in its message, or a fetch wrapper whose error carries the
// request it made (`options.headers`, a `Request`, a `Headers`), sometimes a few causes deep.
// What `util.inspect`, `JSON.stringify` and loggers show of an error is what is walked here:
// message and stack, every own property (enumerable or not; getters are read), so causes and
// AggregateError's `errors` too, arrays, plain objects and class instances, `Headers`, `Map`,
// `Set`, `URLSearchParams`, `URL`, and a `Request` or `Response` (its URL and headers). Not
// walked: what only a custom inspect function or a private field holds, and binary buffers.

import { redactText } from './redact-text.js';

/** What replaces a part past the walk's bounds: dropped rather than risked. */
const uncheckedMark = '[removed: too deep or too large to check for the API key]';

/** The walk's bounds, so that a huge or cyclic error costs little: depth and values visited. */
const maxDepth = 32;
const maxVisits = 10_000;

/**
 * `value` itself when nothing reachable from it holds `secret`; else a copy with the secret
 * replaced wherever the walk reaches (cycles kept) and whatever lies past its bounds removed.
 * Copied errors keep their class and fields; our own errors are changed in place, so that
 * callers still match on them.
 *
 * @example
 * throw redactDeep(error, apiKey)
 */
export function redactDeep<T>(value: T, secret: string): T {
  if (!secret) return value;
  try {
    return holdsSecret(value, secret) ? redactedCopy(value, secret) : value;
  } catch {
    // A walk that throws (a Proxy's trap, an exotic object): keep nothing but the message.
    return stripped(value, secret) as T;
  }
}

function redactedCopy<T>(value: T, secret: string): T {
  const copies = new Map<object, unknown>();
  let visits = 0;

  const copy = (node: unknown, depth: number): unknown => {
    if (typeof node === 'object' && node !== null && copies.has(node)) return copies.get(node);
    if (depth > maxDepth || ++visits > maxVisits) return uncheckedMark;
    if (typeof node === 'string') return redactText(node, secret);
    if (typeof node !== 'object' || node === null) return node;
    const next = depth + 1;
    const remember = <C>(made: C): C => {
      copies.set(node, made);
      return made;
    };
    if (node instanceof Headers) {
      const headers = remember(new Headers());
      node.forEach((v, k) => {
        headers.append(k, redactText(v, secret));
      });
      return headers;
    }
    if (node instanceof URLSearchParams || node instanceof URL) {
      return remember(redactText(String(node), secret));
    }
    if (isRequestOrResponse(node)) {
      const summary: Record<string, unknown> = remember({ url: redactText(node.url, secret) });
      if ('method' in node) summary.method = node.method;
      else summary.status = node.status;
      summary.headers = copy(node.headers, next);
      return summary;
    }
    if (node instanceof Map) {
      const map = remember(new Map());
      for (const [k, v] of capped(node)) map.set(copy(k, next), copy(v, next));
      return map;
    }
    if (node instanceof Set) {
      const set = remember(new Set());
      for (const v of capped(node)) set.add(copy(v, next));
      return set;
    }
    if (Array.isArray(node)) {
      const array: unknown[] = remember([]);
      for (const key of ownKeys(node)) array.push(copy(readProperty(node, key)?.value, next));
      return array;
    }
    // Our own errors are rebuilt in place: their class and fields are what callers match on.
    const inPlace = node instanceof Error && isOwnError(node);
    const target: object = inPlace
      ? node
      : node instanceof Error
        ? Object.setPrototypeOf(new Error(), Object.getPrototypeOf(node))
        : {};
    remember(target);
    for (const key of ownKeys(node)) {
      const property = readProperty(node, key);
      if (!property || (inPlace && !holdsSecret(property.value, secret))) continue;
      Object.defineProperty(target, key, {
        value: copy(property.value, next),
        enumerable: property.enumerable,
        writable: true,
        configurable: true,
      });
    }
    return target;
  };

  return copy(value, 0) as T;
}

/**
 * The error reduced to its message, redacted: what is left when the walk cannot be trusted. Our
 * own errors stay themselves (class, `code`, fields), without their cause.
 */
function stripped(value: unknown, secret: string): unknown {
  let message = 'an error that could not be checked for the API key';
  try {
    if (value instanceof Error) message = redactText(String(value.message), secret);
    else if (typeof value === 'string') message = redactText(value, secret);
    if (value instanceof Error && isOwnError(value)) {
      for (const [key, text] of [
        ['message', message],
        ['stack', redactText(String(value.stack), secret)],
        ['cause', uncheckedMark],
      ] as const) {
        Object.defineProperty(value, key, { value: text, writable: true, configurable: true });
      }
      return value;
    }
  } catch {
    // keep the generic message
  }
  return new Error(message);
}

/** True when `value` holds `secret` where the walk reaches, or is too deep or large to tell. */
function holdsSecret(value: unknown, secret: string): boolean {
  const seen = new Set<object>();
  const pending: Array<[unknown, number]> = [[value, 0]];
  let visits = 0;
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [unknown, number];
    if (typeof node === 'object' && node !== null) {
      if (seen.has(node)) continue;
      seen.add(node);
    } else if (typeof node !== 'string') {
      continue;
    }
    if (depth > maxDepth || ++visits > maxVisits) return true;
    if (typeof node === 'string') {
      if (node.includes(secret)) return true;
      continue;
    }
    for (const child of childrenOf(node as object)) pending.push([child, depth + 1]);
  }
  return false;
}

/** What the walk looks at inside one object: the same parts that `copy` rebuilds. */
function childrenOf(node: object): unknown[] {
  if (node instanceof Headers) {
    const values: string[] = [];
    node.forEach((v, k) => {
      values.push(k, v);
    });
    return values;
  }
  if (node instanceof URLSearchParams || node instanceof URL) return [String(node)];
  if (isRequestOrResponse(node)) return [node.url, node.headers];
  if (node instanceof Map) return capped(node).flat();
  if (node instanceof Set) return capped(node);
  return ownKeys(node).map((key) => readProperty(node, key)?.value);
}

/** The first entries of a collection: past the visit budget, the rest would not be walked. */
function capped<E>(collection: Iterable<E>): E[] {
  const entries: E[] = [];
  for (const entry of collection) {
    // One more than the budget, so that the walk sees it run out and drops the rest.
    if (entries.length > maxVisits) break;
    entries.push(entry);
  }
  return entries;
}

/** Own keys, an array's `length` aside; a huge array's indices are capped like a collection. */
function ownKeys(node: object): (string | symbol)[] {
  if (!Array.isArray(node)) return Reflect.ownKeys(node);
  const keys: (string | symbol)[] = [];
  for (let i = 0; i < node.length && i <= maxVisits; i++) keys.push(String(i));
  return keys;
}

/** An own property's value: a getter is read; one that throws counts as absent. */
function readProperty(
  node: object,
  key: string | symbol,
): { value: unknown; enumerable: boolean } | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(node, key);
  if (!descriptor) return undefined;
  const enumerable = descriptor.enumerable ?? false;
  if (!descriptor.get) return { value: descriptor.value, enumerable };
  try {
    return { value: descriptor.get.call(node), enumerable };
  } catch {
    return undefined;
  }
}

function isRequestOrResponse(node: object): node is Request | Response {
  return (
    (typeof Request === 'function' && node instanceof Request) ||
    (typeof Response === 'function' && node instanceof Response)
  );
}

// The brand errors.ts puts on every error of this package.
const brand = Symbol.for('@datafast-checkout/core.error');

function isOwnError(error: Error): boolean {
  return (error as unknown as Record<symbol, unknown>)[brand] === true;
}
