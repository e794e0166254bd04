import { describe, expect, it } from '@jest/globals';
import type { UsageSummary } from '../api/admin-types';
import { REQUEST_TYPES, requestTypeLines } from './request-types';

const measures = (requests: number, costUsd: string) => ({
  requests,
  failures: 0,
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: 0,
  costUsd,
  unpricedRequests: 0,
});

const summary = (rows: UsageSummary['rows'], totalUsd: string): UsageSummary => ({
  from: '2026-12-01T00:00:00.000Z',
  to: '2026-12-07T00:00:00.000Z',
  groupBy: ['requestType'],
  rows,
  totals: measures(
    rows.reduce((sum, row) => sum + row.requests, 0),
    totalUsd,
  ),
});

describe('requestTypeLines', () => {
  it('lists every known type in order, with zeros for those the range has none of', () => {
    const lines = requestTypeLines(
      summary(
        [
          { requestType: 'chat', ...measures(10, '3.000000000000') },
          { requestType: 'image', ...measures(2, '1.000000000000') },
        ],
        '4.000000000000',
      ),
    );
    expect(lines.map((l) => l.type)).toEqual(REQUEST_TYPES.map((t) => t.type));
    expect(lines.map((l) => l.label)).toEqual([
      'Chat',
      'Embeddings',
      'Responses',
      'Images',
      'Transcription',
      'Translation',
      'Speech',
    ]);
    const chat = lines[0];
    expect(chat).toMatchObject({ requests: 10, costUsd: '3.000000000000', used: true, barFraction: 0.75 });
    expect(lines[3]).toMatchObject({ requests: 2, costUsd: '1.000000000000', used: true, barFraction: 0.25 });
    expect(lines[6]).toMatchObject({ requests: 0, costUsd: '0.000000000000', used: false, barFraction: 0 });
  });

  it('keeps the cost text exactly as the API gave it, and adds unknown types after the known ones', () => {
    const lines = requestTypeLines(
      summary(
        [
          { requestType: 'video', ...measures(1, '0.000000000001') },
          { requestType: 'chat', ...measures(3, '987654321.987654321987') },
          { requestType: 'moderation', ...measures(1, '0.000000000000') },
        ],
        '987654321.987654321988',
      ),
    );
    expect(lines.slice(-2).map((l) => [l.type, l.label, l.costUsd])).toEqual([
      ['moderation', 'moderation', '0.000000000000'],
      ['video', 'video', '0.000000000001'],
    ]);
    expect(lines[0]?.costUsd).toBe('987654321.987654321987');
  });

  it('draws no bars when nothing cost anything', () => {
    const lines = requestTypeLines(
      summary([{ requestType: 'chat', ...measures(5, '0.000000000000') }], '0.000000000000'),
    );
    expect(lines.every((l) => l.barFraction === 0)).toBe(true);
  });
});
