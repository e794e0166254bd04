import type { PrismaClient } from '@aigw/db';
import { isBadRowError } from './is-bad-row-error.js';
import { toUsageRow, USAGE_COLUMNS, type UsageRow } from './to-usage-row.js';
import type { UsageRecord } from './usage-record.js';

/** Called for each record the database refuses for its content. */
export type RejectUsageRecord = (record: UsageRecord, error: unknown) => Promise<void>;

const columns = USAGE_COLUMNS.map((c) => `"${c}"`).join(', ');

/**
 * The whole batch as one JSON parameter, turned into rows by PostgreSQL itself: one short
 * statement whatever the batch size, with no per-row work in Prisma's query compiler
 * (about 10× the rows/s of `createMany`; see docs/performance.md). Column
 * types come from the table, so values convert exactly as if inserted one by one.
 * ON CONFLICT DO NOTHING: a (requestId, attempt) or id already written is skipped.
 */
const INSERT_USAGE_ROWS = `INSERT INTO "AIUsageLog" (${columns})
SELECT ${columns} FROM json_populate_recordset(NULL::"AIUsageLog", $1::json)
ON CONFLICT DO NOTHING`;

/**
 * Writes records with one INSERT … ON CONFLICT DO NOTHING, so writing them again never
 * doubles a row. When the database refuses the batch for its content, halves are tried
 * until the bad rows are found and handed to `reject`. Returns the rows inserted; throws
 * only when a retry may succeed (database unreachable, timeout, anything unclear).
 */
export async function writeUsageBatch(
  prisma: PrismaClient,
  records: readonly UsageRecord[],
  reject: RejectUsageRecord,
): Promise<number> {
  const good: UsageRecord[] = [];
  const rows: UsageRow[] = [];
  for (const record of records) {
    try {
      rows.push(toUsageRow(record));
      good.push(record);
    } catch (error) {
      // Only a malformed record (say, from a hand-edited spool file) gets here.
      await reject(record, error);
    }
  }
  const [only] = good;
  if (only === undefined) return 0;
  try {
    return await prisma.$executeRawUnsafe(INSERT_USAGE_ROWS, postgresJson(rows));
  } catch (error) {
    if (!isBadRowError(error)) throw error;
    if (good.length === 1) {
      await reject(only, error);
      return 0;
    }
    // Halving finds a few bad rows in a 500-row batch in about twenty statements.
    const half = Math.ceil(good.length / 2);
    const first = await writeUsageBatch(prisma, good.slice(0, half), reject);
    return first + (await writeUsageBatch(prisma, good.slice(half), reject));
  }
}

/**
 * The rows as JSON PostgreSQL can take: its text and json types cannot hold U+0000, and
 * a caller's own ids and metadata may carry it, so those characters are dropped rather
 * than the row. Only the `\u0000` escapes JSON.stringify writes for them go; an escaped
 * backslash followed by `u0000` (that text, literally) is left as it is.
 */
function postgresJson(rows: UsageRow[]): string {
  const json = JSON.stringify(rows);
  if (!json.includes('\\u0000')) return json;
  return json.replace(/\\\\|\\u0000/g, (sequence) => (sequence === '\\u0000' ? '' : sequence));
}
