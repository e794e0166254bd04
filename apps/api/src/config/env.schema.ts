import { isTimeZone } from '@aigw/ai';
import { z } from 'zod';

const port = z.coerce
  .number({ error: 'must be a whole number from 0 (any free port) to 65535' })
  .int('must be a whole number from 0 (any free port) to 65535')
  .min(0, 'must be a whole number from 0 (any free port) to 65535')
  .max(65535, 'must be a whole number from 0 (any free port) to 65535');

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveMs = z.coerce
  .number({ error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .positive('must be more than 0');

const urlWith = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be a URL like ${example}` },
  );

/** Empty strings count as unset, as in most env tooling. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * A secret of ours: at least 8 characters, below which the log scrubber could not tell it
 * from ordinary text (shorter than 16 is taken with a warning at start; see short-secrets.ts).
 */
const secret = z
  .string()
  .min(8, 'must be at least 8 characters long (a shorter one cannot be kept out of the logs)');

/** The service's environment. Names are the variables' own, so messages name them. */
export const envSchema = z.object({
  PORT: optional(port).default(3000),
  HOST: optional(z.string()).default('0.0.0.0'),
  DATABASE_URL: optional(
    urlWith(['postgres:', 'postgresql:'], 'postgresql://user:password@host:5432/database'),
  ),
  DATABASE_CONNECT_TIMEOUT_MS: optional(positiveMs).default(5000),
  DATABASE_POOL_SIZE: optional(z.coerce.number().int().min(1).max(1000)).default(10),
  PGLITE_DIR: optional(z.string()),
  MIGRATE_ON_START: optional(flag).default(true),
  ADMIN_API_KEY: optional(secret),
  LOG_LEVEL: optional(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  ).default('info'),
  REDIS_URL: optional(urlWith(['redis:', 'rediss:'], 'redis://127.0.0.1:6379')),
  /** Put before every Redis key, so several gateways (or test runs) can share one Redis. */
  REDIS_KEY_PREFIX: optional(z.string()).default('aigw:'),
  /** Length of the rpm/tpm windows (shorter in tests). */
  RATE_LIMIT_WINDOW_MS: optional(positiveMs).default(60_000),
  /**
   * How long a verified virtual key is served from memory without a database query
   * (0: every request reads its key). Revokes and edits apply at once all the same.
   */
  KEY_CACHE_TTL_MS: optional(z.coerce.number().int().min(0)).default(30_000),
  /**
   * Memory for summary parts per day (MB; 0: none). A summary grouped by day reuses a past
   * day's part while that day's usage rows are unchanged (AIUsageDailyStamp tells).
   */
  SUMMARY_CACHE_MB: optional(z.coerce.number().int().min(0).max(100_000)).default(64),
  /**
   * V8's heap growing factor, as 1 + N/100 (0: V8's own, which lets the heap grow to
   * several times its live size before a full collection). 50 keeps a gateway holding
   * many open streams well under its limits at a small CPU cost; see docs/performance.md.
   */
  HEAP_GROWING_PERCENT: optional(z.coerce.number().int().min(0).max(1000)).default(50),
  BODY_LIMIT_BYTES: optional(z.coerce.number().int().min(1024)).default(10 * 1024 * 1024),
  /** Largest audio file `/v1/audio/transcriptions` and `/translations` take (25 MB, as OpenAI). */
  AUDIO_UPLOAD_LIMIT_BYTES: optional(z.coerce.number().int().min(1024)).default(25 * 1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: optional(positiveMs).default(10_000),
  /**
   * How long a streamed response waits for a client that has stopped reading (its
   * buffers full) before the connection is closed and the upstream call cancelled.
   */
  STREAM_STALL_TIMEOUT_MS: optional(positiveMs).default(60_000),
  /**
   * How many days a stored response (Responses API, `store` on) is kept for GET and
   * `previous_response_id` (0: for ever); expired ones are deleted hourly.
   */
  RESPONSES_RETENTION_DAYS: optional(z.coerce.number().int().min(0).max(36_500)).default(30),
  /**
   * How many days usage rows (AIUsageLog) are kept; older ones are deleted hourly, their
   * sums staying in the daily rollup and their cost in `total` budgets. Unset: every row is
   * kept. At least 32: budgets' current daily, weekly and monthly periods are read from the rows.
   */
  USAGE_RETENTION_DAYS: optional(
    z.coerce
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days')
      .min(
        32,
        "must be at least 32 days (or unset, to keep every row): budgets' current daily, weekly and monthly periods are counted from the usage rows, so a whole month of them must be kept",
      )
      .max(36_500, 'must be at most 36500 days (or unset, to keep every row)'),
  ),
  /** The IANA time zone whose calendar days, weeks (from Monday) and months budgets reset on. */
  BUDGET_TIMEZONE: optional(
    z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as UTC or Europe/Paris' }),
  ).default('UTC'),
  /** Where budget alerts go when their team has no webhook of its own (unset: only teams' webhooks). */
  ALERT_WEBHOOK_URL: optional(urlWith(['http:', 'https:'], 'https://hooks.example.com/aigw')),
  /** Signs every alert webhook (HMAC-SHA256 in `x-aigw-signature`) unless its team has its own secret. */
  ALERT_WEBHOOK_SECRET: optional(secret),
  /** json: the gateway's alert body; slack: Slack's incoming-webhook `{ text }`. */
  ALERT_WEBHOOK_FORMAT: optional(z.enum(['json', 'slack'], { error: 'must be json or slack' })).default(
    'json',
  ),
  /** OTLP/HTTP collector (traces go to its /v1/traces); unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(urlWith(['http:', 'https:'], 'http://otel-collector:4318')),
  /** The traces endpoint itself, taken as is (wins over OTEL_EXPORTER_OTLP_ENDPOINT). */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(
    urlWith(['http:', 'https:'], 'http://otel-collector:4318/v1/traces'),
  ),
  OTEL_SERVICE_NAME: optional(z.string()).default('aigw'),
  /** true: spans carry the prompt and completion text (gen_ai.input/output.messages); off by default. */
  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: optional(flag).default(false),
  AI_CONFIG: optional(z.string()),
  /** true: the local demo provider joins the real ones; false: never; unset: only while no provider is configured. */
  AI_DEMO_PROVIDER: optional(flag),
  USAGE_SPOOL_DIR: optional(z.string()).default('.data/usage-spool'),
  /** How often buffered usage rows are written in one batch (a full batch of 500 goes at once). */
  USAGE_FLUSH_INTERVAL_MS: optional(positiveMs.max(3_600_000, 'must be at most 3600000 (an hour)')).default(
    200,
  ),
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`; unset, it is open (as Prometheus expects). */
  METRICS_TOKEN: optional(secret),
  /** The former name of METRICS_TOKEN, still read. */
  METRICS_BEARER_TOKEN: optional(secret),
  ...providerVariables(),
});

/** Provider keys and base URLs (zero-config: a key in the environment enables its provider). */
function providerVariables() {
  const httpUrl = optional(urlWith(['http:', 'https:'], 'https://api.example.com/v1'));
  const vars: Record<string, typeof httpUrl | ReturnType<typeof optional<z.ZodString>>> = {};
  for (const provider of ['OPENAI', 'ANTHROPIC', 'OPENROUTER', 'GEMINI', 'DEEPSEEK', 'GROQ']) {
    vars[`${provider}_API_KEY`] = optional(z.string());
    vars[`${provider}_BASE_URL`] = httpUrl;
  }
  for (const local of ['OLLAMA', 'VLLM']) {
    vars[`${local}_BASE_URL`] = httpUrl;
    vars[`${local}_API_KEY`] = optional(z.string());
  }
  return vars;
}

/** The validated environment. */
export type Env = z.infer<typeof envSchema>;

/** Variables whose values must never be echoed, not even in a validation message. */
const SECRET_VARIABLES = new Set([
  'DATABASE_URL',
  'ADMIN_API_KEY',
  'REDIS_URL',
  'ALERT_WEBHOOK_SECRET',
  'ALERT_WEBHOOK_URL',
]);

/** Thrown when the environment is wrong; the message names every bad variable. */
export class InvalidEnvironmentError extends Error {
  override readonly name = 'InvalidEnvironmentError';
}

/** Validates `raw` (usually `process.env`); throws InvalidEnvironmentError listing each problem. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    const value = raw[name];
    const shown =
      SECRET_VARIABLES.has(name) || /KEY$/.test(name) || value === undefined ? '' : ` (got "${value}")`;
    return `  ${name}: ${issue.message}${shown}`;
  });
  throw new InvalidEnvironmentError(`Invalid environment, the service cannot start:\n${lines.join('\n')}`);
}
