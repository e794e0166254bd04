import { type AIUsageLogCreateManyInput, Prisma } from '@aigw/db';
import type { UsageRecord } from './usage-record.js';

/** The Prisma `createMany` input for one usage record. */
export function toUsageRow(r: UsageRecord): AIUsageLogCreateManyInput {
  // Field by field rather than a spread: a stray property (say, in a hand-edited spool
  // file) must not reach Prisma, which would refuse the whole batch for it.
  return {
    id: r.id,
    requestId: r.requestId,
    attempt: r.attempt,
    userId: r.userId,
    apiKeyId: r.apiKeyId,
    provider: r.provider,
    model: r.model,
    requestedModel: r.requestedModel,
    requestType: r.requestType,
    stream: r.stream,
    promptTokens: r.promptTokens,
    cacheReadTokens: r.cacheReadTokens,
    cacheWriteTokens: r.cacheWriteTokens,
    completionTokens: r.completionTokens,
    reasoningTokens: r.reasoningTokens,
    totalTokens: r.totalTokens,
    usageSource: r.usageSource,
    // The decimal string as is: every digit reaches NUMERIC(24,12), no float on the way.
    costUsd: r.costUsd,
    // SQL NULL, not the JSON value `null`: "no price" must read as NULL in SQL.
    pricing: r.pricing === null ? Prisma.DbNull : (r.pricing as Prisma.InputJsonObject),
    isSuccess: r.isSuccess,
    errorCode: r.errorCode,
    httpStatus: r.httpStatus,
    latencyMs: r.latencyMs,
    timeToFirstTokenMs: r.timeToFirstTokenMs,
    characterId: r.characterId,
    chatId: r.chatId,
    metadata: r.metadata as Prisma.InputJsonObject,
    createdAt: new Date(r.createdAt),
  };
}
