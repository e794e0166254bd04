import { z } from 'zod';

// YYYY-MM-DD, optionally THH:MM[:SS[.fraction]] and an offset. A `+` left unencoded in a
// query string arrives as a space, so " 02:00" is read as "+02:00".
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+\- ]\d{2}(?::?\d{2})?)?)?$/i;

/** What a date parameter must look like, for error messages. */
export const ISO_INSTANT_HINT =
  'an ISO 8601 date or date-time, read as UTC unless it has an offset, such as 2025-01-31 or 2025-01-31T12:00:00Z';

/** The instant an ISO 8601 date or date-time names (UTC unless it has an offset), or undefined. */
export function parseIsoInstant(text: string): Date | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offset = m[8] && m[8].toUpperCase() !== 'Z' ? offsetMinutes(m[8]) : 0;
  if (offset === undefined || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return undefined; // e.g. 2025-02-30
  date.setUTCHours(hour, minute, second, millis);
  return new Date(date.getTime() - offset * 60_000);
}

function offsetMinutes(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  return hours > 23 || minutes > 59 ? undefined : sign * (hours * 60 + minutes);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The end of a range an ISO 8601 date or date-time names, exclusive: a date alone is the
 * end of that UTC day (the next midnight UTC, so `from=D&to=D` is the whole day D); a
 * date-time is that very instant. Undefined when not ISO 8601.
 */
export function parseIsoEnd(text: string): Date | undefined {
  const date = parseIsoInstant(text);
  if (!date || !DATE_ONLY.test(text.trim())) return date;
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

/** A query parameter parsed to a Date by `parse`, or refused with what it must look like. */
const isoParameter = (parse: (text: string) => Date | undefined) =>
  z.string().transform((text, ctx) => {
    const date = parse(text);
    if (!date) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(text.slice(0, 40))} is not ${ISO_INSTANT_HINT}`,
      });
      return z.NEVER;
    }
    return date;
  });

/** A query parameter holding an ISO 8601 instant (a date alone: its midnight UTC); parsed to a Date. */
export const isoInstant = isoParameter(parseIsoInstant);

/** The exclusive end of a range (`to`): as isoInstant, but a date alone is the end of that UTC day. */
export const isoRangeEnd = isoParameter(parseIsoEnd);

/** How a `to` parameter reads, for its description. */
export const RANGE_END_HINT = 'ISO 8601, UTC; a date alone: the end of that day';
