import { describe, expect, it } from '@jest/globals';
import { chatCompletionRequestSchema } from './chat-completions.schemas.js';
import { convertOpenAIRequest } from './convert-openai-request.js';

const convert = (body: Record<string, unknown>) =>
  convertOpenAIRequest(
    chatCompletionRequestSchema.parse({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], ...body }),
  );

describe('convertOpenAIRequest', () => {
  it('keeps developer messages as developer, system parts, and collapses unmarked parts to a string', () => {
    const { request, warnings } = convert({
      messages: [
        { role: 'developer', content: 'Answer in French.' },
        {
          role: 'system',
          content: [
            { type: 'text', text: 'A. ' },
            { type: 'text', text: 'B.' },
          ],
        },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'developer', content: 'Answer in French.' },
      { role: 'system', content: 'A. B.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('reads image detail, and cache breakpoints (OpenRouter cache_control, OpenAI prompt_cache_breakpoint)', () => {
    const { request } = convert({
      messages: [
        {
          role: 'system',
          content: [{ type: 'text', text: 'Rules.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look:', prompt_cache_breakpoint: { mode: 'explicit' } },
            { type: 'image_url', image_url: { url: 'https://x.test/a.png', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'high' } },
          ],
        },
        {
          role: 'tool',
          tool_call_id: 't1',
          content: [{ type: 'text', text: 'ok', cache_control: { type: 'ephemeral' } }],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'system',
        content: [{ type: 'text', text: 'Rules.', cacheControl: { type: 'ephemeral', ttl: '1h' } }],
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:', cacheControl: { type: 'ephemeral' } },
          { type: 'image', url: 'https://x.test/a.png', detail: 'low' },
          { type: 'image', data: 'AAAA', mediaType: 'image/png', detail: 'high' },
        ],
      },
      { role: 'tool', toolCallId: 't1', content: 'ok', cacheControl: { type: 'ephemeral' } },
    ]);
  });

  it('maps n, reasoning_effort, parallel_tool_calls and the end user', () => {
    const { request, warnings } = convert({
      n: 3,
      reasoning_effort: 'high',
      parallel_tool_calls: false,
      user: 'end-user-7',
      tools: [{ type: 'function', function: { name: 'f' } }],
    });
    expect(request).toMatchObject({
      n: 3,
      reasoning: { effort: 'high' },
      parallelToolCalls: false,
      metadata: { userId: 'end-user-7' },
      tools: [{ name: 'f', parameters: { type: 'object', properties: {} } }],
    });
    expect(request.providerOptions).toBeUndefined();
    expect(warnings).toEqual([]);
    // safety_identifier replaces user: it names the end user, and user goes on as it is.
    const both = convert({ user: 'legacy', safety_identifier: 'hashed-7' }).request;
    expect(both.metadata).toEqual({ userId: 'hashed-7' });
    expect(both.providerOptions).toEqual({ openai: { user: 'legacy' } });
  });

  it('puts every field it does not map under providerOptions.openai', () => {
    const { request } = convert({
      seed: 7,
      logprobs: true,
      top_logprobs: 2,
      metadata: { run: 'a' },
      prediction: { type: 'content', content: 'x' },
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(request.providerOptions).toEqual({
      openai: {
        seed: 7,
        logprobs: true,
        top_logprobs: 2,
        metadata: { run: 'a' },
        prediction: { type: 'content', content: 'x' },
      },
    });
  });

  it('keeps only the allowed tools of an allowed_tools choice, with its mode', () => {
    const { request } = convert({
      tools: [
        { type: 'function', function: { name: 'a' } },
        { type: 'function', function: { name: 'b' } },
      ],
      tool_choice: {
        type: 'allowed_tools',
        allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'b' } }] },
      },
    });
    expect(request.tools?.map((t) => t.name)).toEqual(['b']);
    expect(request.toolChoice).toBe('required');
  });

  it('keeps an assistant refusal as its text, and warns about what has no place elsewhere', () => {
    const { request, warnings } = convert({
      messages: [
        { role: 'user', content: 'Do it.', name: 'alice' },
        { role: 'assistant', content: null, refusal: 'I cannot.' },
        { role: 'user', content: 'Please.' },
      ],
      tools: [{ type: 'function', function: { name: 'f', strict: true, parameters: { type: 'object' } } }],
      response_format: { type: 'json_schema', json_schema: { name: 'r', description: 'The result' } },
    });
    expect(request.messages[1]).toEqual({ role: 'assistant', content: 'I cannot.' });
    expect(warnings).toEqual([
      'message names were not passed on: the provider has no per-message name',
      'strict tool schemas were not passed on: the model may stray from them',
      'response_format.json_schema.description was not passed on',
    ]);
  });

  it.each([
    ['functions', { functions: [{ name: 'f' }] }, /^functions: deprecated function calling/],
    ['function_call', { function_call: 'auto' }, /^function_call: deprecated/],
    [
      'a custom tool',
      { tools: [{ type: 'custom', custom: { name: 'g' } }] },
      /^tools\[0\]\.type: custom tools/,
    ],
    [
      'a custom tool choice',
      { tool_choice: { type: 'custom', custom: { name: 'g' } } },
      /^tool_choice\.type/,
    ],
    [
      'audio input',
      {
        messages: [
          { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] },
        ],
      },
      /^messages\[0\]\.content\[0\]: audio input/,
    ],
    [
      'a file',
      { messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] },
      /^messages\[0\]\.content\[0\]: file input/,
    ],
    [
      'a function message',
      { messages: [{ role: 'function', name: 'f', content: 'x' }] },
      /^messages\[0\]\.role: function messages/,
    ],
    [
      'a custom tool call in the history',
      {
        messages: [
          { role: 'assistant', tool_calls: [{ id: 'c', type: 'custom', custom: { name: 'g', input: 'x' } }] },
        ],
      },
      /^messages\[0\]\.tool_calls\[0\]: custom tool calls/,
    ],
  ])('refuses %s, naming the field', (_label, body, message) => {
    expect(() => convert(body)).toThrow(message);
  });
});
