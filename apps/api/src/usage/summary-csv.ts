import type { GroupName } from './usage-summary.schema.js';
import type { UsageSummary, UsageSummaryRow } from './usage-summary.service.js';

/** Group columns in the order the summary sorts its rows by. */
const GROUP_COLUMNS: [GroupName, 'day' | 'teamId' | 'userId' | 'provider' | 'model' | 'requestType'][] = [
  ['day', 'day'],
  ['team', 'teamId'],
  ['user', 'userId'],
  ['provider', 'provider'],
  ['model', 'model'],
  ['requestType', 'requestType'],
];
const MEASURE_COLUMNS = [
  'requests',
  'failures',
  'promptTokens',
  'completionTokens',
  'totalTokens',
  'costUsd',
  'unpricedRequests',
] as const;

/**
 * One CSV cell (RFC 4180). Text a spreadsheet would run as a formula (=, +, -, @, tab or
 * CR at its start) gets a leading apostrophe: user ids come from API callers.
 */
function cell(value: string | number, text: boolean): string {
  let out = String(value);
  if (text && /^[=+\-@\t\r]/.test(out)) out = `'${out}`;
  return /[",\r\n]/.test(out) ? `"${out.replaceAll('"', '""')}"` : out;
}

/**
 * The summary as CSV: a header, then one line per row with the group columns asked for
 * and every measure (an empty teamId: no team). The numbers are the summary's own
 * (costUsd its exact decimal string), so a spreadsheet shows what the API answers. Without
 * groupBy the one line is the totals.
 */
export function summaryToCsv(summary: UsageSummary): string {
  const columns = GROUP_COLUMNS.filter(([group]) => summary.groupBy.includes(group)).map(([, c]) => c);
  const rows: UsageSummaryRow[] = columns.length ? summary.rows : [summary.totals];
  const lines = [[...columns, ...MEASURE_COLUMNS].join(',')];
  for (const row of rows) {
    const groups = columns.map((c) => cell(row[c] ?? '', true));
    lines.push([...groups, ...MEASURE_COLUMNS.map((m) => cell(row[m], false))].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name for the export: the range, readable and safe in a Content-Disposition header. */
export function summaryCsvFileName(summary: UsageSummary): string {
  const stamp = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '');
  return `aigw-usage_${stamp(summary.from)}_${stamp(summary.to)}.csv`;
}
