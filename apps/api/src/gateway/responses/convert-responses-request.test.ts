import type { ChatResult, ReasoningPart } from '@aigw/ai';
import { unknownUsage } from '@aigw/ai';
import { describe, expect, it } from '@jest/globals';
import { RequestValidationError, zodPipe } from '../../http/zod-validation.js';
import { FOREIGN_REASONING_WARNING } from './convert-responses-items.js';
import { convertResponsesRequest } from './convert-responses-request.js';
import { encodeReasoning } from './reasoning-content.js';
import { inputItemsOf, type ResponseItem } from './response-input-items.js';
import { type ResponsesRequest, responsesRequestSchema } from './responses.schemas.js';
import { toResponseObject } from './to-response-object.js';

const validate = zodPipe(responsesRequestSchema);
const parse = (body: Record<string, unknown>): ResponsesRequest =>
  validate.transform({ model: 'm', input: 'Hi', ...body }, { type: 'body' });
const convert = (body: Record<string, unknown>, history: ResponseItem[] = []) =>
  convertResponsesRequest(parse(body), history);

/** The issues of the RequestValidationError `run` throws. */
function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a RequestValidationError');
}

describe('convertResponsesRequest: input', () => {
  it('takes a string input as one user message, with instructions as the first, system message', () => {
    const signal = new AbortController().signal;
    const { request, warnings } = convertResponsesRequest(
      parse({ instructions: 'Be brief.', input: 'Hello' }),
      [],
      signal,
    );
    expect(request).toEqual({
      model: 'm',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      signal,
    });
    expect(warnings).toEqual([]);
  });

  it('keeps system and developer messages, their parts as text parts when one has a cache breakpoint', () => {
    const { request } = convert({
      input: [
        { role: 'developer', content: 'Answer in French.' },
        {
          type: 'message',
          role: 'system',
          content: [
            { type: 'input_text', text: 'A. ' },
            { type: 'input_text', text: 'B.' },
          ],
        },
        {
          role: 'system',
          content: [{ type: 'input_text', text: 'Rules.', prompt_cache_breakpoint: { mode: 'explicit' } }],
        },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'developer', content: 'Answer in French.' },
      { role: 'system', content: 'A. B.' },
      { role: 'system', content: [{ type: 'text', text: 'Rules.', cacheControl: { type: 'ephemeral' } }] },
      { role: 'user', content: 'Hi' },
    ]);
  });

  it('reads user text and images (URL or data URL, with detail)', () => {
    const { request, warnings } = convert({
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Look:', prompt_cache_breakpoint: { mode: 'explicit' } },
            { type: 'input_image', image_url: 'https://x.test/a.png', detail: 'low' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' },
            { type: 'input_image', image_url: 'https://x.test/b.png', detail: 'original' },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:', cacheControl: { type: 'ephemeral' } },
          { type: 'image', url: 'https://x.test/a.png', detail: 'low' },
          { type: 'image', data: 'AAAA', mediaType: 'image/png', detail: 'auto' },
          { type: 'image', url: 'https://x.test/b.png', detail: 'high' },
        ],
      },
    ]);
    expect(warnings).toEqual([
      "image detail 'original' was sent as 'high': the model has no original-resolution mode",
    ]);
  });

  it('refuses file input and uploaded images, naming the part', () => {
    expect(
      issuesOf(() =>
        convert({
          input: [
            {
              role: 'user',
              content: [
                { type: 'input_text', text: 'Read:' },
                { type: 'input_file', file_id: 'file-1' },
              ],
            },
          ],
        }),
      ),
    ).toEqual(['input[0].content[1]: file input cannot be translated for this model']);
    expect(
      issuesOf(() =>
        convert({
          input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-2', detail: 'auto' }] }],
        }),
      ),
    ).toEqual([
      'input[0].content[0].file_id: uploaded files cannot be translated for this model; send the image as image_url',
    ]);
  });

  it('makes assistant text and the function calls after it one assistant message, then the tool results', () => {
    const { request, warnings } = convert({
      input: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          type: 'message',
          role: 'assistant',
          content: [
            { type: 'output_text', text: 'Checking ', annotations: [] },
            { type: 'output_text', text: 'both.' },
          ],
        },
        { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'call_2', name: 'weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
        {
          type: 'function_call_output',
          call_id: 'call_2',
          output: [
            { type: 'input_text', text: 'rain, ' },
            { type: 'input_text', text: '12C' },
          ],
        },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot say more.' }] },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        toolCalls: [
          { id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
          { id: 'call_2', name: 'weather', arguments: '{"city":"Rome"}' },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', content: 'sunny', name: 'weather' },
      { role: 'tool', toolCallId: 'call_2', content: 'rain, 12C', name: 'weather' },
      { role: 'assistant', content: 'I cannot say more.' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('refuses images and files in a function call output, naming the part', () => {
    expect(
      issuesOf(() =>
        convert({
          input: [
            { type: 'function_call', call_id: 'c', name: 'shot', arguments: '{}' },
            {
              type: 'function_call_output',
              call_id: 'c',
              output: [{ type: 'input_image', image_url: 'https://x.test/s.png', detail: 'auto' }],
            },
          ],
        }),
      ),
    ).toEqual([
      'input[1].output[0]: input_image in a function call output cannot be translated for this model',
    ]);
  });

  it("gives our reasoning to the next assistant message and drops another provider's with a warning", () => {
    const parts: ReasoningPart[] = [
      { type: 'reasoning', text: 'Think.', signature: 'sig-1' },
      { type: 'redacted-reasoning', data: 'opaque' },
    ];
    const { request, warnings } = convert({
      input: [
        { role: 'user', content: 'Q' },
        {
          type: 'reasoning',
          id: 'rs_1',
          summary: [{ type: 'summary_text', text: 'Think.' }],
          encrypted_content: encodeReasoning(parts),
        },
        { type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: 'gAAAA-openai-ciphertext' },
        { type: 'reasoning', id: 'rs_3', summary: [{ type: 'summary_text', text: 'no content' }] },
        { role: 'assistant', content: 'A' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'A', reasoning: parts },
    ]);
    expect(warnings).toEqual([FOREIGN_REASONING_WARNING]);
  });

  it('refuses items only OpenAI can run, and unresolved references, naming the item', () => {
    expect(
      issuesOf(() => convert({ input: [{ type: 'web_search_call', id: 'ws_1', status: 'completed' }] })),
    ).toEqual(['input[0].type: web_search_call items cannot be translated for this model']);
    expect(issuesOf(() => convert({ input: [{ role: 'user', content: 'Hi' }, { id: 'msg_old' }] }))).toEqual([
      'input[1]: the item "msg_old" was not resolved',
    ]);
    // Not an item type of the spec at all: the schema names it.
    expect(issuesOf(() => convert({ input: [{ type: 'telepathy' }] }))).toEqual([
      'input[0].type: is not a Responses API input item type (message, function_call, function_call_output, reasoning, item_reference, ...)',
    ]);
    expect(issuesOf(() => convert({ input: [] }))).toEqual([
      'input: is required: a string or a list of items',
    ]);
  });
  it('names the field of a malformed item', () => {
    expect(issuesOf(() => convert({ input: [{ role: 'user' }] }))).toEqual([
      'input[0].content: Invalid input: expected array, received undefined',
    ]);
    expect(issuesOf(() => convert({ input: [{ type: 'function_call_output', output: 'x' }] }))).toEqual([
      'input[0].call_id: is required: the call_id of the function call answered',
    ]);
    expect(
      issuesOf(() => convert({ input: [{ role: 'user', content: [{ type: 'input_audio', data: 'x' }] }] })),
    ).toEqual([
      'input[0].content[0].type: is not a Responses API content part type (input_text, input_image, input_file, output_text, refusal)',
    ]);
  });

  it('reads a body as the Vercel AI SDK sends a tool loop with store: false (reasoning replayed by value)', () => {
    const thinking: ReasoningPart[] = [{ type: 'reasoning', text: 'Use f.', signature: 'sig' }];
    const { request, warnings } = convert({
      input: [
        { role: 'system', content: 'Be useful.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Do it' }] },
        {
          type: 'reasoning',
          id: 'rs_1',
          encrypted_content: encodeReasoning(thinking),
          summary: [{ type: 'summary_text', text: 'Use f.' }],
        },
        { role: 'assistant', content: [{ type: 'output_text', text: 'Calling f.' }], id: 'msg_1' },
        { type: 'function_call', call_id: 'toolu_1', name: 'f', arguments: '{"a":1}', id: 'fc_1' },
        { type: 'function_call_output', call_id: 'toolu_1', output: 'done' },
      ],
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object' }, strict: false }],
      tool_choice: 'auto',
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    expect(request.messages).toEqual([
      { role: 'system', content: 'Be useful.' },
      { role: 'user', content: 'Do it' },
      {
        role: 'assistant',
        content: 'Calling f.',
        reasoning: thinking,
        toolCalls: [{ id: 'toolu_1', name: 'f', arguments: '{"a":1}' }],
      },
      { role: 'tool', toolCallId: 'toolu_1', content: 'done', name: 'f' },
    ]);
    expect(request.tools).toEqual([{ name: 'f', parameters: { type: 'object' } }]);
    expect(warnings).toEqual([]);
  });
});

describe('convertResponsesRequest: settings', () => {
  it('maps function tools, and refuses the others naming tools[i].type', () => {
    const { request, warnings } = convert({
      tools: [
        {
          type: 'function',
          name: 'weather',
          description: 'Weather of a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
          strict: true,
        },
        { type: 'function', name: 'now', parameters: null, strict: null },
      ],
    });
    expect(request.tools).toEqual([
      {
        name: 'weather',
        description: 'Weather of a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
      { name: 'now', parameters: { type: 'object', properties: {} } },
    ]);
    expect(warnings).toEqual(['strict tool schemas were not passed on: the model may stray from them']);
    for (const type of ['web_search', 'file_search', 'code_interpreter', 'mcp', 'custom']) {
      expect(
        issuesOf(() =>
          convert({
            tools: [
              { type: 'function', name: 'f' },
              { type, name: 'x', server_label: 's' },
            ],
          }),
        ),
      ).toEqual([
        `tools[1].type: ${type} tools cannot be translated for this model; only function tools can`,
      ]);
    }
    expect(issuesOf(() => convert({ tools: [{ type: 'function' }] }))).toEqual([
      'tools[0].name: is required for a function tool',
    ]);
  });

  it('maps tool_choice: the options, a function, allowed tools; refuses hosted tool choices', () => {
    const tools = [
      { type: 'function', name: 'a' },
      { type: 'function', name: 'b' },
    ];
    for (const choice of ['auto', 'none', 'required'] as const) {
      expect(convert({ tools, tool_choice: choice }).request.toolChoice).toBe(choice);
    }
    expect(convert({ tools, tool_choice: { type: 'function', name: 'b' } }).request.toolChoice).toEqual({
      name: 'b',
    });
    const allowed = convert({
      tools,
      tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'a' }] },
    }).request;
    expect(allowed.tools?.map((t) => t.name)).toEqual(['a']);
    expect(allowed.toolChoice).toBe('required');
    expect(issuesOf(() => convert({ tools, tool_choice: { type: 'web_search_preview' } }))).toEqual([
      'tool_choice.type: web_search_preview cannot be translated for this model; only function tools can',
    ]);
  });

  it('maps text.format, reasoning effort, limits and sampling, parallel tool calls and the end user', () => {
    const { request, warnings } = convert({
      text: {
        format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
      },
      reasoning: { effort: 'high', summary: 'detailed' },
      max_output_tokens: 500,
      temperature: 0.2,
      top_p: 0.9,
      parallel_tool_calls: false,
      user: 'legacy-user',
      safety_identifier: 'end-user-7',
    });
    expect(request).toMatchObject({
      responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object' }, strict: true },
      reasoning: { effort: 'high' },
      maxTokens: 500,
      temperature: 0.2,
      topP: 0.9,
      parallelToolCalls: false,
      metadata: { userId: 'end-user-7' },
    });
    expect(warnings).toEqual([]);
    expect(convert({ text: { format: { type: 'json_object' } }, user: 'u1' }).request).toMatchObject({
      responseFormat: { type: 'json' },
      metadata: { userId: 'u1' },
    });
    expect(convert({ text: { format: { type: 'text' } } }).request.responseFormat).toBeUndefined();
  });

  it('names what has no equivalent in warnings', () => {
    const { warnings } = convert({
      text: {
        format: { type: 'json_schema', name: 'a', schema: {}, description: 'An answer' },
        verbosity: 'low',
      },
      reasoning: { effort: 'low', mode: 'pro' },
      include: ['message.output_text.logprobs', 'reasoning.encrypted_content'],
      top_logprobs: 3,
      max_tool_calls: 2,
      frobnicate: true,
      unset_thing: null,
    });
    expect(warnings).toEqual([
      'text.verbosity was ignored: the model has no such setting',
      'text.format.description was not passed on',
      'reasoning.mode was ignored: the model has no such setting',
      'include message.output_text.logprobs was ignored: log probabilities are not available',
      'unsupported fields were ignored: max_tool_calls, top_logprobs, frobnicate',
    ]);
  });

  it("draws no warning for the fields the gateway handles, and refuses OpenAI's stored prompts and conversations", () => {
    const { warnings } = convert({
      metadata: { team: 'a' },
      store: false,
      background: false,
      previous_response_id: 'resp_1',
      stream: true,
      stream_options: { include_obfuscation: false },
      include: ['reasoning.encrypted_content'],
      truncation: 'disabled',
      prompt_cache_key: 'k',
      prompt_cache_retention: '24h',
      service_tier: 'auto',
    });
    expect(warnings).toEqual([]);
    expect(issuesOf(() => convert({ conversation: 'conv_1' }))).toEqual([
      'conversation: conversations cannot be used with this model; use previous_response_id',
    ]);
    expect(issuesOf(() => convert({ prompt: { id: 'pmpt_1' } }))).toEqual([
      'prompt: stored prompt templates cannot be used with this model; send instructions and input',
    ]);
  });
});

describe('convertResponsesRequest: history', () => {
  const usage = { ...unknownUsage(), source: 'reported' as const };
  const shell = (body: ResponsesRequest) => ({ id: 'resp_1', createdAt: 1, model: 'claude', body });

  it('replays a tool loop with signed thinking from the earlier turn, through encrypted_content', () => {
    const turn1 = parse({
      input: 'Weather in Paris?',
      tools: [{ type: 'function', name: 'weather', parameters: { type: 'object' } }],
    });
    const thinking: ReasoningPart[] = [
      { type: 'reasoning', text: 'I should call the tool.', signature: 'EqQBCkgIARABGAIiQL' },
      { type: 'redacted-reasoning', data: 'EmwKAhgBEgy3va' },
    ];
    const result: ChatResult = {
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      text: 'Let me check.',
      toolCalls: [{ id: 'toolu_1', name: 'weather', arguments: '{"city":"Paris"}' }],
      reasoning: 'I should call the tool.',
      reasoningParts: thinking,
      finishReason: { unified: 'tool-calls', raw: 'tool_use' },
      usage,
      warnings: [],
    };
    const answer = toResponseObject(result, shell(turn1));
    const history = [...inputItemsOf(turn1), ...(answer.output as ResponseItem[])];
    const callId = (answer.output as ResponseItem[]).find((item) => item.type === 'function_call')?.call_id;
    expect(callId).toBe('toolu_1');

    const { request, warnings } = convert(
      {
        previous_response_id: 'resp_1',
        input: [{ type: 'function_call_output', call_id: callId, output: '{"temp":21}' }],
        tools: [{ type: 'function', name: 'weather', parameters: { type: 'object' } }],
      },
      history,
    );
    expect(request.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: 'Let me check.',
        reasoning: thinking,
        toolCalls: [{ id: 'toolu_1', name: 'weather', arguments: '{"city":"Paris"}' }],
      },
      { role: 'tool', toolCallId: 'toolu_1', content: '{"temp":21}', name: 'weather' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('leaves out what an earlier turn has that cannot be translated, with warnings, instead of refusing', () => {
    const history: ResponseItem[] = [
      {
        id: 'msg_1',
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Summarise' },
          { type: 'input_file', file_id: 'file-1' },
        ],
      },
      { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'gAAAA-openai' },
      { id: 'ws_1', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'x' } },
      {
        id: 'msg_2',
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Done.', annotations: [], logprobs: [] }],
      },
      { id: 'x_1', type: 'telepathy' },
    ];
    const { request, warnings } = convert({ input: 'Thanks' }, history);
    expect(request.messages).toEqual([
      { role: 'user', content: 'Summarise' },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'Thanks' },
    ]);
    expect(warnings).toEqual([
      'input_file part of an earlier turn was left out: file input cannot be translated for this model',
      FOREIGN_REASONING_WARNING,
      'web_search_call item of an earlier turn was left out: web_search_call items cannot be translated for this model',
      'an earlier telepathy item was left out: it is not a valid input item',
    ]);
  });
});
