import { type ChatResult, type TokenUsage, unknownUsage } from '@aigw/ai';
import { describe, expect, it } from '@jest/globals';
import { openAISpecErrors } from '../../../test/support/openai-spec/openai-spec.js';
import { decodeReasoning } from './reasoning-content.js';
import { type ResponsesRequest, responsesRequestSchema } from './responses.schemas.js';
import { toResponsesUsage } from './responses-usage.js';
import { type ResponseShell, toResponseObject, toResponseStub } from './to-response-object.js';

const usage: TokenUsage = {
  inputTokens: { total: 120, noCache: 20, cacheRead: 80, cacheWrite: 20, cacheWrite1h: 0 },
  outputTokens: { total: 50, text: 30, reasoning: 20 },
  source: 'reported',
};

const shellOf = (body: Record<string, unknown> = {}): ResponseShell => ({
  id: 'resp_0123456789abcdef0123456789abcdef',
  createdAt: 1_760_000_000,
  model: 'claude-sonnet-4-5',
  body: responsesRequestSchema.parse({
    model: 'claude-sonnet-4-5',
    input: 'Hi',
    ...body,
  }) as ResponsesRequest,
});

const resultOf = (result: Partial<ChatResult>): ChatResult => ({
  provider: 'anthropic',
  model: 'claude-sonnet-4-5-20250929',
  text: '',
  toolCalls: [],
  finishReason: { unified: 'stop', raw: 'end_turn' },
  usage,
  warnings: [],
  ...result,
});

describe('toResponsesUsage', () => {
  it('counts all input (cache reads and writes in it) and all output (reasoning in it)', () => {
    const block = toResponsesUsage(usage);
    expect(block).toEqual({
      input_tokens: 120,
      input_tokens_details: { cached_tokens: 80, cache_write_tokens: 20 },
      output_tokens: 50,
      output_tokens_details: { reasoning_tokens: 20 },
      total_tokens: 170,
    });
    expect(openAISpecErrors('ResponseUsage', block)).toEqual([]);
  });

  it('leaves usage out when a total is unknown, and sends an unknown detail as 0', () => {
    expect(toResponsesUsage(unknownUsage())).toBeUndefined();
    const noOutput = { ...usage, outputTokens: { total: undefined, text: undefined, reasoning: undefined } };
    expect(toResponsesUsage(noOutput)).toBeUndefined();
    const totalsOnly: TokenUsage = {
      ...unknownUsage(),
      inputTokens: { ...unknownUsage().inputTokens, total: 10 },
      outputTokens: { total: 5, text: undefined, reasoning: undefined },
      source: 'reported',
    };
    expect(toResponsesUsage(totalsOnly)).toEqual({
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 15,
    });
  });
});

describe('toResponseObject', () => {
  it('is a spec Response with a message item, the request echoed with OpenAI defaults', () => {
    const response = toResponseObject(resultOf({ text: 'Hello!' }), shellOf());
    expect(openAISpecErrors('Response', response)).toEqual([]);
    expect(response).toEqual({
      id: 'resp_0123456789abcdef0123456789abcdef',
      object: 'response',
      created_at: 1_760_000_000,
      status: 'completed',
      background: false,
      completed_at: expect.any(Number),
      error: null,
      incomplete_details: null,
      instructions: null,
      max_output_tokens: null,
      max_tool_calls: null,
      model: 'claude-sonnet-4-5',
      output: [
        {
          id: expect.stringMatching(/^msg_[0-9a-f]{32}$/),
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Hello!', annotations: [], logprobs: [] }],
        },
      ],
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: null,
      store: true,
      temperature: null,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_p: null,
      truncation: 'disabled',
      usage: toResponsesUsage(usage),
      metadata: {},
    });
  });

  it("echoes the request's settings", () => {
    const shell = {
      ...shellOf({
        instructions: 'Be brief.',
        metadata: { team: 'a' },
        temperature: 0.3,
        top_p: 0.8,
        max_output_tokens: 256,
        parallel_tool_calls: false,
        tools: [{ type: 'function', name: 'weather', parameters: { type: 'object' } }],
        tool_choice: { type: 'function', name: 'weather' },
        text: { format: { type: 'json_schema', name: 'a', schema: { type: 'object' }, strict: true } },
        reasoning: { effort: 'high', summary: 'auto' },
        store: false,
        truncation: 'auto',
        user: 'u1',
        safety_identifier: 'end-user',
        prompt_cache_key: 'k',
      }),
      previousResponseId: 'resp_previous',
    };
    const response = toResponseObject(resultOf({ text: '{}' }), shell);
    expect(openAISpecErrors('Response', response)).toEqual([]);
    expect(response).toMatchObject({
      instructions: 'Be brief.',
      metadata: { team: 'a' },
      temperature: 0.3,
      top_p: 0.8,
      max_output_tokens: 256,
      parallel_tool_calls: false,
      // The spec's FunctionTool always has `strict` and `parameters`.
      tools: [{ type: 'function', name: 'weather', parameters: { type: 'object' }, strict: null }],
      tool_choice: { type: 'function', name: 'weather' },
      text: { format: { type: 'json_schema', name: 'a', schema: { type: 'object' }, strict: true } },
      reasoning: { effort: 'high', summary: 'auto' },
      store: false,
      truncation: 'auto',
      previous_response_id: 'resp_previous',
      user: 'u1',
      safety_identifier: 'end-user',
      prompt_cache_key: 'k',
    });
  });

  it('has a function call item per tool call (no message item for a turn of tool calls only)', () => {
    const response = toResponseObject(
      resultOf({
        toolCalls: [
          { id: 'toolu_1', name: 'weather', arguments: '{"city":"Paris"}' },
          { id: 'toolu_2', name: 'now', arguments: '' },
        ],
        finishReason: { unified: 'tool-calls', raw: 'tool_use' },
      }),
      shellOf(),
    );
    expect(openAISpecErrors('Response', response)).toEqual([]);
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^fc_[0-9a-f]{32}$/),
        type: 'function_call',
        status: 'completed',
        call_id: 'toolu_1',
        name: 'weather',
        arguments: '{"city":"Paris"}',
      },
      {
        id: expect.stringMatching(/^fc_/),
        type: 'function_call',
        status: 'completed',
        call_id: 'toolu_2',
        name: 'now',
        arguments: '{}',
      },
    ]);
    expect(response.status).toBe('completed');
  });

  it('puts reasoning first: its text as summaries, its signed blocks in encrypted_content', () => {
    const reasoningParts = [
      { type: 'reasoning' as const, text: 'First.', signature: 'sig-1' },
      { type: 'redacted-reasoning' as const, data: 'opaque' },
      { type: 'reasoning' as const, text: '', signature: 'sig-2' },
      { type: 'reasoning' as const, text: 'Second.', signature: 'sig-3' },
    ];
    const response = toResponseObject(
      resultOf({ text: 'Answer.', reasoning: 'First.Second.', reasoningParts }),
      shellOf(),
    );
    expect(openAISpecErrors('Response', response)).toEqual([]);
    const [reasoning, message] = response.output as Record<string, unknown>[];
    expect(reasoning).toEqual({
      id: expect.stringMatching(/^rs_[0-9a-f]{32}$/),
      type: 'reasoning',
      summary: [
        { type: 'summary_text', text: 'First.' },
        { type: 'summary_text', text: 'Second.' },
      ],
      encrypted_content: expect.stringMatching(/^aigw:/),
    });
    expect(decodeReasoning(reasoning?.encrypted_content)).toEqual(reasoningParts);
    expect(message).toMatchObject({ type: 'message', content: [{ text: 'Answer.' }] });

    // Reasoning text without blocks (an OpenAI-compatible server's) is one summary.
    const plain = toResponseObject(resultOf({ text: 'A', reasoning: 'Hmm.' }), shellOf());
    expect((plain.output as Record<string, unknown>[])[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'Hmm.' }],
    });
  });

  it('is incomplete for a length or content-filter finish, failed for an error finish', () => {
    const cut = toResponseObject(
      resultOf({ text: 'Half', finishReason: { unified: 'length', raw: 'max_tokens' } }),
      shellOf(),
    );
    expect(cut).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      completed_at: null,
    });
    const filtered = toResponseObject(
      resultOf({ finishReason: { unified: 'content-filter', raw: 'refusal' } }),
      shellOf(),
    );
    expect(filtered).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
    });
    const failed = toResponseObject(
      resultOf({ finishReason: { unified: 'error', raw: 'failed' } }),
      shellOf(),
    );
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'server_error', message: "The model's answer ended with an error (failed)." },
    });
    for (const response of [cut, filtered, failed])
      expect(openAISpecErrors('Response', response)).toEqual([]);
  });

  it('has no usage when the counts are unknown, and is still a spec Response', () => {
    const response = toResponseObject(resultOf({ text: 'x', usage: unknownUsage() }), shellOf());
    expect(response).not.toHaveProperty('usage');
    expect(openAISpecErrors('Response', response)).toEqual([]);
  });
});

describe('toResponseStub', () => {
  it('is a spec Response with no output', () => {
    for (const status of ['queued', 'in_progress', 'cancelled'] as const) {
      const stub = toResponseStub(shellOf({ background: true }), status);
      expect(stub).toMatchObject({ status, output: [], background: true, error: null, completed_at: null });
      expect(stub).not.toHaveProperty('usage');
      expect(openAISpecErrors('Response', stub)).toEqual([]);
    }
  });
});
