-- CreateTable
CREATE TABLE "AIUsageRetired" (
    "apiKeyId" TEXT NOT NULL DEFAULT '',
    "userId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL DEFAULT '',
    "requests" BIGINT NOT NULL,
    "costUsd" DECIMAL(30,12) NOT NULL,
    "unpricedRequests" BIGINT NOT NULL,
    "retiredThrough" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AIUsageRetired_pkey" PRIMARY KEY ("apiKeyId","userId","teamId")
);

-- CreateIndex
CREATE INDEX "AIUsageRetired_userId_idx" ON "AIUsageRetired"("userId");

-- CreateIndex
CREATE INDEX "AIUsageRetired_teamId_idx" ON "AIUsageRetired"("teamId");

-- ---------------------------------------------------------------------------------------
-- Hand-written below: Prisma's schema diff ignores functions and triggers.
--
-- USAGE_RETENTION_DAYS deletes old AIUsageLog rows. Its job runs, in each transaction,
-- `SELECT set_config('aigw.usage_retention', 'on', true)` (transaction-local), deletes a
-- batch of rows and adds their cost to AIUsageRetired. The AIUsageLog triggers then do
-- nothing for that transaction's deletes: AIUsageDaily goes on counting the deleted rows
-- (every whole-day summary stays as it was) and no day gets a new stamp. Inserts and
-- updates, and every other delete, change the rollup as before. The function is otherwise
-- unchanged from add_team_to_usage_daily; TRUNCATE still empties the rollup.
-- ---------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION "AIUsageDaily_apply_changes"() RETURNS trigger
LANGUAGE plpgsql AS $function$
DECLARE
  -- The statement's rows, signed: +1 added, -1 removed. An UPDATE removes its old rows
  -- and adds its new ones (which may move them to another day or group).
  changes text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM new_rows'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM old_rows'
    ELSE 'SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows'
  END;
BEGIN
  -- The retention job's deletes (USAGE_RETENTION_DAYS) leave the rollup and the stamps as
  -- they are: AIUsageDaily keeps the sums of rows no longer in AIUsageLog.
  IF TG_OP = 'DELETE' AND current_setting('aigw.usage_retention', true) = 'on' THEN
    RETURN NULL;
  END IF;

  EXECUTE format($stamp$
    INSERT INTO "AIUsageDailyStamp" AS s ("day")
    SELECT DISTINCT ("createdAt" AT TIME ZONE 'UTC')::date FROM (%s) AS changed
    ORDER BY 1
    ON CONFLICT ("day") DO UPDATE SET "stamp" = nextval(pg_get_serial_sequence('"AIUsageDailyStamp"', 'stamp'))
  $stamp$, changes);

  EXECUTE format($upsert$
    INSERT INTO "AIUsageDaily" AS d ("day", "userId", "provider", "model", "teamId", "requests",
      "failures", "promptTokens", "completionTokens", "totalTokens", "costUsd", "unpricedRequests")
    SELECT ("createdAt" AT TIME ZONE 'UTC')::date, "userId", "provider", "model",
      COALESCE("teamId"::text, ''),
      SUM(sign),
      SUM(CASE WHEN "isSuccess" THEN 0 ELSE sign END),
      COALESCE(SUM(sign * "promptTokens"), 0),
      COALESCE(SUM(sign * "completionTokens"), 0),
      COALESCE(SUM(sign * "totalTokens"), 0),
      COALESCE(SUM(sign * "costUsd"), 0),
      SUM(CASE WHEN "costUsd" IS NULL THEN sign ELSE 0 END)
    FROM (%s) AS changed
    GROUP BY 1, 2, 3, 4, 5
    -- Every writer locks the groups it touches in this one order: concurrent
    -- statements on the same groups wait for each other, never deadlock.
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ("day", "userId", "provider", "model", "teamId") DO UPDATE SET
      "requests" = d."requests" + EXCLUDED."requests",
      "failures" = d."failures" + EXCLUDED."failures",
      "promptTokens" = d."promptTokens" + EXCLUDED."promptTokens",
      "completionTokens" = d."completionTokens" + EXCLUDED."completionTokens",
      "totalTokens" = d."totalTokens" + EXCLUDED."totalTokens",
      "costUsd" = d."costUsd" + EXCLUDED."costUsd",
      "unpricedRequests" = d."unpricedRequests" + EXCLUDED."unpricedRequests"
  $upsert$, changes);

  IF TG_OP <> 'INSERT' THEN
    -- Groups left with no rows disappear, as they do from a summary of the raw rows.
    DELETE FROM "AIUsageDaily" AS d
    USING (SELECT DISTINCT ("createdAt" AT TIME ZONE 'UTC')::date AS "day", "userId", "provider", "model",
             COALESCE("teamId"::text, '') AS "teamId"
           FROM old_rows) AS o
    WHERE d."day" = o."day" AND d."userId" = o."userId" AND d."provider" = o."provider"
      AND d."model" = o."model" AND d."teamId" = o."teamId" AND d."requests" = 0;
  END IF;
  RETURN NULL;
END
$function$;
