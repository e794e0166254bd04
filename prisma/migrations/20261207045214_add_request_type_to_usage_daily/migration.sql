-- Hand-written: writes to AIUsageLog wait until this migration commits, before anything
-- else here locks a table. None can go on using the old function (no request type) after
-- the backfill at the end has run, and none holds a lock this migration then waits for.
LOCK TABLE "AIUsageLog" IN SHARE MODE;

-- AlterTable
ALTER TABLE "AIUsageDaily" DROP CONSTRAINT "AIUsageDaily_pkey",
ADD COLUMN     "requestType" TEXT NOT NULL DEFAULT 'chat',
ADD CONSTRAINT "AIUsageDaily_pkey" PRIMARY KEY ("day", "userId", "provider", "model", "teamId", "requestType");

-- ---------------------------------------------------------------------------------------
-- Hand-written below: Prisma's schema diff ignores functions and triggers.
--
-- AIUsageDaily's groups gain the request type (chat, embedding, responses, image,
-- transcription, translation, speech: AIUsageLog's requestType, never null): per UTC day,
-- user, provider, model, team and request type, so summaries show media costs beside
-- chat. The function is otherwise unchanged from add_usage_retired (the retention job's
-- deletes still leave the rollup and the stamps as they are).
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
    INSERT INTO "AIUsageDaily" AS d ("day", "userId", "provider", "model", "teamId", "requestType",
      "requests", "failures", "promptTokens", "completionTokens", "totalTokens", "costUsd",
      "unpricedRequests")
    SELECT ("createdAt" AT TIME ZONE 'UTC')::date, "userId", "provider", "model",
      COALESCE("teamId"::text, ''), "requestType",
      SUM(sign),
      SUM(CASE WHEN "isSuccess" THEN 0 ELSE sign END),
      COALESCE(SUM(sign * "promptTokens"), 0),
      COALESCE(SUM(sign * "completionTokens"), 0),
      COALESCE(SUM(sign * "totalTokens"), 0),
      COALESCE(SUM(sign * "costUsd"), 0),
      SUM(CASE WHEN "costUsd" IS NULL THEN sign ELSE 0 END)
    FROM (%s) AS changed
    GROUP BY 1, 2, 3, 4, 5, 6
    -- Every writer locks the groups it touches in this one order: concurrent
    -- statements on the same groups wait for each other, never deadlock.
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("day", "userId", "provider", "model", "teamId", "requestType") DO UPDATE SET
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
             COALESCE("teamId"::text, '') AS "teamId", "requestType"
           FROM old_rows) AS o
    WHERE d."day" = o."day" AND d."userId" = o."userId" AND d."provider" = o."provider"
      AND d."model" = o."model" AND d."teamId" = o."teamId" AND d."requestType" = o."requestType"
      AND d."requests" = 0;
  END IF;
  RETURN NULL;
END
$function$;

-- Summaries sum the raw rows of a range's edge days per user, provider, model, team and
-- request type: the statistics that keep PostgreSQL's estimate of their groups close take
-- the request type too.
DROP STATISTICS "AIUsageLog_userId_provider_model_teamId_stats";
CREATE STATISTICS "AIUsageLog_userId_provider_model_teamId_requestType_stats" (ndistinct)
  ON "userId", "provider", "model", "teamId", "requestType" FROM "AIUsageLog";

-- Backfill. The rows' sums are all in AIUsageDaily already, under requestType 'chat' (the
-- column's default): those of rows of any other type (embeddings, responses, images,
-- audio, written by the old function) move to their type's group, as an UPDATE of their
-- requestType would move them. Totals per day, user, provider, model and team stay as
-- they were. Their days get new stamps. (The sums of rows the retention job deleted stay
-- under 'chat': their type is gone with them.)
INSERT INTO "AIUsageDailyStamp" AS s ("day")
SELECT DISTINCT ("createdAt" AT TIME ZONE 'UTC')::date FROM "AIUsageLog" WHERE "requestType" <> 'chat'
ORDER BY 1
ON CONFLICT ("day") DO UPDATE SET "stamp" = nextval(pg_get_serial_sequence('"AIUsageDailyStamp"', 'stamp'));

INSERT INTO "AIUsageDaily" AS d ("day", "userId", "provider", "model", "teamId", "requestType",
  "requests", "failures", "promptTokens", "completionTokens", "totalTokens", "costUsd",
  "unpricedRequests")
SELECT ("createdAt" AT TIME ZONE 'UTC')::date, "userId", "provider", "model",
  COALESCE(l."teamId"::text, ''), moved."requestType",
  SUM(sign),
  SUM(CASE WHEN "isSuccess" THEN 0 ELSE sign END),
  COALESCE(SUM(sign * "promptTokens"), 0),
  COALESCE(SUM(sign * "completionTokens"), 0),
  COALESCE(SUM(sign * "totalTokens"), 0),
  COALESCE(SUM(sign * "costUsd"), 0),
  SUM(CASE WHEN "costUsd" IS NULL THEN sign ELSE 0 END)
FROM "AIUsageLog" AS l
  CROSS JOIN LATERAL (VALUES (1, l."requestType"), (-1, 'chat')) AS moved(sign, "requestType")
WHERE l."requestType" <> 'chat'
GROUP BY 1, 2, 3, 4, 5, 6
ORDER BY 1, 2, 3, 4, 5, 6
ON CONFLICT ("day", "userId", "provider", "model", "teamId", "requestType") DO UPDATE SET
  "requests" = d."requests" + EXCLUDED."requests",
  "failures" = d."failures" + EXCLUDED."failures",
  "promptTokens" = d."promptTokens" + EXCLUDED."promptTokens",
  "completionTokens" = d."completionTokens" + EXCLUDED."completionTokens",
  "totalTokens" = d."totalTokens" + EXCLUDED."totalTokens",
  "costUsd" = d."costUsd" + EXCLUDED."costUsd",
  "unpricedRequests" = d."unpricedRequests" + EXCLUDED."unpricedRequests";

-- Groups whose rows were all of another type are left with no chat rows.
DELETE FROM "AIUsageDaily" WHERE "requestType" = 'chat' AND "requests" = 0;
