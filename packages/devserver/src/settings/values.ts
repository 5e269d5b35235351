// The small value rules several settings share.

/** What a setting's check may need of the settings read before it. */
export interface CheckContext {
  /** Where the Stripe config's paths point (`--app-url`, or the `appUrl` option). */
  appUrl?: string;
}

/** A plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string with something besides spaces in it. */
export function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** An absolute `http:` or `https:` URL with a host. */
export function isHttpUrl(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\/[^/]/.test(value) && URL.canParse(value);
}

/** Throws a `TypeError` naming the first property of `value` not in `known`. */
export function checkKeys(
  where: string,
  value: Record<string, unknown>,
  known: readonly string[],
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new TypeError(`${where} has an unknown property "${key}"`);
  }
}

/**
 * A list of objects with known properties, read item by item: `read` gets each one, where it is
 * (`websites[1]`) and the items read before it (to refuse a repeat).
 */
export function objectList<T>(
  value: unknown,
  name: string,
  keys: readonly string[],
  read: (raw: Record<string, unknown>, where: string, before: T[]) => T,
): T[] {
  if (!Array.isArray(value)) throw new TypeError(`"${name}" must be an array`);
  const items: T[] = [];
  value.forEach((raw: unknown, i) => {
    const where = `${name}[${i}]`;
    if (!isRecord(raw)) throw new TypeError(`${where} must be an object`);
    checkKeys(where, raw, keys);
    items.push(read(raw, where, items));
  });
  return items;
}

/** A number as a flag writes it; empty text is not 0. */
export function numberText(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}
