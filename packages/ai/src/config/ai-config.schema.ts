import { z } from 'zod';

const price = z.union([
  z.number().nonnegative(),
  z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal number'),
]);

const providerSchema = z.strictObject({
  type: z.enum(['openai', 'anthropic', 'openai-compatible', 'demo'], {
    error: 'must be openai, anthropic, openai-compatible or demo',
  }),
  baseUrl: z.url({ error: 'must be a URL like https://api.example.com/v1' }).optional(),
  apiKey: z.string().optional(),
  preset: z
    .enum(['openrouter', 'deepseek', 'groq', 'gemini', 'ollama', 'vllm'], {
      error: 'must be one of openrouter, deepseek, groq, gemini, ollama, vllm',
    })
    .optional(),
  displayName: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Requests per minute this provider key allows (enforced by the gateway, across replicas with Redis). */
  rpmLimit: z.number().int().positive().optional(),
  /** Tokens (input + output) per minute this provider key allows. */
  tpmLimit: z.number().int().positive().optional(),
});

const modelSchema = z.strictObject({
  provider: z.string(),
  id: z.string().min(1),
  inputPerMTok: price.optional(),
  outputPerMTok: price.optional(),
  cachedInputPerMTok: price.optional(),
  cacheWritePerMTok: price.optional(),
  /** 1-hour cache writes (Anthropic); unset: the cacheWritePerMTok price. */
  cacheWrite1hPerMTok: price.optional(),
  /** USD per 1,000 web searches the provider runs. */
  webSearchPerThousand: price.optional(),
  /** Audio and image tokens at their own rates (unset: the input or output rate). */
  inputAudioPerMTok: price.optional(),
  inputImagePerMTok: price.optional(),
  outputImagePerMTok: price.optional(),
  outputAudioPerMTok: price.optional(),
  /**
   * USD per image: one price, or prices by `quality/size`, `size` or `quality` (e.g.
   * `hd/1024x1792`, `1024x1024`, `hd`); `*` for any.
   */
  perImage: z.union([price, z.record(z.string().min(1), price)]).optional(),
  /** USD per minute of audio in (transcription, translation). */
  perMinute: price.optional(),
  /** Seconds billed at least per request at the per-minute price (Groq: 10). */
  minimumSeconds: z.number().nonnegative().optional(),
  /** USD per 1M characters of text in (speech). */
  perMCharacters: price.optional(),
  contextWindow: z.number().int().positive().optional(),
  capabilities: z
    .strictObject({
      chat: z.boolean().optional(),
      streaming: z.boolean().optional(),
      tools: z.boolean().optional(),
      vision: z.boolean().optional(),
      jsonOutput: z.boolean().optional(),
      embeddings: z.boolean().optional(),
      reasoning: z.boolean().optional(),
      images: z.boolean().optional(),
      transcription: z.boolean().optional(),
      translation: z.boolean().optional(),
      speech: z.boolean().optional(),
      transcriptionStreaming: z.boolean().optional(),
    })
    .optional(),
});

const targetSchema = z.union([
  z.string().regex(/^[^/]+\/.+$/, 'must be "provider/model"'),
  z.strictObject({
    target: z.string().regex(/^[^/]+\/.+$/, 'must be "provider/model"'),
    weight: z.number().positive().optional(),
  }),
]);

const routeSchema = z.strictObject({
  strategy: z
    .enum(['failover', 'loadbalance'], { error: 'must be failover or loadbalance' })
    .default('failover'),
  timeoutMs: z.number().int().positive().optional(),
  retries: z.number().int().min(0).max(10).optional(),
  /** Time allowed for the whole request, all attempts together. */
  requestTimeoutMs: z.number().int().positive().optional(),
  targets: z.array(targetSchema).min(1, 'needs at least one target'),
  fallbacks: z.array(z.string()).optional(),
});

/** The YAML config file (`AI_CONFIG`, default `ai.config.yaml`). */
export const aiConfigSchema = z.strictObject({
  providers: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'provider names use a-z, 0-9, - and _'), providerSchema)
    .default({}),
  models: z.array(modelSchema).default([]),
  routes: z.record(z.string(), routeSchema).default({}),
  /** Circuit breakers, one per provider. */
  breaker: z
    .strictObject({
      consecutiveFailures: z.number().int().positive().default(5),
      halfOpenAfterMs: z.number().int().positive().default(30_000),
    })
    .optional(),
  /** Backoff between retries of one target. */
  retry: z
    .strictObject({
      baseDelayMs: z.number().int().positive().default(250),
      maxDelayMs: z.number().int().positive().default(5000),
    })
    .optional(),
});

/** The validated config file. */
export type AiConfigFile = z.infer<typeof aiConfigSchema>;
/** One provider entry. */
export type ProviderConfig = z.infer<typeof providerSchema>;
/** One route entry. */
export type RouteConfig = z.infer<typeof routeSchema>;
