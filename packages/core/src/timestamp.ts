const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * Parses an ISO 8601 date or date-time into a `Date`, computed from its fields so that every
 * runtime agrees. A time without a zone is refused (`undefined`): it would be read in the
 * server's local zone, which silently moves revenue between days.
 */
export function parseIsoTimestamp(value: string): Date | undefined {
  const match = isoPattern.exec(value.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, utc, sign, offsetH, offsetM] = match;
  const month = Number(mo);
  const day = Number(d);
  if (h !== undefined && utc === undefined && sign === undefined) return undefined;
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  const offsetHours = Number(offsetH ?? 0);
  const offsetMinutes = Number(offsetM ?? 0);
  if (month < 1 || month > 12 || day < 1) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {
    return undefined;
  }
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0 to 99 as 1900 to 1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), month - 1, day);
  // A day past the month's end rolls over into the next month: not a real date.
  if (date.getUTCMonth() !== month - 1) return undefined;
  const millis = Math.floor(Number(`0.${fraction ?? '0'}`) * 1000);
  date.setUTCHours(hour, minute, second, millis);
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(date.getTime() - offset);
}

/**
 * A `Date` or ISO 8601 string as a valid `Date` in the years 0000 to 9999 (UTC), else
 * `undefined`. Outside them `toISOString` writes six-digit years (`+010000-01-01T…`), which the
 * API refuses: the payment would be lost after the network instead of refused before it.
 */
export function toDate(value: unknown): Date | undefined {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string'
        ? parseIsoTimestamp(value)
        : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999 ? date : undefined;
}
