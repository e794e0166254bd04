import type { SummaryRow, UsageMeasures, UsageSummary } from '../api/admin-types';

/** The request types the gateway writes, in the order the page lists them, with their labels. */
export const REQUEST_TYPES: readonly { type: string; label: string }[] = [
  { type: 'chat', label: 'Chat' },
  { type: 'embedding', label: 'Embeddings' },
  { type: 'responses', label: 'Responses' },
  { type: 'image', label: 'Images' },
  { type: 'transcription', label: 'Transcription' },
  { type: 'translation', label: 'Translation' },
  { type: 'speech', label: 'Speech' },
];

/** One line of the "cost by request type" panel: the API's row for the type, or zeros. */
export interface RequestTypeLine extends UsageMeasures {
  type: string;
  label: string;
  /** Whether the range has rows of this type. */
  used: boolean;
  /** The type's share of the range's cost (the API's total), for a bar only (0 to 1). */
  barFraction: number;
}

const NONE: UsageMeasures = {
  requests: 0,
  failures: 0,
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  costUsd: '0.000000000000',
  unpricedRequests: 0,
};

/**
 * The lines of a summary grouped by requestType: every known type in its place (zeros when
 * the range has none of it), then any other type the API reports, by name. The numbers
 * are the API's as they are; only the bar widths are computed here.
 */
export function requestTypeLines(summary: UsageSummary): RequestTypeLine[] {
  const byType = new Map<string, SummaryRow>();
  for (const row of summary.rows) if (row.requestType !== undefined) byType.set(row.requestType, row);
  const known = new Set(REQUEST_TYPES.map((t) => t.type));
  const others = [...byType.keys()].filter((type) => !known.has(type)).sort();
  const lines = [...REQUEST_TYPES, ...others.map((type) => ({ type, label: type }))].map(
    ({ type, label }) => {
      const row = byType.get(type);
      return { ...NONE, ...row, type, label, used: row !== undefined, barFraction: 0 };
    },
  );
  // Floats for the bars' widths only: every number shown is the API's text.
  const total = Number(summary.totals.costUsd);
  for (const line of lines) {
    line.barFraction = total > 0 ? Math.min(1, Math.max(0, Number(line.costUsd) / total)) : 0;
  }
  return lines;
}
