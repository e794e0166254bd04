-- CreateTable
CREATE TABLE "AIUsageDaily" (
    "day" DATE NOT NULL,
    "userId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "requests" BIGINT NOT NULL,
    "failures" BIGINT NOT NULL,
    "promptTokens" BIGINT NOT NULL,
    "completionTokens" BIGINT NOT NULL,
    "totalTokens" BIGINT NOT NULL,
    "costUsd" DECIMAL(30,12) NOT NULL,
    "unpricedRequests" BIGINT NOT NULL,

    CONSTRAINT "AIUsageDaily_pkey" PRIMARY KEY ("day","userId","provider","model")
);

-- ---------------------------------------------------------------------------------------
-- Hand-written below: Prisma's schema diff ignores functions and triggers.
--
-- AIUsageDaily holds, per UTC day, user, provider and model, the sums of the AIUsageLog
-- rows. The database keeps it exact itself, so rows written by any path count: the usage
-- writer's createMany (ON CONFLICT DO NOTHING: only rows really inserted reach the
-- transition table), raw INSERTs, COPY. One upsert per statement, from the statement's
-- transition tables, never one per row.
--
-- The app only inserts usage rows; UPDATE, DELETE and TRUNCATE are followed too, so an
-- operator's correction or a retention job keeps the sums exact. A group whose rows are
-- all deleted loses its AIUsageDaily row.
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION "AIUsageDaily_apply_changes"() RETURNS trigger
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

CREATE FUNCTION "AIUsageDaily_truncate"() RETURNS trigger
LANGUAGE plpgsql AS $function$
BEGIN
  TRUNCATE "AIUsageDaily";
  RETURN NULL;
END
$function$;

-- A trigger with transition tables takes one event each.
CREATE TRIGGER "AIUsageDaily_after_insert" AFTER INSERT ON "AIUsageLog"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "AIUsageDaily_apply_changes"();

CREATE TRIGGER "AIUsageDaily_after_update" AFTER UPDATE ON "AIUsageLog"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "AIUsageDaily_apply_changes"();

CREATE TRIGGER "AIUsageDaily_after_delete" AFTER DELETE ON "AIUsageLog"
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "AIUsageDaily_apply_changes"();

CREATE TRIGGER "AIUsageDaily_after_truncate" AFTER TRUNCATE ON "AIUsageLog"
  FOR EACH STATEMENT EXECUTE FUNCTION "AIUsageDaily_truncate"();

-- Summaries sum the raw rows of a range's edge days per user, provider and model. Without
-- this, PostgreSQL multiplies the three columns' distinct counts, expects tens of thousands
-- of groups where there are hundreds, and sorts instead of hashing (3x slower).
CREATE STATISTICS "AIUsageLog_userId_provider_model_stats" (ndistinct)
  ON "userId", "provider", "model" FROM "AIUsageLog";

-- Backfill the rows written before this migration. After the triggers: CREATE TRIGGER
-- waited for every open write on AIUsageLog and holds off new ones until this migration
-- commits, so each row is counted exactly once, here or by the trigger.
INSERT INTO "AIUsageDaily" ("day", "userId", "provider", "model", "requests", "failures",
  "promptTokens", "completionTokens", "totalTokens", "costUsd", "unpricedRequests")
SELECT ("createdAt" AT TIME ZONE 'UTC')::date, "userId", "provider", "model",
  COUNT(*),
  COUNT(*) FILTER (WHERE NOT "isSuccess"),
  COALESCE(SUM("promptTokens"), 0),
  COALESCE(SUM("completionTokens"), 0),
  COALESCE(SUM("totalTokens"), 0),
  COALESCE(SUM("costUsd"), 0),
  COUNT(*) FILTER (WHERE "costUsd" IS NULL)
FROM "AIUsageLog"
GROUP BY 1, 2, 3, 4;
