import type { PrismaClient } from '@aigw/db';

/**
 * Deletes up to `$2` AIUsageLog rows created before `$1`, oldest first (the createdAt
 * index), skipping rows another transaction holds, and adds their cost and count to
 * AIUsageRetired per key, user and team (groups in one order: concurrent batches on the
 * same groups wait, never deadlock). Gives the number deleted.
 */
const RETIRE_BATCH_SQL = `
WITH doomed AS (
  SELECT "id" FROM "AIUsageLog"
  WHERE "createdAt" < $1::timestamptz
  ORDER BY "createdAt"
  LIMIT $2::int
  FOR UPDATE SKIP LOCKED
), gone AS (
  DELETE FROM "AIUsageLog" AS l USING doomed WHERE l."id" = doomed."id"
  RETURNING l."apiKeyId", l."userId", l."teamId", l."costUsd", l."createdAt"
), retired AS (
  INSERT INTO "AIUsageRetired" AS r ("apiKeyId", "userId", "teamId", "requests", "costUsd",
    "unpricedRequests", "retiredThrough")
  SELECT COALESCE("apiKeyId"::text, ''), "userId", COALESCE("teamId"::text, ''), COUNT(*),
    COALESCE(SUM("costUsd"), 0), COUNT(*) FILTER (WHERE "costUsd" IS NULL), MAX("createdAt")
  FROM gone
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT ("apiKeyId", "userId", "teamId") DO UPDATE SET
    "requests" = r."requests" + EXCLUDED."requests",
    "costUsd" = r."costUsd" + EXCLUDED."costUsd",
    "unpricedRequests" = r."unpricedRequests" + EXCLUDED."unpricedRequests",
    "retiredThrough" = GREATEST(r."retiredThrough", EXCLUDED."retiredThrough"),
    "updatedAt" = now()
)
SELECT COUNT(*)::int AS "deleted" FROM gone`;

/**
 * One retention batch in its own short transaction: the rows older than `cutoff` (at most
 * `batchSize`) leave AIUsageLog and their cost joins AIUsageRetired, both or neither. The
 * transaction-local `aigw.usage_retention` makes the AIUsageLog triggers leave AIUsageDaily
 * and its stamps as they are (migration add_usage_retired). One replica at a time: null
 * when another holds the batch lock now.
 */
export async function retireUsageBatch(
  prisma: PrismaClient,
  cutoff: Date,
  batchSize: number,
): Promise<number | null> {
  return prisma.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(
        `SELECT pg_try_advisory_xact_lock(hashtextextended('aigw.usage_retention', 0)) AS "locked",
           set_config('aigw.usage_retention', 'on', true) AS "retention"`,
      );
      if (!lock?.locked) return null;
      const [row] = await tx.$queryRawUnsafe<{ deleted: number }[]>(
        RETIRE_BATCH_SQL,
        cutoff.toISOString(),
        batchSize,
      );
      return Number(row?.deleted ?? 0);
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}
