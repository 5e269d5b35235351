// ISO 8601 as the API pages use it: a calendar date, optionally a time, optionally an offset.
// `Date.parse` alone is too lenient ("May 1", "2026-02-31" and plain numbers all parse).
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Parses an ISO 8601 date or date-time into a `Date`, or `undefined` when the text is not one.
 * A value without an offset is read as UTC, so the result never depends on the machine's zone.
 *
 * @example
 * parseIsoDate('2026-05-21T12:00:00Z')?.toISOString() // '2026-05-21T12:00:00.000Z'
 */
export function parseIsoDate(text: string): Date | undefined {
  const match = ISO_8601.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', offset = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const ms = Math.floor(Number(`0.${fraction || '0'}`) * 1000);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ms);
  // Rolled over (e.g. February 30th): not a real date.
  if (utc.getUTCDate() !== day || utc.getUTCMonth() !== month - 1) return undefined;
  let offsetMinutes = 0;
  if (offset.toUpperCase() !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return new Date(utc.getTime() - offsetMinutes * 60_000);
}
