/**
 * The delay an upstream asks for, from `retry-after-ms` (OpenAI), then `retry-after`
 * (seconds or an HTTP date). Undefined when absent or unparsable.
 */
export function retryAfterMs(
  headers: Headers | Record<string, string | undefined> | undefined,
): number | undefined {
  if (!headers) return undefined;
  const get = (name: string) =>
    headers instanceof Headers ? (headers.get(name) ?? undefined) : (headers[name] ?? undefined);
  const ms = Number(get('retry-after-ms'));
  if (get('retry-after-ms') !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const value = get('retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
