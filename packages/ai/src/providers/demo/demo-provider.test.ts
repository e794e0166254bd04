import { describe, expect, it } from '@jest/globals';
import { countTokens } from 'gpt-tokenizer';
import {
  AbortedError,
  BadRequestError,
  ModelNotFoundError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from '../../errors/index.js';
import type { ChatRequest, ChatStreamPart } from '../../types/index.js';
import { estimatePromptTokens } from '../../usage/estimate-tokens.js';
import { demoEmbedding } from './demo-embedding.js';
import { DemoProvider } from './demo-provider.js';

const instant = new DemoProvider({ firstTokenDelayMs: 0, deltaDelayMs: 0 });
const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'demo-chat',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content },
  ],
  ...extra,
});

async function collect(parts: AsyncIterable<ChatStreamPart>): Promise<ChatStreamPart[]> {
  const all: ChatStreamPart[] = [];
  for await (const part of parts) all.push(part);
  return all;
}

const cosine = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + v * (b[i] ?? 0), 0);

describe('DemoProvider', () => {
  it('answers deterministically from the prompt, and says it is a demo', async () => {
    const a = await instant.chat(ask('What does a gateway do?'));
    const again = await instant.chat(ask('What does a gateway do?'));
    const other = await instant.chat(ask('Something else entirely'));
    expect(a.text).toBe(again.text);
    expect(a.id).toBe(again.id);
    expect(a.text).not.toBe(other.text);
    expect(a.text).toMatch(/^Demo reply from the aigw demo provider/);
    expect(a.text).toContain('"What does a gateway do?"');
    expect(a).toMatchObject({ provider: 'demo', model: 'demo-chat', finishReason: { unified: 'stop' } });
  });

  it('reports usage counted with the tokenizer, as its own (reported) numbers', async () => {
    const request = ask('Count my tokens, please.');
    const result = await instant.chat(request);
    const input = estimatePromptTokens(request.messages);
    const output = countTokens(result.text);
    expect(result.usage).toEqual({
      inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 },
      outputTokens: { total: output, text: output, reasoning: 0 },
      source: 'reported',
    });
  });

  it('streams the same answer in several deltas between start and finish', async () => {
    const request = ask('Stream this one.');
    const parts = await collect(instant.chatStream(request));
    const plain = await instant.chat(request);
    expect(parts[0]).toEqual({ type: 'start', id: plain.id, model: 'demo-chat' });
    const deltas = parts.filter((p) => p.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.map((d) => d.delta).join('')).toBe(plain.text);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: plain.finishReason, usage: plain.usage });
  });

  it('paces a stream: the first token comes after firstTokenDelayMs', async () => {
    const paced = new DemoProvider({ firstTokenDelayMs: 60, deltaDelayMs: 1 });
    const started = performance.now();
    const iterator = paced.chatStream(ask('hello'))[Symbol.asyncIterator]();
    await iterator.next();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    await iterator.return?.();
  });

  it('stops at max tokens with finish reason length', async () => {
    const result = await instant.chat(ask('A long question that gets a long answer', { maxTokens: 5 }));
    expect(countTokens(result.text)).toBeLessThanOrEqual(5);
    expect(result.usage.outputTokens.total).toBe(countTokens(result.text));
    expect(result.finishReason.unified).toBe('length');
  });

  it('calls a tool when the request demands one, and answers JSON when asked', async () => {
    const tools = [{ name: 'lookup', parameters: { type: 'object' } }];
    const called = await instant.chat(ask('Use the tool', { tools, toolChoice: 'required' }));
    expect(called.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_demo_/), name: 'lookup', arguments: '{}' },
    ]);
    expect(called.finishReason.unified).toBe('tool-calls');
    const plain = await instant.chat(ask('No tool now', { tools, toolChoice: 'auto' }));
    expect(plain.toolCalls).toEqual([]);
    const json = await instant.chat(ask('As JSON', { responseFormat: { type: 'json' } }));
    expect(JSON.parse(json.text)).toEqual({ demo: true, echo: 'As JSON', words: 2 });
  });

  it('fails like an upstream when the prompt asks for it with [demo-error]', async () => {
    await expect(instant.chat(ask('please [demo-error]'))).rejects.toMatchObject({
      constructor: UpstreamError,
      details: { status: 503, provider: 'demo' },
    });
    await expect(instant.chat(ask('[demo-error:429]'))).rejects.toBeInstanceOf(RateLimitError);
    await expect(collect(instant.chatStream(ask('[demo-error:502]')))).rejects.toBeInstanceOf(UpstreamError);
  });

  it('knows only its own models', async () => {
    await expect(instant.chat(ask('hi', { model: 'gpt-4o' }))).rejects.toBeInstanceOf(ModelNotFoundError);
    await expect(instant.chat(ask('hi', { model: 'demo-embed' }))).rejects.toBeInstanceOf(BadRequestError);
    await expect(instant.embed({ model: 'demo-chat', input: ['x'] })).rejects.toBeInstanceOf(BadRequestError);
    expect(instant.listModels().map((m) => m.id)).toEqual(['demo-chat', 'demo-embed']);
    expect(instant.listModels()[0]?.pricing).toMatchObject({ inputPerMTok: '0.5', outputPerMTok: '1.5' });
  });

  it('embeds deterministically: unit vectors, the asked dimensions, similar texts closer', async () => {
    const input = ['the cat sat on the mat', 'the cat sat on a mat', 'quarterly revenue report'];
    const result = await instant.embed({ model: 'demo-embed', input });
    const [a, b, c] = result.embeddings as [number[], number[], number[]];
    expect(a).toHaveLength(256);
    expect(Math.abs(cosine(a, a) - 1)).toBeLessThan(1e-4);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
    expect(result.embeddings[0]).toEqual(demoEmbedding('the cat sat on the mat'));
    const tokens = input.reduce((sum, text) => sum + countTokens(text), 0);
    expect(result.usage).toMatchObject({
      inputTokens: { total: tokens },
      outputTokens: { total: 0 },
      source: 'reported',
    });
    const short = await instant.embed({ model: 'demo-embed', input: [''], dimensions: 8 });
    expect(short.embeddings[0]).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('honours cancellation and timeouts', async () => {
    const slow = new DemoProvider({ firstTokenDelayMs: 5_000 });
    const controller = new AbortController();
    const pending = slow.chat(ask('hi', { signal: controller.signal }));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    await expect(slow.chat(ask('hi', { timeoutMs: 30 }))).rejects.toBeInstanceOf(TimeoutError);
  });

  it('is always healthy', async () => {
    expect(await instant.healthCheck()).toEqual({ ok: true, latencyMs: 0 });
  });
});
