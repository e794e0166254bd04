import { describe, expect, it } from '@jest/globals';
import type { ChatRequest } from '../../types/chat-request.js';
import type { ModelInfo } from '../../types/model-info.js';
import { OPENAI_COMPATIBLE_PRESETS } from '../openai-compatible/presets.js';
import { buildOpenAIChatRequest, type OpenAIChatTarget } from './build-openai-chat-request.js';
import { CACHE_CONTROL_WARNING } from './convert-to-openai-chat-messages.js';

const model = (id: string, reasoning: boolean): ModelInfo => ({
  provider: 'openai',
  id,
  capabilities: {
    chat: true,
    streaming: true,
    tools: true,
    vision: true,
    jsonOutput: true,
    embeddings: false,
    reasoning,
  },
});

const OPENAI: OpenAIChatTarget = {
  provider: 'openai',
  dialect: {
    type: 'openai',
    maxTokensField: 'max_completion_tokens',
    embeddings: true,
    developerRole: true,
    cacheControl: false,
    topK: false,
    media: [],
  },
  models: () => [model('o4-mini', true), model('gpt-4o-mini', false)],
};
const OPENROUTER: OpenAIChatTarget = {
  provider: 'openrouter',
  dialect: { type: 'openai-compatible', ...OPENAI_COMPATIBLE_PRESETS.openrouter.dialect },
  models: () => [],
};

const base: ChatRequest = { model: 'o4-mini', messages: [{ role: 'user', content: 'Hi' }] };
const tools = [{ name: 'f', parameters: { type: 'object' } }];

describe('buildOpenAIChatRequest', () => {
  it('sends nothing unset', () => {
    expect(buildOpenAIChatRequest(base, OPENAI)).toEqual({
      body: { model: 'o4-mini', messages: [{ role: 'user', content: 'Hi' }] },
      warnings: [],
    });
  });

  it('sends n, metadata.userId as user, and parallelToolCalls with tools only', () => {
    const { body, warnings } = buildOpenAIChatRequest(
      { ...base, n: 3, metadata: { userId: 'end-user-7' }, tools, parallelToolCalls: false },
      OPENAI,
    );
    expect(body).toMatchObject({ n: 3, user: 'end-user-7', parallel_tool_calls: false });
    expect(warnings).toEqual([]);
    expect(buildOpenAIChatRequest({ ...base, parallelToolCalls: false }, OPENAI).body).not.toHaveProperty(
      'parallel_tool_calls',
    );
  });

  it('sends reasoning effort to a reasoning model, a budget as the nearest effort', () => {
    expect(buildOpenAIChatRequest({ ...base, reasoning: { effort: 'high' } }, OPENAI).body).toMatchObject({
      reasoning_effort: 'high',
    });
    for (const [budgetTokens, effort] of [
      [1024, 'low'],
      [2047, 'low'],
      [2048, 'medium'],
      [8191, 'medium'],
      [8192, 'high'],
      [32000, 'high'],
    ] as const) {
      const { body, warnings } = buildOpenAIChatRequest({ ...base, reasoning: { budgetTokens } }, OPENAI);
      expect(body).toMatchObject({ reasoning_effort: effort });
      expect(warnings).toEqual([]);
    }
    expect(
      buildOpenAIChatRequest({ ...base, reasoning: { effort: 'low', budgetTokens: 9000 } }, OPENAI),
    ).toMatchObject({
      body: { reasoning_effort: 'low' },
      warnings: ['the thinking budget (9000 tokens) was not sent: reasoning_effort low was given'],
    });
  });

  it('sends no reasoning to a model the catalog does not list as reasoning, and says so', () => {
    for (const id of ['gpt-4o-mini', 'some-unknown-model']) {
      const { body, warnings } = buildOpenAIChatRequest(
        { ...base, model: id, reasoning: { budgetTokens: 4000 } },
        OPENAI,
      );
      expect(body).not.toHaveProperty('reasoning_effort');
      expect(warnings).toEqual([
        `reasoning was not sent: the catalog does not list ${id} as a reasoning model`,
      ]);
    }
  });

  it('warns about topK for OpenAI, and sends top_k to a server that has it', () => {
    expect(buildOpenAIChatRequest({ ...base, topK: 40 }, OPENAI)).toEqual({
      body: { model: 'o4-mini', messages: [{ role: 'user', content: 'Hi' }] },
      warnings: ['topK was not sent: OpenAI has no top_k'],
    });
    expect(buildOpenAIChatRequest({ ...base, topK: 40 }, OPENROUTER).body).toMatchObject({ top_k: 40 });
  });

  it('warns once about cache breakpoints on messages and tools', () => {
    const mark = { type: 'ephemeral' as const };
    const { body, warnings } = buildOpenAIChatRequest(
      {
        ...base,
        messages: [{ role: 'system', content: [{ type: 'text', text: 'Rules.', cacheControl: mark }] }],
        tools: [{ name: 'f', parameters: { type: 'object' }, cacheControl: mark }],
      },
      OPENAI,
    );
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'f', parameters: { type: 'object' } } },
    ]);
    expect(warnings).toEqual([CACHE_CONTROL_WARNING]);
    expect(
      buildOpenAIChatRequest(
        { ...base, tools: [{ name: 'f', parameters: { type: 'object' }, cacheControl: mark }] },
        OPENROUTER,
      ).warnings,
    ).toEqual(['cache_control on tools was not sent: this server takes breakpoints on text parts only']);
  });

  it('merges providerOptions last: openai, then the provider type, then its name', () => {
    const providerOptions = {
      openai: { seed: 1, logprobs: true },
      'openai-compatible': { seed: 2, provider: { sort: 'price' } },
      openrouter: { seed: 3 },
      anthropic: { service_tier: 'auto' },
    };
    expect(buildOpenAIChatRequest({ ...base, temperature: 0.5, providerOptions }, OPENAI).body).toEqual({
      model: 'o4-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.5,
      seed: 1,
      logprobs: true,
    });
    expect(buildOpenAIChatRequest({ ...base, providerOptions }, OPENROUTER).body).toMatchObject({
      seed: 3,
      logprobs: true,
      provider: { sort: 'price' },
    });
  });
});
