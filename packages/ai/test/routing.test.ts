import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { BadRequestError, TimeoutError, UpstreamError } from '../src/errors/errors.js';
import { AiModule } from '../src/nest/ai.module.js';
import { AiRuntime } from '../src/nest/ai-runtime.js';
import { AiService } from '../src/nest/ai-service.js';
import { nextAttempt } from '../src/pipeline/call-context-storage.js';
import { FakeUpstream } from '../src/testing/fake-upstream.js';
import { openAIError, openAIFake } from '../src/testing/openai-fake.js';
import type { ChatStreamPart } from '../src/types/chat-stream-part.js';
import type { UsageRecord } from '../src/usage/usage-record.js';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('routes: failover, load balancing, retries, timeouts and circuit breakers', () => {
  const fakes = {
    a: new FakeUpstream(openAIFake({ text: 'from a' })),
    b: new FakeUpstream(openAIFake({ text: 'from b' })),
    c: new FakeUpstream(openAIFake({ text: 'from c' })),
    d: new FakeUpstream(openAIFake({ text: 'from d' })),
    e: new FakeUpstream(openAIFake({ text: 'from e' })),
  };
  const rows: UsageRecord[] = [];
  let moduleRef: TestingModule;
  let ai: AiService;
  let runtime: AiRuntime;

  beforeAll(async () => {
    const urls = Object.fromEntries(
      await Promise.all(Object.entries(fakes).map(async ([k, f]) => [k, `${await f.listen()}/v1`])),
    );
    const provider = (name: string) => ({
      type: 'openai-compatible' as const,
      baseUrl: urls[name] as string,
      apiKey: `key-${name}`,
    });
    moduleRef = await Test.createTestingModule({
      imports: [
        AiModule.forRoot({
          env: {},
          usageSink: { enqueue: (r) => rows.push(r) },
          config: {
            providers: {
              a: provider('a'),
              b: provider('b'),
              c: provider('c'),
              d: provider('d'),
              e: provider('e'),
            },
            models: [],
            routes: {
              // Each attempt's time is long enough that only a deliberately slow target (10 s) runs out of it.
              smart: { strategy: 'failover', timeoutMs: 2000, targets: ['a/m1', 'b/m1', 'c/m1'] },
              patient: { strategy: 'failover', retries: 2, targets: ['a/m1', 'c/m1'] },
              balanced: {
                strategy: 'loadbalance',
                targets: [
                  { target: 'a/m1', weight: 3 },
                  { target: 'b/m1', weight: 1 },
                ],
              },
              strict: {
                strategy: 'failover',
                timeoutMs: 250,
                requestTimeoutMs: 400,
                targets: ['a/m1', 'b/m1', 'c/m1'],
              },
              primary: { strategy: 'failover', targets: ['b/m1'], fallbacks: ['backup'] },
              backup: { strategy: 'failover', targets: ['c/m1'] },
              // The breaker test's own provider, so other tests' failures do not count.
              guarded: { strategy: 'failover', targets: ['d/m1'], fallbacks: ['backup'] },
              // Its own first target too: its failure must not count in other tests' breakers.
              long: { strategy: 'failover', targets: ['e/m1', 'c/m1'] },
            },
            breaker: { consecutiveFailures: 4, halfOpenAfterMs: 400 },
            retry: { baseDelayMs: 10, maxDelayMs: 1000 },
          },
        }),
      ],
    }).compile();
    await moduleRef.init();
    ai = moduleRef.get(AiService);
    runtime = moduleRef.get(AiRuntime);
  });
  afterAll(async () => {
    await moduleRef?.close();
    await Promise.all(Object.values(fakes).map((f) => f.close()));
  });
  beforeEach(() => {
    for (const [name, fake] of Object.entries(fakes)) {
      fake.handler = openAIFake({ text: `from ${name}` });
      fake.queue.length = 0;
      fake.requests.length = 0;
    }
  });

  const rowsOf = (requestId: string | undefined) =>
    rows.filter((r) => r.requestId === requestId).sort((x, y) => x.attempt - y.attempt);

  it('gets the answer from the third target when the first rate-limits and the second times out, recording all three attempts', async () => {
    fakes.a.handler = () =>
      openAIError(429, 'rate_limit_exceeded', 'Rate limit reached', { 'retry-after': '20' });
    fakes.b.handler = async (req) =>
      ({ ...(await openAIFake({ text: 'too late' })(req)), delayMs: 10_000 }) as never;
    const result = await ai.chat({ model: 'smart', ...ask }, { userId: 'u1' });
    expect(result.text).toBe('from c');
    expect(result.provider).toBe('c');
    expect(rowsOf(result.requestId).map((r) => [r.attempt, r.provider, r.isSuccess, r.errorCode])).toEqual([
      [1, 'a', false, 'rate_limited'],
      [2, 'b', false, 'timeout'],
      [3, 'c', true, null],
    ]);
    expect(rowsOf(result.requestId).every((r) => r.requestedModel === 'smart')).toBe(true);
  });

  it('numbers a fail-over attempt on even when 10,000 other requests started during the first', async () => {
    // Without a request context, attempt counters are kept for the 10,000 latest request ids.
    fakes.e.handler = () => {
      for (let i = 0; i < 10_001; i++) nextAttempt(`another-request-${i}`);
      return openAIError(503, 'server_error', 'busy');
    };
    const result = await ai.chat({ model: 'long', ...ask }, { userId: 'u1', requestId: 'req-long-first' });
    expect(result.provider).toBe('c');
    expect(rowsOf('req-long-first').map((r) => [r.attempt, r.provider])).toEqual([
      [1, 'e'],
      [2, 'c'],
    ]);
  });

  it('retries one target with the delay its retry-after asked for before moving on', async () => {
    fakes.a.enqueue(
      openAIError(429, 'rate_limit_exceeded', 'wait', { 'retry-after-ms': '300' }),
      openAIError(503, 'server_error', 'busy', { 'retry-after-ms': '200' }),
    );
    const result = await ai.chat({ model: 'patient', ...ask }, { userId: 'u2' });
    expect(result.text).toBe('from a');
    const attempts = rowsOf(result.requestId);
    expect(attempts.map((r) => [r.provider, r.errorCode])).toEqual([
      ['a', 'rate_limited'],
      ['a', 'upstream_error'],
      ['a', null],
    ]);
    const started = attempts.map((r) => Date.parse(r.createdAt));
    expect((started[1] as number) - (started[0] as number)).toBeGreaterThanOrEqual(300);
    expect((started[2] as number) - (started[1] as number)).toBeGreaterThanOrEqual(200);
  });

  it('never fails over on a request that retrying cannot fix (400)', async () => {
    fakes.a.enqueue(openAIError(400, 'invalid_request_error', 'messages[0] is malformed'));
    const error = await ai
      .chat({ model: 'smart', ...ask }, { userId: 'u3', requestId: 'req-400' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(rowsOf('req-400')).toHaveLength(1);
    expect(fakes.b.requests).toHaveLength(0);
  });

  it('fails a stream over before its first byte, never after', async () => {
    fakes.a.enqueue(openAIError(500, 'server_error', 'down'));
    const parts = [];
    for await (const part of ai.stream(
      { model: 'smart', ...ask },
      { userId: 'u4', requestId: 'req-stream-fo' },
    ))
      parts.push(part);
    expect(parts[0]).toMatchObject({ type: 'start', provider: 'b' });
    expect(rowsOf('req-stream-fo').map((r) => [r.provider, r.isSuccess])).toEqual([
      ['a', false],
      ['b', true],
    ]);

    fakes.b.requests.length = 0;
    fakes.a.handler = async (req) =>
      ({
        ...(await openAIFake({ text: 'cut short here', chunkSize: 2, eventDelayMs: 20 })(req)),
        dropAfter: 3,
      }) as never;
    const seen: ChatStreamPart[] = [];
    const error = await (async () => {
      for await (const part of ai.stream(
        { model: 'smart', ...ask },
        { userId: 'u4', requestId: 'req-stream-cut' },
      ))
        seen.push(part);
    })().catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(seen[0]).toMatchObject({ type: 'start', provider: 'a' });
    expect(fakes.b.requests).toHaveLength(0);
    expect(rowsOf('req-stream-cut')).toHaveLength(1);
  });

  it('balances by weight (3:1) within statistical bounds', async () => {
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 400; i++) {
      const result = await ai.chat({ model: 'balanced', ...ask }, { userId: 'u5' });
      counts[result.provider as 'a' | 'b']++;
    }
    // Binomial(400, 0.75): mean 300, sd 8.7; ±45 is beyond 5 sd.
    expect(counts.a).toBeGreaterThan(255);
    expect(counts.a).toBeLessThan(345);
    expect(counts.a + counts.b).toBe(400);
  });

  it('gives up when the request timeout runs out, whatever attempts remain', async () => {
    for (const fake of [fakes.a, fakes.b, fakes.c])
      fake.handler = async (req) => ({ ...(await openAIFake()(req)), delayMs: 1000 }) as never;
    const error = await ai
      .chat({ model: 'strict', ...ask }, { userId: 'u6', requestId: 'req-deadline' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(rowsOf('req-deadline').length).toBeLessThanOrEqual(2);
    expect(fakes.c.requests).toHaveLength(0);
  });

  it('uses a route fallback when every target of the route fails', async () => {
    fakes.b.handler = () => openAIError(500, 'server_error', 'down');
    const result = await ai.chat({ model: 'primary', ...ask }, { userId: 'u7' });
    expect(result.provider).toBe('c');
  });

  it('opens a breaker after repeated failures, skips the target while open, probes it half-open and closes', async () => {
    fakes.d.handler = () => openAIError(500, 'server_error', 'down');
    // 'guarded' (d, then backup c): four failures of d in a row open its breaker.
    for (let i = 0; i < 4; i++)
      expect((await ai.chat({ model: 'guarded', ...ask }, { userId: 'u8' })).provider).toBe('c');
    expect(runtime.breakers.states().d).toBe('open');
    const before = fakes.d.requests.length;
    const skipped = await ai.chat({ model: 'guarded', ...ask }, { userId: 'u8' });
    expect(skipped.provider).toBe('c');
    expect(fakes.d.requests.length).toBe(before);
    // Alone, an open target answers at once with a clear 503-style error.
    const alone = await ai.chat({ model: 'd/m1', ...ask }, { userId: 'u8' }).catch((e) => e);
    expect(alone).toBeInstanceOf(UpstreamError);
    expect(alone.status).toBe(503);
    expect(alone.message).toMatch(/circuit open/);

    await new Promise((r) => setTimeout(r, 450));
    fakes.d.handler = openAIFake({ text: 'from d' });
    const probe = await ai.chat({ model: 'guarded', ...ask }, { userId: 'u8' });
    expect(probe.provider).toBe('d');
    expect(runtime.breakers.states().d).toBe('closed');
  });
});
