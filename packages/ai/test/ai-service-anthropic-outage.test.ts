import 'reflect-metadata';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, type Database, openDatabase } from '@aigw/db';
import { createTestDatabase, setDatabaseReachable, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { AiModule } from '../src/nest/ai.module.js';
import { AiRuntime } from '../src/nest/ai-runtime.js';
import { AiService } from '../src/nest/ai-service.js';
import { anthropicFake } from '../src/testing/anthropic-fake.js';
import { FakeUpstream } from '../src/testing/fake-upstream.js';
import type { ChatStreamPart } from '../src/types/chat-stream-part.js';

describe('AiService with Anthropic, and a database outage while calls go on', () => {
  const anthropic = new FakeUpstream(anthropicFake());
  let testDb: TestDatabase;
  let db: Database;
  let spoolDir: string;
  let moduleRef: TestingModule;
  let ai: AiService;
  let runtime: AiRuntime;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase({ kind: 'postgres', url: testDb.url, connectionTimeoutMs: 1000, poolSize: 5 });
    await applyMigrations(db);
    spoolDir = await mkdtemp(join(tmpdir(), 'aigw-spool-'));
    const url = await anthropic.listen();
    // forRootAsync, as an app wires it to its own database.
    moduleRef = await Test.createTestingModule({
      imports: [
        AiModule.forRootAsync({
          useFactory: async () => ({
            env: { ANTHROPIC_API_KEY: 'sk-ant-api03-TESTTESTTESTTEST1234', ANTHROPIC_BASE_URL: url },
            prisma: db.prisma,
            spoolDir,
          }),
        }),
      ],
    }).compile();
    await moduleRef.init();
    ai = moduleRef.get(AiService);
    runtime = moduleRef.get(AiRuntime);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await anthropic.close();
    await db?.close();
    await testDb?.drop();
    await rm(spoolDir, { recursive: true, force: true });
  });

  it('charges cache reads and writes at their own prices, once, and records the split', async () => {
    const result = await ai.chat(
      {
        model: 'anthropic/claude-sonnet-4-5',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
      },
      { userId: 'u-cache' },
    );
    // 25 uncached*$3 + 3000 read*$0.30 + 1200 written*$3.75 + 12 out*$15, per 1M.
    expect(result.cost?.usd).toBe('0.005655000000');
    await runtime.writer?.flush();
    const row = await db.prisma.aIUsageLog.findFirstOrThrow({ where: { requestId: result.requestId } });
    expect(row).toMatchObject({
      provider: 'anthropic',
      promptTokens: 4225,
      cacheReadTokens: 3000,
      cacheWriteTokens: 1200,
      completionTokens: 12,
      totalTokens: 4237,
    });
    expect(row.costUsd?.toFixed(12)).toBe('0.005655000000');
    expect(anthropic.lastBody.system).toBeDefined();
  });

  it('streams a tool call through AiService and records it', async () => {
    anthropic.handler = anthropicFake({
      toolCalls: [{ id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }],
    });
    const parts: ChatStreamPart[] = [];
    try {
      for await (const part of ai.stream(
        {
          model: 'claude-sonnet-4-5',
          messages: [{ role: 'user', content: 'Weather in Paris?' }],
          tools: [
            { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
          ],
        },
        { userId: 'u-tools', requestId: 'req-anthropic-tools' },
      )) {
        parts.push(part);
      }
    } finally {
      anthropic.handler = anthropicFake();
    }
    expect(parts.find((p) => p.type === 'tool-call-start')).toMatchObject({
      id: 'toolu_01',
      name: 'get_weather',
    });
    const args = parts
      .filter((p) => p.type === 'tool-call-delta')
      .map((p) => (p as { argumentsDelta: string }).argumentsDelta);
    expect(JSON.parse(args.join(''))).toEqual({ city: 'Paris' });
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'tool-calls' },
      cost: { status: 'priced' },
    });
    await runtime.writer?.flush();
    const row = await db.prisma.aIUsageLog.findFirstOrThrow({ where: { requestId: 'req-anthropic-tools' } });
    expect(row).toMatchObject({
      stream: true,
      isSuccess: true,
      usageSource: 'reported',
      cacheReadTokens: 3000,
    });
  });

  it('loses no row and doubles none when the database goes away mid-traffic', async () => {
    const call = (i: number) =>
      ai.chat(
        { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: `n${i}` }] },
        { userId: `outage-${i % 5}`, requestId: `outage-${i}` },
      );
    await Promise.all(Array.from({ length: 20 }, (_, i) => call(i)));
    await setDatabaseReachable(testDb.name, false);
    try {
      await Promise.all(Array.from({ length: 30 }, (_, i) => call(20 + i)));
      await new Promise((r) => setTimeout(r, 500));
      // Rows written during the outage waited on disk.
      expect((await readdir(spoolDir)).some((f) => f.endsWith('.jsonl'))).toBe(true);
    } finally {
      await setDatabaseReachable(testDb.name, true);
    }
    await Promise.all(Array.from({ length: 10 }, (_, i) => call(50 + i)));
    await runtime.writer?.flush();
    const counts = await db.prisma.aIUsageLog.groupBy({
      by: ['requestId'],
      where: { requestId: { startsWith: 'outage-' } },
      _count: true,
    });
    expect(counts).toHaveLength(60);
    expect(counts.every((c) => c._count === 1)).toBe(true);
  });
});
