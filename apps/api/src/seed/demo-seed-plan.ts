/** A model a seeded user calls, how often (relative weight), and the shape of its calls. */
export interface SeedModelUse {
  provider: 'openai' | 'anthropic' | 'demo';
  model: string;
  weight: number;
  /** What the caller named: the model id, `provider/model` or an alias. */
  requested?: string;
  embedding?: boolean;
}

/** One seeded user: their volume, their models, how they call. */
export interface SeedUser {
  userId: string;
  /** Requests on a typical weekday. */
  perDay: number;
  models: SeedModelUse[];
  /** Share of chat calls that stream. */
  streamShare: number;
  /** Typical prompt tokens (the median; real prompts spread around it). */
  promptTokens: number;
  completionTokens: number;
  /** Budget of the user's seeded key in USD; null: no budget. */
  budgetUsd: string | null;
  /** Busy only now and then (a batch job): requests land on a few days. */
  bursty?: boolean;
}

/**
 * Who the demo month is made of: a team of developers, a support bot, a RAG indexer
 * and an eval job, across OpenAI, Anthropic and the demo provider, so every view of the
 * dashboard has something to show (a top spender, budgets nearly used, embeddings,
 * streams, a provider incident).
 */
export const SEED_USERS: SeedUser[] = [
  {
    userId: 'support-bot',
    perDay: 220,
    models: [
      { provider: 'anthropic', model: 'claude-haiku-4-5', weight: 6 },
      { provider: 'openai', model: 'gpt-4o-mini', weight: 3, requested: 'openai/gpt-4o-mini' },
      { provider: 'anthropic', model: 'claude-sonnet-4-5', weight: 1, requested: 'smart' },
    ],
    streamShare: 0.9,
    promptTokens: 2400,
    completionTokens: 260,
    budgetUsd: '30',
  },
  {
    userId: 'ana@acme.dev',
    perDay: 60,
    models: [
      { provider: 'anthropic', model: 'claude-sonnet-4-5', weight: 7 },
      { provider: 'openai', model: 'gpt-4o', weight: 2 },
      { provider: 'demo', model: 'demo-chat', weight: 1, requested: 'demo/demo-chat' },
    ],
    streamShare: 0.6,
    promptTokens: 9000,
    completionTokens: 900,
    budgetUsd: '80',
  },
  {
    userId: 'ben@acme.dev',
    perDay: 45,
    models: [
      { provider: 'openai', model: 'gpt-4o-mini', weight: 6 },
      { provider: 'openai', model: 'gpt-4o', weight: 2 },
      { provider: 'demo', model: 'demo-chat', weight: 2 },
    ],
    streamShare: 0.4,
    promptTokens: 2400,
    completionTokens: 500,
    budgetUsd: '5',
  },
  {
    userId: 'chen@acme.dev',
    perDay: 30,
    models: [
      { provider: 'openai', model: 'gpt-4o', weight: 5 },
      { provider: 'anthropic', model: 'claude-sonnet-4-5', weight: 3 },
    ],
    streamShare: 0.5,
    promptTokens: 3600,
    completionTokens: 700,
    budgetUsd: null,
  },
  {
    userId: 'rag-indexer',
    perDay: 120,
    models: [
      { provider: 'openai', model: 'text-embedding-3-small', weight: 8, embedding: true },
      { provider: 'demo', model: 'demo-embed', weight: 2, embedding: true },
    ],
    streamShare: 0,
    promptTokens: 3000,
    completionTokens: 0,
    budgetUsd: '1',
  },
  {
    userId: 'eval-runner',
    perDay: 260,
    models: [
      { provider: 'anthropic', model: 'claude-sonnet-4-5', weight: 4 },
      { provider: 'openai', model: 'gpt-4o', weight: 4 },
      { provider: 'openai', model: 'gpt-4o-mini', weight: 2 },
    ],
    streamShare: 0,
    promptTokens: 6000,
    completionTokens: 350,
    budgetUsd: '60',
    bursty: true,
  },
  {
    userId: 'dana@acme.dev',
    perDay: 20,
    models: [
      { provider: 'demo', model: 'demo-chat', weight: 6 },
      { provider: 'anthropic', model: 'claude-haiku-4-5', weight: 4 },
    ],
    streamShare: 0.7,
    promptTokens: 1500,
    completionTokens: 400,
    budgetUsd: '1.5',
  },
  {
    userId: 'mobile-app',
    perDay: 90,
    models: [{ provider: 'openai', model: 'gpt-4o-mini', weight: 1 }],
    streamShare: 1,
    promptTokens: 900,
    completionTokens: 180,
    budgetUsd: null,
  },
];

/** Base failure rate per provider, and a bad day: an Anthropic incident some days back. */
export const FAILURE_RATE: Record<SeedModelUse['provider'], number> = {
  openai: 0.012,
  anthropic: 0.02,
  demo: 0.004,
};
export const INCIDENT = { provider: 'anthropic' as const, daysAgo: 9, failureRate: 0.3 };

/** Latency per model: time to first token, then milliseconds per output token. */
export const SPEED: Record<string, { firstTokenMs: number; msPerToken: number }> = {
  'gpt-4o': { firstTokenMs: 450, msPerToken: 12 },
  'gpt-4o-mini': { firstTokenMs: 300, msPerToken: 7 },
  'text-embedding-3-small': { firstTokenMs: 120, msPerToken: 0 },
  'claude-sonnet-4-5': { firstTokenMs: 700, msPerToken: 14 },
  'claude-haiku-4-5': { firstTokenMs: 350, msPerToken: 6 },
  'demo-chat': { firstTokenMs: 80, msPerToken: 3 },
  'demo-embed': { firstTokenMs: 40, msPerToken: 0 },
};
