-- Hand-written: writes to AIUsageLog wait until this migration commits, before anything
-- else here locks a table. None can go on using the old functions (no team) after the
-- backfill at the end has run, and none holds a lock this migration then waits for.
LOCK TABLE "AIUsageLog" IN SHARE MODE;

-- AlterTable
ALTER TABLE "AIUsageDaily" DROP CONSTRAINT "AIUsageDaily_pkey",
ADD COLUMN     "teamId" TEXT NOT NULL DEFAULT '',
ADD CONSTRAINT "AIUsageDaily_pkey" PRIMARY KEY ("day", "userId", "provider", "model", "teamId");

-- ---------------------------------------------------------------------------------------
-- Hand-written below: Prisma's schema diff ignores functions and triggers.
--
-- AIUsageDaily's groups gain the team: per UTC day, user, provider, model and team. A key
-- column cannot be null, so a call outside any team has teamId '' (no uuid's text is
-- empty: '' never stands for a team). The AIUsageLog triggers of add_usage_daily and
-- add_usage_daily_stamp write the team too; they are otherwise unchanged.
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

-- Summaries sum the raw rows of a range's edge days per user, provider, model and team:
-- the statistics that keep PostgreSQL's estimate of their groups close take the team too.
DROP STATISTICS "AIUsageLog_userId_provider_model_stats";
CREATE STATISTICS "AIUsageLog_userId_provider_model_teamId_stats" (ndistinct)
  ON "userId", "provider", "model", "teamId" FROM "AIUsageLog";

-- Backfill. The rows' sums are all in AIUsageDaily already, under teamId '' (the column's
-- default): those of rows with a team (written after add_teams_and_key_limits, by the old
-- functions) move to their team's group, as an UPDATE of their teamId would move them.
-- Totals per day, user, provider and model stay as they were. Their days get new stamps.
INSERT INTO "AIUsageDailyStamp" AS s ("day")
SELECT DISTINCT ("createdAt" AT TIME ZONE 'UTC')::date FROM "AIUsageLog" WHERE "teamId" IS NOT NULL
ORDER BY 1
ON CONFLICT ("day") DO UPDATE SET "stamp" = nextval(pg_get_serial_sequence('"AIUsageDailyStamp"', 'stamp'));

INSERT INTO "AIUsageDaily" AS d ("day", "userId", "provider", "model", "teamId", "requests",
  "failures", "promptTokens", "completionTokens", "totalTokens", "costUsd", "unpricedRequests")
SELECT ("createdAt" AT TIME ZONE 'UTC')::date, "userId", "provider", "model", moved."teamId",
  SUM(sign),
  SUM(CASE WHEN "isSuccess" THEN 0 ELSE sign END),
  COALESCE(SUM(sign * "promptTokens"), 0),
  COALESCE(SUM(sign * "completionTokens"), 0),
  COALESCE(SUM(sign * "totalTokens"), 0),
  COALESCE(SUM(sign * "costUsd"), 0),
  SUM(CASE WHEN "costUsd" IS NULL THEN sign ELSE 0 END)
FROM "AIUsageLog" AS l
  CROSS JOIN LATERAL (VALUES (1, l."teamId"::text), (-1, '')) AS moved(sign, "teamId")
WHERE l."teamId" IS NOT NULL
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5
ON CONFLICT ("day", "userId", "provider", "model", "teamId") DO UPDATE SET
  "requests" = d."requests" + EXCLUDED."requests",
  "failures" = d."failures" + EXCLUDED."failures",
  "promptTokens" = d."promptTokens" + EXCLUDED."promptTokens",
  "completionTokens" = d."completionTokens" + EXCLUDED."completionTokens",
  "totalTokens" = d."totalTokens" + EXCLUDED."totalTokens",
  "costUsd" = d."costUsd" + EXCLUDED."costUsd",
  "unpricedRequests" = d."unpricedRequests" + EXCLUDED."unpricedRequests";

-- Groups whose rows all had a team are left with none outside a team.
DELETE FROM "AIUsageDaily" WHERE "teamId" = '' AND "requests" = 0;
