import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, type Database, openDatabase } from '@aigw/db';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { ModelNotFoundError, RateLimitError } from '../src/errors/errors.js';
import { AiModule } from '../src/nest/ai.module.js';
import { AiRuntime } from '../src/nest/ai-runtime.js';
import { AiService } from '../src/nest/ai-service.js';
import { runWithAiContext } from '../src/pipeline/call-context-storage.js';
import { FakeUpstream } from '../src/testing/fake-upstream.js';
import { openAIError, openAIFake } from '../src/testing/openai-fake.js';
import { sineWav } from '../src/testing/wav.js';

describe('AiModule + AiService, recording every call in PostgreSQL', () => {
  const openai = new FakeUpstream(openAIFake());
  const local = new FakeUpstream(openAIFake({ usage: null }));
  let testDb: TestDatabase;
  let db: Database;
  let spoolDir: string;
  let ai: AiService;
  let runtime: AiRuntime;
  let close: () => Promise<void>;

  const rows = async (where: Record<string, unknown> = {}) => {
    await runtime.writer?.flush();
    return db.prisma.aIUsageLog.findMany({ where, orderBy: [{ createdAt: 'asc' }, { attempt: 'asc' }] });
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase({ kind: 'postgres', url: testDb.url, connectionTimeoutMs: 5000, poolSize: 5 });
    await applyMigrations(db);
    spoolDir = await mkdtemp(join(tmpdir(), 'aigw-spool-'));
    const openaiUrl = await openai.listen();
    const localUrl = await local.listen();
    const moduleRef = await Test.createTestingModule({
      imports: [
        AiModule.forRoot({
          env: { OPENAI_API_KEY: 'sk-proj-TESTKEYTESTKEYTESTKEY1234', OPENAI_BASE_URL: `${openaiUrl}/v1` },
          config: {
            providers: { local: { type: 'openai-compatible', preset: 'ollama', baseUrl: `${localUrl}/v1` } },
            models: [
              { provider: 'local', id: 'priced-llama', inputPerMTok: 0.1, outputPerMTok: 0.2 },
              // A speech model priced per character and a whisper priced per minute, from the YAML.
              { provider: 'openai', id: 'my-tts', perMCharacters: 20, capabilities: { speech: true } },
              { provider: 'openai', id: 'whisper-1', perMinute: '0.01' },
            ],
            routes: { fast: { strategy: 'failover', targets: ['openai/gpt-4o-mini'] } },
          },
          prisma: db.prisma,
          spoolDir,
        }),
      ],
    }).compile();
    // No HTTP here: the module's lifecycle hooks run on the testing module itself.
    await moduleRef.init();
    ai = moduleRef.get(AiService);
    runtime = moduleRef.get(AiRuntime);
    close = () => moduleRef.close();
  });

  afterAll(async () => {
    await close?.();
    await openai.close();
    await local.close();
    await db?.close();
    await testDb?.drop();
    await rm(spoolDir, { recursive: true, force: true });
  });

  it('records a chat call with its tokens and the exact cost, field by field', async () => {
    const result = await ai.chat(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
      { userId: 'user-1', characterId: 'char-7', chatId: 'chat-3', metadata: { feature: 'greeting' } },
    );
    // 21 in at $0.15/M + 9 out at $0.60/M = 0.00000315 + 0.0000054
    expect(result.cost).toMatchObject({ usd: '0.000008550000', status: 'priced' });
    const [row] = await rows({ requestId: result.requestId });
    expect(row).toMatchObject({
      requestId: result.requestId,
      attempt: 1,
      userId: 'user-1',
      provider: 'openai',
      model: 'gpt-4o-mini',
      requestedModel: 'gpt-4o-mini',
      requestType: 'chat',
      stream: false,
      promptTokens: 21,
      cacheReadTokens: 0,
      cacheWriteTokens: null,
      completionTokens: 9,
      reasoningTokens: 0,
      totalTokens: 30,
      usageSource: 'reported',
      isSuccess: true,
      errorCode: null,
      httpStatus: 200,
      characterId: 'char-7',
      chatId: 'chat-3',
      metadata: { feature: 'greeting' },
    });
    expect(row?.costUsd?.toFixed(12)).toBe('0.000008550000');
    expect(row?.pricing).toMatchObject({
      inputPerMTok: '0.15',
      outputPerMTok: '0.6',
      cachedInputPerMTok: '0.075',
    });
    expect(row?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('records a finished stream with its reported usage and time to first token', async () => {
    let requestId: string | undefined;
    let finish: unknown;
    for await (const part of ai.stream(
      { model: 'fast', messages: [{ role: 'user', content: 'Hi' }] },
      { userId: 'user-2', requestId: 'req-stream-1' },
    )) {
      if (part.type === 'finish') finish = part;
      requestId = 'req-stream-1';
    }
    expect(finish).toMatchObject({ usage: { source: 'reported' }, cost: { usd: '0.000008550000' } });
    const [row] = await rows({ requestId });
    expect(row).toMatchObject({
      stream: true,
      requestedModel: 'fast',
      model: 'gpt-4o-mini',
      promptTokens: 21,
      completionTokens: 9,
      isSuccess: true,
    });
    expect(row?.timeToFirstTokenMs).not.toBeNull();
  });

  it('records a stream the caller stopped, with tokens so far estimated and marked so', async () => {
    openai.handler = openAIFake({
      text: 'one two three four five six seven eight',
      chunkSize: 4,
      eventDelayMs: 20,
    });
    try {
      for await (const part of ai.stream(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Count' }] },
        { userId: 'user-3', requestId: 'req-cut' },
      )) {
        if (part.type === 'text-delta') break;
      }
    } finally {
      openai.handler = openAIFake();
    }
    const [row] = await rows({ requestId: 'req-cut' });
    expect(row).toMatchObject({
      isSuccess: false,
      errorCode: 'aborted',
      usageSource: 'estimated',
      stream: true,
    });
    expect(row?.promptTokens).toBeGreaterThan(0);
    expect(row?.completionTokens).toBeGreaterThan(0);
    expect(Number(row?.costUsd)).toBeGreaterThan(0);
  });

  it('records a stream the caller stopped at its first part', async () => {
    openai.handler = openAIFake({ text: 'one two three four', chunkSize: 4, eventDelayMs: 20 });
    try {
      for await (const part of ai.stream(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Count' }] },
        { userId: 'user-3', requestId: 'req-cut-first' },
      )) {
        if (part.type === 'start') break;
      }
    } finally {
      openai.handler = openAIFake();
    }
    const [row] = await rows({ requestId: 'req-cut-first' });
    expect(row).toMatchObject({ isSuccess: false, errorCode: 'aborted', stream: true });
  });

  it('records a failed call as a row with the error, unknown tokens and no cost', async () => {
    openai.enqueue(openAIError(429, 'rate_limit_exceeded', 'Slow down', { 'retry-after': '3' }));
    const error = await ai
      .chat(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] },
        { userId: 'user-4', requestId: 'req-fail' },
      )
      .catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    const [row] = await rows({ requestId: 'req-fail' });
    expect(row).toMatchObject({
      isSuccess: false,
      errorCode: 'rate_limited',
      httpStatus: 429,
      promptTokens: null,
      completionTokens: null,
      costUsd: null,
      usageSource: 'unknown',
    });
  });

  it('records an unpriced model as unpriced (null cost), never as free', async () => {
    const result = await ai.chat(
      { model: 'local/some-unlisted-model', messages: [{ role: 'user', content: 'x' }] },
      { userId: 'user-5' },
    );
    expect(result.cost).toMatchObject({ usd: null, status: 'unpriced' });
    const [row] = await rows({ requestId: result.requestId });
    expect(row).toMatchObject({
      provider: 'local',
      model: 'some-unlisted-model',
      costUsd: null,
      pricing: null,
      isSuccess: true,
    });
  });

  it('estimates usage for a server that reports none, and prices it from the config', async () => {
    const result = await ai.chat(
      { model: 'local/priced-llama', messages: [{ role: 'user', content: 'Hello there' }] },
      { userId: 'user-5' },
    );
    expect(result.usage.source).toBe('unknown');
    const [row] = await rows({ requestId: result.requestId });
    expect(row?.usageSource).toBe('unknown');
    expect(row?.costUsd).toBeNull();
    const parts = [];
    for await (const part of ai.stream(
      { model: 'local/priced-llama', messages: [{ role: 'user', content: 'Hello there' }] },
      { userId: 'user-5', requestId: 'req-est' },
    ))
      parts.push(part);
    const [streamRow] = await rows({ requestId: 'req-est' });
    expect(streamRow?.usageSource).toBe('estimated');
    expect(streamRow?.costUsd).not.toBeNull();
    expect(streamRow?.pricing).toMatchObject({ inputPerMTok: '0.1', outputPerMTok: '0.2', source: 'config' });
  });

  it('records embeddings', async () => {
    const result = await ai.embed(
      { model: 'text-embedding-3-small', input: ['aaaa', 'bbbbbbbb'] },
      { userId: 'user-6', requestId: 'req-emb' },
    );
    expect(result.embeddings).toHaveLength(2);
    const [row] = await rows({ requestId: 'req-emb' });
    expect(row).toMatchObject({
      requestType: 'embedding',
      promptTokens: 3,
      completionTokens: 0,
      isSuccess: true,
    });
    expect(row?.costUsd?.toFixed(12)).toBe('0.000000060000');
  });

  it('makes images, transcriptions and speech for app code, each one row priced in its own unit', async () => {
    const images = await ai.generateImage(
      { model: 'dall-e-3', prompt: 'A boat', size: '1792x1024', response_format: 'b64_json' },
      { userId: 'user-media', requestId: 'req-img' },
    );
    expect((images.json as { data: unknown[] }).data).toHaveLength(1);
    expect(images.cost?.usd).toBe('0.080000000000');
    const transcript = await ai.transcribe(
      {
        model: 'whisper-1',
        file: { data: sineWav({ seconds: 3 }), filename: 'a.wav', contentType: 'audio/wav' },
      },
      { userId: 'user-media', requestId: 'req-stt' },
    );
    expect((transcript.json as { text: string }).text).toBeTruthy();
    // The YAML's $0.01 a minute wins over the price data's: 3 s.
    expect(transcript.units).toEqual({ unit: 'second', quantity: 3 });
    expect(transcript.cost?.usd).toBe('0.000500000000');
    const speech = await ai.speech(
      { model: 'my-tts', input: 'Hello there', voice: 'alloy' },
      { userId: 'user-media', requestId: 'req-tts' },
    );
    expect(speech.contentType).toBe('audio/mpeg');
    expect(speech.bytes.length).toBeGreaterThan(0);
    expect(speech.cost?.usd).toBe('0.000220000000');
    const recorded = await rows({ userId: 'user-media' });
    expect(
      recorded.map((r) => [r.requestType, r.unit, r.quantity?.toString(), r.costUsd?.toFixed(12)]),
    ).toEqual([
      ['image', 'image', '1', '0.080000000000'],
      ['transcription', 'second', '3', '0.000500000000'],
      ['speech', 'character', '11', '0.000220000000'],
    ]);
  });

  it('takes the user from the request context (async local storage) and numbers attempts within a request', async () => {
    await runWithAiContext(
      { userId: 'ctx-user', requestId: 'req-ctx', apiKeyId: '01890000-0000-7000-8000-000000000001' },
      async () => {
        await ai.chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a' }] });
        await ai.chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'b' }] });
      },
    );
    const found = await rows({ requestId: 'req-ctx' });
    expect(found.map((r) => [r.userId, r.attempt, r.apiKeyId])).toEqual([
      ['ctx-user', 1, '01890000-0000-7000-8000-000000000001'],
      ['ctx-user', 2, '01890000-0000-7000-8000-000000000001'],
    ]);
  });

  it('rejects an unknown model with a message saying how to find valid names', async () => {
    await expect(
      ai.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toThrow(ModelNotFoundError);
    await expect(
      ai.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toThrow(
      /Aliases: fast\. Use a model id from GET \/v1\/models, or "provider\/model" with a configured provider \(openai, local\)/,
    );
  });

  it('keeps 200 concurrent calls for different users and models apart: each row has its own user, model and tokens', async () => {
    openai.handler = (req) => {
      const body = req.body as { messages: { content: string }[] };
      const n = Number(body.messages[0]?.content);
      return openAIFake({ usage: { prompt_tokens: n, completion_tokens: n * 2, total_tokens: n * 3 } })(req);
    };
    try {
      const models = ['gpt-4o-mini', 'gpt-4o', 'openai/gpt-4.1-mini', 'fast'];
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          i % 2
            ? ai.chat(
                { model: models[i % 4] as string, messages: [{ role: 'user', content: String(i + 1) }] },
                { userId: `cu-${i}`, requestId: `conc-${i}` },
              )
            : (async () => {
                for await (const _ of ai.stream(
                  { model: models[i % 4] as string, messages: [{ role: 'user', content: String(i + 1) }] },
                  { userId: `cu-${i}`, requestId: `conc-${i}` },
                )) {
                  // drain
                }
              })(),
        ),
      );
    } finally {
      openai.handler = openAIFake();
    }
    const found = await rows({ requestId: { startsWith: 'conc-' } });
    expect(found).toHaveLength(200);
    for (const row of found) {
      const i = Number(row.requestId.slice(5));
      expect(row.userId).toBe(`cu-${i}`);
      expect(row.requestedModel).toBe(['gpt-4o-mini', 'gpt-4o', 'openai/gpt-4.1-mini', 'fast'][i % 4]);
      expect(row.promptTokens).toBe(i + 1);
      expect(row.completionTokens).toBe((i + 1) * 2);
    }
  });
});
