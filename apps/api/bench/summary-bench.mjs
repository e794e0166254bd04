// `pnpm bench:summary`: GET /admin/usage/summary over 10 million usage rows.
// Makes a fresh PostgreSQL database on DATABASE_URL's server, fills AIUsageLog with realistic
// rows (the triggers keep AIUsageDaily as they go), starts the real service on it and times
// the summary over real HTTP; then the same sums over the raw rows alone, for comparison.
// Benchmarks are not tests: this prints figures and the target; nothing runs in `pnpm test`.
//
//   pnpm bench:summary [--rows 10000000] [--runs 20] [--dense] [--keep] [--reuse NAME] [--force]
//   DATABASE_URL  a URL on the server to use, with the right to CREATE DATABASE
//                 (default postgresql://postgres@127.0.0.1:5432/postgres)
import { spawn } from 'node:child_process';
import { readFileSync, statfsSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applyMigrations, openDatabase } from '@aigw/db';
import pg from 'pg';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    runs: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    dense: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
const RUNS = Number(args.runs);
const USERS = 1000;
const DAYS = 45;
const TARGET_MS = 200;
const DAY_MS = 86_400_000;
const ADMIN_KEY = 'sk-admin-bench-summary-0123456789';
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** The node flags the service's start commands give it (`start:prod`; the others match it). */
const SERVICE_NODE_ARGS = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  .scripts['start:prod'].split(' ')
  .filter((word) => word.startsWith('--'));
// Measured here: ~0.75 GB per million rows (table, indexes, rollup), plus WAL while filling.
const GB_PER_MILLION = 0.75;

const adminUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
// --reuse NAME: time a database an earlier --keep run left (no fill, never dropped).
const dbName = args.reuse ?? `aigw_bench_summary_${Date.now().toString(36)}`;
const keep = args.keep || args.reuse !== undefined;
const benchUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();

const log = (line = '') => process.stdout.write(`${line}\n`);
const fmtMs = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const gb = (bytes) => `${(bytes / 1e9).toFixed(1)} GB`;

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Free space where the server keeps its data (when the server is on this machine). */
async function checkDisk(admin) {
  const needed = (ROWS / 1e6) * GB_PER_MILLION * 1e9;
  let dataDir = null;
  try {
    dataDir = (await admin.query('SHOW data_directory')).rows[0].data_directory;
  } catch {
    // Not a superuser: the data directory is not ours to see.
  }
  let free = null;
  try {
    const stats = statfsSync(dataDir ?? '.');
    free = stats.bavail * stats.bsize;
  } catch {
    // The server runs elsewhere.
  }
  log(
    `Disk: ${ROWS.toLocaleString('en-US')} rows need about ${gb(needed)}; ` +
      (free === null
        ? 'free space unknown (server not on this machine)'
        : `${gb(free)} free at ${dataDir ?? '.'}`),
  );
  if (free !== null && free < needed * 1.3 && !args.force) {
    throw new Error('Not enough free disk space (--force to try anyway, or fewer --rows)');
  }
}

// Ten models of four providers, with their prices in USD per 1M input / output tokens.
// The local model has no price: its rows are unpriced (costUsd NULL).
const MODELS = [
  ['openai', 'gpt-4o', 'chat', 2.5, 10],
  ['openai', 'gpt-4o-mini', 'chat', 0.15, 0.6],
  ['openai', 'gpt-4.1', 'chat', 2, 8],
  ['openai', 'text-embedding-3-small', 'embedding', 0.02, 0],
  ['anthropic', 'claude-sonnet-4-5', 'chat', 3, 15],
  ['anthropic', 'claude-haiku-4-5', 'chat', 1, 5],
  ['anthropic', 'claude-opus-4-1', 'chat', 15, 75],
  ['gemini', 'gemini-2.5-flash', 'chat', 0.3, 2.5],
  ['gemini', 'gemini-2.5-pro', 'chat', 1.25, 10],
  ['ollama', 'llama3.2', 'chat', null, null],
];
const sqlArray = (i, type) =>
  `(ARRAY[${MODELS.map((m) => (m[i] === null ? 'NULL' : typeof m[i] === 'number' ? m[i] : `'${m[i]}'`)).join(', ')}]::${type}[])`;
const [PROVIDER, MODEL, TYPE, INPUT, OUTPUT] = [
  sqlArray(0, 'text'),
  sqlArray(1, 'text'),
  sqlArray(2, 'text'),
  sqlArray(3, 'numeric'),
  sqlArray(4, 'numeric'),
];

/**
 * One day of calls, `calls` rows from `dayStartMs` on, in time order (the log grows in time
 * order). Users are skewed: user k gets a share of a day's calls proportional to 1/(k+1), and
 * is active on a given day with probability min(0.95, 0.05 + 3/sqrt(k+1)) (the heaviest
 * users every day, the tail a few days a month: about 230 of the 1,000 active a day), or
 * every day with --dense. Each user has one to three models of its own, mostly the first;
 * 2% of calls fail; tokens have long tails; cost is the tokens at the model's prices.
 */
function daySql(dayStartMs, calls) {
  const active = args.dense ? 'true' : 'random() < LEAST(0.95, 0.05 + 3 / sqrt(k + 1))';
  return `
    WITH users AS (
      SELECT k, 'user-' || lpad(k::text, 4, '0') AS user_id, 1.0 / (k + 1) AS w,
        abs(hashtext('first-model-' || k)) % 10 AS first_model,
        1 + abs(hashtext('model-count-' || k)) % 3 AS model_count
      FROM generate_series(0, ${USERS - 1}) AS k
    ),
    active AS (
      SELECT *, SUM(w) OVER (ORDER BY k) AS upto, SUM(w) OVER () AS total FROM users WHERE ${active}
    ),
    calls AS (
      SELECT a.user_id, (a.first_model + 3 * floor(a.model_count * power(random(), 2))::int) % 10 + 1 AS m,
        to_timestamp((${dayStartMs} + random() * ${DAY_MS}) / 1000.0) AS created_at
      FROM active AS a
      CROSS JOIN LATERAL generate_series(1,
        (floor(${calls} * a.upto / a.total) - floor(${calls} * (a.upto - a.w) / a.total))::int)
      ORDER BY created_at
    )
    INSERT INTO "AIUsageLog" ("id", "requestId", "attempt", "userId", "apiKeyId", "provider", "model",
      "requestedModel", "requestType", "stream", "promptTokens", "cacheReadTokens", "completionTokens",
      "totalTokens", "usageSource", "costUsd", "pricing", "isSuccess", "errorCode", "httpStatus",
      "latencyMs", "timeToFirstTokenMs", "chatId", "createdAt")
    SELECT r.id, r.id::text, 1, r.user_id, md5(r.user_id)::uuid, ${PROVIDER}[r.m], ${MODEL}[r.m],
      ${MODEL}[r.m], ${TYPE}[r.m], r.stream, r.prompt,
      CASE WHEN random() < 0.3 THEN floor(r.prompt * random())::int ELSE 0 END, r.completion,
      r.prompt + r.completion, CASE WHEN r.fail THEN 'unknown' ELSE 'reported' END,
      CASE WHEN r.fail THEN 0
        ELSE round((r.prompt * ${INPUT}[r.m] + r.completion * ${OUTPUT}[r.m]) / 1000000, 12) END,
      CASE WHEN ${INPUT}[r.m] IS NOT NULL
        THEN jsonb_build_object('inputPerMTok', ${INPUT}[r.m], 'outputPerMTok', ${OUTPUT}[r.m]) END,
      NOT r.fail, CASE WHEN r.fail THEN 'upstream_error' END, CASE WHEN r.fail THEN 502 ELSE 200 END,
      r.latency, CASE WHEN r.stream THEN r.latency / 5 END,
      'chat-' || r.user_id || '-' || floor(random() * 20), r.created_at
    FROM (
      SELECT c.*,
        -- A UUIDv7 from the time, as the gateway makes them: the row id and its request id.
        (lpad(to_hex((extract(epoch FROM c.created_at) * 1000)::bigint), 12, '0') || '7'
          || substr(md5(random()::text), 1, 3) || '8' || substr(md5(random()::text), 1, 15))::uuid AS id,
        c.fail_roll < 0.02 AS fail,
        CASE WHEN c.fail_roll < 0.02 THEN NULL ELSE 20 + floor(-ln(1 - random()) * 1500)::int END AS prompt,
        CASE WHEN c.fail_roll < 0.02 THEN NULL WHEN ${TYPE}[c.m] = 'embedding' THEN 0
          ELSE 1 + floor(-ln(1 - random()) * 350)::int END AS completion,
        random() < 0.6 AS stream,
        200 + floor(-ln(1 - random()) * 1500)::int AS latency
      FROM (SELECT *, random() AS fail_roll FROM calls) AS c
    ) AS r`;
}

async function fill(endMs) {
  log(
    `Filling ${ROWS.toLocaleString('en-US')} rows over the ${DAYS} days before now, ${USERS} users` +
      `${args.dense ? ' (--dense: every user active every day)' : ''}, ${MODELS.length} models, one INSERT … SELECT a day…`,
  );
  const startMs = endMs - DAYS * DAY_MS;
  const started = performance.now();
  let inserted = 0;
  await withClient(benchUrl, async (client) => {
    await client.query('SELECT setseed(0.42)');
    let reported = performance.now();
    let reportedRows = 0;
    for (let day = 0; day < DAYS; day++) {
      const calls = Math.floor(((day + 1) * ROWS) / DAYS) - Math.floor((day * ROWS) / DAYS);
      inserted += (await client.query(daySql(startMs + day * DAY_MS, calls))).rowCount;
      if ((day + 1) % 5 === 0 || day === DAYS - 1) {
        const rate = (inserted - reportedRows) / ((performance.now() - reported) / 1000);
        log(
          `  ${inserted.toLocaleString('en-US').padStart(12)} rows (day ${day + 1}/${DAYS}, ${rate.toFixed(0)} rows/s)`,
        );
        reported = performance.now();
        reportedRows = inserted;
      }
    }
  });
  const seconds = (performance.now() - started) / 1000;
  log(
    `Filled ${inserted.toLocaleString('en-US')} rows in ${seconds.toFixed(0)} s: ` +
      `${(inserted / seconds).toFixed(0)} rows/s, AIUsageDaily kept by the trigger as they went in.`,
  );
  // What autovacuum would do to an insert-only table, then a checkpoint, so the flushing of
  // gigabytes of WAL does not run under the timings.
  const t = performance.now();
  await withClient(benchUrl, async (client) => {
    await client.query('VACUUM ANALYZE');
    await client.query('CHECKPOINT').catch((error) => log(`(no CHECKPOINT: ${error.message})`));
  });
  log(`VACUUM ANALYZE and CHECKPOINT in ${((performance.now() - t) / 1000).toFixed(1)} s.`);
  return inserted;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The real service, as `pnpm start` runs it, on the bench database (with `env` added). */
async function startService(env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, MAIN], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: benchUrl,
      ADMIN_API_KEY: ADMIN_KEY,
      LOG_LEVEL: 'warn',
      // A setting to compare, passed through when given (e.g. HEAP_GROWING_PERCENT=0).
      ...(process.env.HEAP_GROWING_PERCENT ? { HEAP_GROWING_PERCENT: process.env.HEAP_GROWING_PERCENT } : {}),
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`The service exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('The service did not become healthy within 30 s');
}

/** One GET, timed until the whole body has arrived. */
async function timedGet(url) {
  const t = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  const text = await res.text();
  const ms = performance.now() - t;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${text.slice(0, 300)}`);
  return { ms, text };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

async function stopService(service) {
  service.child.kill('SIGTERM');
  await new Promise((resolve) => service.child.once('exit', resolve));
}

async function timeScenario(serviceUrl, scenario) {
  const url = `${serviceUrl}/admin/usage/summary?${scenario.query}`;
  const first = (await timedGet(url)).ms;
  for (let i = 0; i < 2; i++) await timedGet(url); // warm-up
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    last = await timedGet(url);
    times.push(last.ms);
  }
  times.sort((a, b) => a - b);
  const body = JSON.parse(last.text);
  return {
    ...scenario,
    first,
    min: times[0],
    p50: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    max: times.at(-1),
    rows: body.rows.length,
    bytes: last.text.length,
    body,
  };
}

/** The scenarios' timings as a Markdown table. */
function printTable(results) {
  const header = ['scenario', 'first', 'min', 'p50', 'p95', 'max', 'rows', 'body', 'target'];
  const lines = results.map((r) => [
    r.name,
    fmtMs(r.first),
    fmtMs(r.min),
    fmtMs(r.p50),
    fmtMs(r.p95),
    fmtMs(r.max),
    r.rows.toLocaleString('en-US'),
    `${(r.bytes / 1e6).toFixed(1)} MB`,
    r.target ? `p95 ≤ ${TARGET_MS}: ${r.p95 <= TARGET_MS ? 'PASS' : 'FAIL'}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  log(row(header));
  log(`|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const l of lines) log(row(l));
}

/** The same sums from the raw rows alone (what the summary did before the rollup), in SQL. */
async function rawOnly(client, from, to) {
  const t = performance.now();
  const result = await client.query(
    `SELECT to_char(date_trunc('day', "createdAt" AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS "day",
       "userId", "provider", "model", COUNT(*)::int AS "requests",
       (COUNT(*) FILTER (WHERE NOT "isSuccess"))::int AS "failures",
       COALESCE(SUM("promptTokens"), 0)::int8 AS "promptTokens",
       COALESCE(SUM("completionTokens"), 0)::int8 AS "completionTokens",
       COALESCE(SUM("totalTokens"), 0)::int8 AS "totalTokens",
       ROUND(COALESCE(SUM("costUsd"), 0), 12)::text AS "costUsd",
       (COUNT(*) FILTER (WHERE "costUsd" IS NULL))::int AS "unpricedRequests"
     FROM "AIUsageLog" WHERE "createdAt" >= $1::timestamptz AND "createdAt" < $2::timestamptz
     GROUP BY 1, 2, 3, 4
     ORDER BY 1, "userId" COLLATE "C", "provider" COLLATE "C", "model" COLLATE "C"`,
    [from, to],
  );
  return { ms: performance.now() - t, rows: result.rows };
}

async function main() {
  log('aigw summary benchmark (not a test)');
  await withClient(adminUrl, async (admin) => {
    const version = (await admin.query('SHOW server_version')).rows[0].server_version;
    log(
      `PostgreSQL ${version} at ${new URL(adminUrl).host}; Node ${process.version}; ${availableParallelism()} CPUs, ` +
        `load average ${loadavg()[0].toFixed(2)} (anything else running skews the timings)`,
    );
    if (args.reuse) return;
    await checkDisk(admin);
    await admin.query(`CREATE DATABASE "${dbName}"`);
  });
  log(
    `Database ${dbName} ${args.reuse ? 'reused' : 'created'}${keep ? ' (kept)' : ' (dropped at the end)'}.`,
  );
  let service;
  try {
    const db = await openDatabase({
      kind: 'postgres',
      url: benchUrl,
      connectionTimeoutMs: 5000,
      poolSize: 2,
    });
    try {
      log(`Migrations applied: ${(await applyMigrations(db)).join(', ') || 'none pending'}`);
    } finally {
      await db.close();
    }
    const inserted = args.reuse
      ? await withClient(
          benchUrl,
          async (c) => (await c.query('SELECT count(*)::int AS n FROM "AIUsageLog"')).rows[0].n,
        )
      : await fill(Date.now());
    const sizes = await withClient(benchUrl, async (client) => {
      const q = async (sql) => (await client.query(sql)).rows[0];
      return {
        log: await q(`SELECT pg_total_relation_size('"AIUsageLog"') AS b`),
        daily: await q(
          `SELECT pg_total_relation_size('"AIUsageDaily"') AS b, count(*)::int AS n FROM "AIUsageDaily"`,
        ),
      };
    });
    log(
      `AIUsageLog: ${gb(Number(sizes.log.b))} with indexes; AIUsageDaily: ${sizes.daily.n.toLocaleString('en-US')} rows, ` +
        `${(Number(sizes.daily.b) / 1e6).toFixed(0)} MB.`,
    );

    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const wholeDays = {
      from: new Date(today - 30 * DAY_MS).toISOString(),
      to: new Date(today).toISOString(),
    };
    const range = `from=${wholeDays.from}&to=${wholeDays.to}`;
    const noon = (daysBack) => new Date(today - daysBack * DAY_MS + DAY_MS / 2).toISOString();
    const scenarios = [
      {
        name: 'last 30 whole days, by user,provider,model,day',
        query: `${range}&groupBy=user,provider,model,day`,
        target: 'whole days',
      },
      {
        name: 'last 30 days up to now (default), by user,provider,model,day',
        query: 'groupBy=user,provider,model,day',
        target: 'up to now',
      },
      {
        // Each end half-way through its day: the most raw rows a 30-day range can need.
        name: '30 days from and to 12:00 UTC, by user,provider,model,day',
        query: `from=${noon(31)}&to=${noon(1)}&groupBy=user,provider,model,day`,
        target: 'noon to noon',
      },
      { name: 'last 30 days up to now, by user', query: 'groupBy=user' },
      { name: 'last 30 days up to now, by provider,model', query: 'groupBy=provider,model' },
      { name: 'last 30 days up to now, by day', query: 'groupBy=day' },
      { name: 'last 30 days up to now, totals only', query: '' },
    ];
    // First with no day's part cached: what each request costs when every day is computed
    // anew (a first request, or one after all its days have changed).
    service = await startService({ SUMMARY_CACHE_MB: '0' });
    const uncached = [];
    for (const scenario of scenarios.filter((s) => s.target))
      uncached.push(await timeScenario(service.url, scenario));
    await stopService(service);
    service = await startService();
    const results = [];
    for (const scenario of scenarios) results.push(await timeScenario(service.url, scenario));

    log();
    log(
      `GET /admin/usage/summary over real HTTP, ${inserted.toLocaleString('en-US')} rows, ${RUNS} runs after 3 warm-up (ms; ` +
        'first: the first warm-up, before its grouping had any day cached, except days an earlier row cached):',
    );
    printTable(results);
    log();
    log('The same with no day cached (SUMMARY_CACHE_MB=0: every day computed at each request):');
    printTable(uncached);

    // What the rollup buys: the main scenario from the raw rows alone, and the answers compared.
    const main = results[0];
    const raw = await withClient(benchUrl, async (client) => {
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await rawOnly(client, wholeDays.from, wholeDays.to));
      return runs;
    });
    const rawMs = raw.map((r) => r.ms).sort((a, b) => a - b);
    const asApi = raw[0].rows.map((r) => ({
      ...r,
      promptTokens: Number(r.promptTokens),
      completionTokens: Number(r.completionTokens),
      totalTokens: Number(r.totalTokens),
    }));
    const same = JSON.stringify(asApi) === JSON.stringify(main.body.rows);
    log();
    log(
      `Same sums from the raw rows only (SQL alone, no HTTP), 3 runs: min ${fmtMs(rawMs[0])} ms, ` +
        `median ${fmtMs(rawMs[1])} ms, max ${fmtMs(rawMs[2])} ms — ` +
        `${(rawMs[1] / main.p50).toFixed(0)}× the rollup's p50 over HTTP.`,
    );
    log(
      `Rollup answer equals the raw rows' answer, row for row: ${same ? 'yes' : 'NO'} (${raw[0].rows.length} rows).`,
    );
    const target = results.filter((r) => r.target);
    log();
    log(
      `Target, 30 days by user,provider,model,day, p95 ≤ ${TARGET_MS} ms: ` +
        target
          .map((r) => `${r.target} ${r.p95 <= TARGET_MS ? 'PASS' : 'FAIL'} (${fmtMs(r.p95)} ms)`)
          .join(', '),
    );
    log(
      `With no day cached: ${uncached.map((r) => `${r.target} ${r.p95 <= TARGET_MS ? 'PASS' : 'FAIL'} (${fmtMs(r.p95)} ms)`).join(', ')}`,
    );
    if (!same) process.exitCode = 1;
  } finally {
    if (service) await stopService(service);
    if (!keep) {
      await withClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
      log(`Database ${dbName} dropped.`);
    } else {
      log(`Database kept: ${benchUrl}`);
    }
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
