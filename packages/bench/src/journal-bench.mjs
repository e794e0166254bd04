// `pnpm bench:journal`: what the usage journal costs on the request path. Enqueues the same
// usage records into a UsageWriter with the journal off and on (alternating, twice each;
// nothing is flushed) and prints the time per enqueue(): with the journal on, each record is
// JSON-encoded and written with write(2) to a file in the spool folder before it returns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageWriter } from '@aigw/ai';

const N = Number(process.env.JOURNAL_BENCH_RECORDS ?? 50_000);

/** A typical chat row: the size of what the gateway writes per call. */
function record(i) {
  return {
    id: `0190a3b2-7c4d-7e8f-9a0b-${String(i).padStart(12, '0')}`,
    requestId: `req-${i}`,
    attempt: 1,
    userId: 'bench-user',
    apiKeyId: '0190a3b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b',
    teamId: null,
    provider: 'openai',
    model: 'gpt-4o-mini',
    requestedModel: 'gpt-4o-mini',
    requestType: 'chat',
    stream: true,
    promptTokens: 1200,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    completionTokens: 300,
    reasoningTokens: 0,
    totalTokens: 1500,
    usageSource: 'reported',
    unit: null,
    quantity: null,
    costUsd: '0.000360000000',
    pricing: {
      inputPerMTok: '0.15',
      outputPerMTok: '0.6',
      cachedInputPerMTok: '0.075',
      source: 'genai-prices',
    },
    isSuccess: true,
    errorCode: null,
    httpStatus: null,
    latencyMs: 812,
    timeToFirstTokenMs: 201,
    characterId: null,
    chatId: null,
    metadata: { feature: 'chat' },
    createdAt: new Date().toISOString(),
  };
}

const quiet = { warn() {}, error() {} };
for (const journal of [false, true, false, true]) {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-journal-bench-'));
  // Never flushed: the prisma client is never called.
  const writer = new UsageWriter({
    prisma: {},
    spoolDir: dir,
    journal,
    flushIntervalMs: 2e9,
    batchSize: 1e9,
    maxBufferedRecords: 1e9,
    logger: quiet,
  });
  const records = Array.from({ length: N }, (_, i) => record(i));
  const start = process.hrtime.bigint();
  for (const r of records) writer.enqueue(r);
  const ns = Number(process.hrtime.bigint() - start);
  console.log(
    `journal ${journal ? 'on ' : 'off'}: ${(ns / N / 1000).toFixed(2)} µs per enqueue (${N} records)`,
  );
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
