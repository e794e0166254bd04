-- CreateTable
CREATE TABLE "AIUsageDailyStamp" (
    "day" DATE NOT NULL,
    "stamp" BIGSERIAL NOT NULL,

    CONSTRAINT "AIUsageDailyStamp_pkey" PRIMARY KEY ("day")
);

-- ---------------------------------------------------------------------------------------
-- Hand-written below: Prisma's schema diff ignores functions and triggers.
--
-- The AIUsageLog triggers of add_usage_daily now also give every day they change a new
-- stamp, in the same statement (so in the same transaction) as the change itself. A reader
-- that finds a day's stamp equal to the one it saw before knows that day's AIUsageDaily
-- rows, and its AIUsageLog rows, are as they were then. Stamps come from a sequence: a
-- value is never given twice, even after TRUNCATE.
--
-- The stamps are written first, days in order: a writer waits for another that changes
-- the same day before it locks any AIUsageDaily row, so no new deadlock is possible
-- (the usage writer writes one statement per transaction, one at a time per process).
-- ---------------------------------------------------------------------------------------

-- Writes wait until this migration commits: none can go on using the old function (no
-- stamp) on a day the backfill at the end does not see.
LOCK TABLE "AIUsageLog" IN SHARE MODE;

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
    INSERT INTO "AIUsageDaily" AS d ("day", "userId", "provider", "model", "requests", "failures",
      "promptTokens", "completionTokens", "totalTokens", "costUsd", "unpricedRequests")
    SELECT ("createdAt" AT TIME ZONE 'UTC')::date, "userId", "provider", "model",
      SUM(sign),
      SUM(CASE WHEN "isSuccess" THEN 0 ELSE sign END),
      COALESCE(SUM(sign * "promptTokens"), 0),
      COALESCE(SUM(sign * "completionTokens"), 0),
      COALESCE(SUM(sign * "totalTokens"), 0),
      COALESCE(SUM(sign * "costUsd"), 0),
      SUM(CASE WHEN "costUsd" IS NULL THEN sign ELSE 0 END)
    FROM (%s) AS changed
    GROUP BY 1, 2, 3, 4
    -- Every writer locks the groups it touches in this one order: concurrent
    -- statements on the same groups wait for each other, never deadlock.
    ORDER BY 1, 2, 3, 4
    ON CONFLICT ("day", "userId", "provider", "model") DO UPDATE SET
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
    USING (SELECT DISTINCT ("createdAt" AT TIME ZONE 'UTC')::date AS "day", "userId", "provider", "model"
           FROM old_rows) AS o
    WHERE d."day" = o."day" AND d."userId" = o."userId" AND d."provider" = o."provider"
      AND d."model" = o."model" AND d."requests" = 0;
  END IF;
  RETURN NULL;
END
$function$;

-- TRUNCATE empties every day: their stamps go too (a day with no stamp has no rows).
CREATE OR REPLACE FUNCTION "AIUsageDaily_truncate"() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
  TRUNCATE "AIUsageDaily", "AIUsageDailyStamp";
  RETURN NULL;
END
$function$;

-- A stamp for every day written before this migration (by the old function, with none).
INSERT INTO "AIUsageDailyStamp" ("day")
SELECT DISTINCT "day" FROM "AIUsageDaily" ORDER BY 1
ON CONFLICT ("day") DO NOTHING;
