import { randomUUID } from 'node:crypto';
import type { Prisma } from '@aigw/db';

/** The columns a usage test chooses; the rest get plain defaults in `usageRow`. */
export interface UsageRowInput {
  userId: string;
  provider: string;
  model: string;
  createdAt: Date;
  /** The team the call was charged to; absent or null: none. */
  teamId?: string | null;
  /** chat (the default), embedding, responses, image, transcription, translation, speech. */
  requestType?: string;
  isSuccess?: boolean;
  promptTokens?: number | null;
  completionTokens?: number | null;
  totalTokens?: number | null;
  costUsd?: string | null;
}

/** A complete AIUsageLog row for `prisma.aIUsageLog.createMany`. */
export function usageRow(input: UsageRowInput): Prisma.AIUsageLogCreateManyInput {
  return {
    requestId: randomUUID(),
    attempt: 1,
    requestedModel: `${input.provider}/${input.model}`,
    requestType: 'chat',
    usageSource: input.promptTokens == null ? 'unknown' : 'reported',
    isSuccess: true,
    latencyMs: 100,
    promptTokens: null,
    completionTokens: null,
    totalTokens: null,
    costUsd: null,
    ...input,
  };
}

/** Deterministic pseudo-random numbers (a small LCG), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
