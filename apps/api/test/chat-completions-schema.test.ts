import { describe, expect, it } from '@jest/globals';
import { chatCompletionRequestSchema } from '../src/gateway/openai/chat-completions.schemas.js';
import { openAISpecErrors } from './support/openai-spec/openai-spec.js';

const user = { role: 'user', content: 'Hi' };
const valid = (extra: Record<string, unknown>) => ({ model: 'gpt-4o-mini', messages: [user], ...extra });

/**
 * Requests the official spec (`CreateChatCompletionRequest`) allows, one feature each:
 * the schema that checks a request before translating it must let every one through
 * (whether the target can then carry it is the converter's judgement, with a 400 naming the field).
 */
const SPEC_VALID: [string, Record<string, unknown>][] = [
  ['the smallest request', valid({})],
  [
    'every role, with content parts',
    valid({
      messages: [
        { role: 'developer', content: [{ type: 'text', text: 'Be brief.' }], name: 'ops' },
        { role: 'system', content: [{ type: 'text', text: 'Rules.' }] },
        {
          role: 'user',
          name: 'alice',
          content: [
            { type: 'text', text: 'Look', prompt_cache_breakpoint: { mode: 'explicit' } },
            { type: 'image_url', image_url: { url: 'https://x.test/a.png', detail: 'low' } },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
            { type: 'file', file: { file_id: 'file-1' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'No.' },
            { type: 'refusal', refusal: 'Cannot.' },
          ],
          refusal: null,
          audio: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } },
            { id: 'c2', type: 'custom', custom: { name: 'g', input: 'x' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: 'ok' }] },
        { role: 'function', name: 'f', content: null },
      ],
    }),
  ],
  ['an assistant message with no content', valid({ messages: [user, { role: 'assistant' }] })],
  [
    'an assistant function_call (deprecated)',
    valid({ messages: [{ role: 'assistant', function_call: { name: 'f', arguments: '{}' } }] }),
  ],
  [
    'function and custom tools, and every tool choice',
    valid({
      tools: [
        { type: 'function', function: { name: 'f', parameters: { type: 'object' }, strict: true } },
        { type: 'custom', custom: { name: 'g', format: { type: 'text' } } },
      ],
      tool_choice: {
        type: 'allowed_tools',
        allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'f' } }] },
      },
      parallel_tool_calls: false,
    }),
  ],
  ['tool_choice naming a custom tool', valid({ tool_choice: { type: 'custom', custom: { name: 'g' } } })],
  [
    'functions and function_call (deprecated)',
    valid({ functions: [{ name: 'f' }], function_call: { name: 'f' } }),
  ],
  ['n up to 128', valid({ n: 128 })],
  ['n null', valid({ n: null })],
  ['every reasoning effort', valid({ reasoning_effort: 'xhigh' })],
  ['reasoning_effort none', valid({ reasoning_effort: 'none' })],
  ['max_tokens 0 (the spec sets no minimum)', valid({ max_tokens: 0, max_completion_tokens: null })],
  ['stop as a string', valid({ stop: 'END' })],
  [
    'stream options with obfuscation off',
    valid({ stream: true, stream_options: { include_usage: true, include_obfuscation: false } }),
  ],
  ['user and safety_identifier', valid({ user: 'u-1', safety_identifier: 'hashed' })],
  [
    'the settings only OpenAI reads',
    valid({
      logprobs: true,
      top_logprobs: 5,
      seed: 7,
      logit_bias: { '50256': -100 },
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      metadata: { run: 'a' },
      store: true,
      service_tier: 'flex',
      verbosity: 'low',
      modalities: ['text', 'audio'],
      audio: { voice: 'alloy', format: 'mp3' },
      prediction: { type: 'content', content: 'x' },
      web_search_options: { search_context_size: 'low' },
      prompt_cache_key: 'k',
      prompt_cache_options: { ttl: '30m', mode: 'explicit' },
    }),
  ],
  [
    'json_schema output with description and strict',
    valid({
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'r', description: 'd', schema: { type: 'object' }, strict: null },
      },
    }),
  ],
];

describe('the Chat Completions request schema against the official spec', () => {
  it.each(SPEC_VALID)('accepts %s, as the spec does', (_label, body) => {
    expect(openAISpecErrors('CreateChatCompletionRequest', body)).toEqual([]);
    const parsed = chatCompletionRequestSchema.safeParse(body);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it.each([
    ['n = 0', valid({ n: 0 })],
    ['a role that does not exist', valid({ messages: [{ role: 'robot', content: 'x' }] })],
    ['an empty content array', valid({ messages: [{ role: 'user', content: [] }] })],
    ['an unknown reasoning effort', valid({ reasoning_effort: 'extreme' })],
  ])('rejects %s, as the spec does', (_label, body) => {
    expect(openAISpecErrors('CreateChatCompletionRequest', body)).not.toEqual([]);
    expect(chatCompletionRequestSchema.safeParse(body).success).toBe(false);
  });
});
