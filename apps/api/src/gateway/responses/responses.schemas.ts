import { z } from 'zod';

const cacheBreakpoint = z
  .object({ mode: z.literal('explicit') })
  .nullable()
  .optional();

const inputText = z.looseObject({
  type: z.literal('input_text'),
  text: z.string(),
  prompt_cache_breakpoint: cacheBreakpoint,
});
const inputImage = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1).nullable().optional(),
  file_id: z.string().nullable().optional(),
  detail: z.enum(['auto', 'low', 'high', 'original']).nullable().optional(),
  prompt_cache_breakpoint: cacheBreakpoint,
});
// Accepted as the spec has it; a provider that is not OpenAI's cannot be given it (a 400 says so).
const inputFile = z.looseObject({ type: z.literal('input_file') });
const outputText = z.looseObject({ type: z.literal('output_text'), text: z.string() });
const refusal = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });

/** `type` is one of `types`; the message names what is allowed. */
const oneOf = (what: string, types: string[]) => ({
  error: (issue: { code: string; note?: string }) =>
    issue.code === 'invalid_union' && issue.note === 'No matching discriminator'
      ? `is not a Responses API ${what} type (${types.join(', ')})`
      : undefined,
});

const contentPart = z.discriminatedUnion(
  'type',
  [inputText, inputImage, inputFile, outputText, refusal],
  oneOf('content part', ['input_text', 'input_image', 'input_file', 'output_text', 'refusal']),
);
const toolOutputPart = z.discriminatedUnion(
  'type',
  [inputText, inputImage, inputFile],
  oneOf('tool output part', ['input_text', 'input_image', 'input_file']),
);

const messageItem = z.looseObject({
  type: z.literal('message'),
  id: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  // A string is one text part (read as such here, so that a part's error names the part).
  content: z.preprocess(
    (content) => (typeof content === 'string' ? [{ type: 'input_text', text: content }] : content),
    z.array(contentPart),
  ),
});
const functionCallItem = z.looseObject({
  type: z.literal('function_call'),
  id: z.string().optional(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
});
const callId = z.string({ error: 'is required: the call_id of the function call answered' }).min(1);
const functionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  id: z.string().nullable().optional(),
  call_id: callId,
  output: z.union([z.string(), z.array(toolOutputPart)]),
});
const reasoningItem = z.looseObject({
  type: z.literal('reasoning'),
  id: z.string().optional(),
  summary: z.array(z.looseObject({ type: z.literal('summary_text'), text: z.string() })).optional(),
  encrypted_content: z.string().nullable().optional(),
});
const itemReference = z.looseObject({ type: z.literal('item_reference'), id: z.string().min(1) });

/** Item types of the spec that only OpenAI's own tools (or its conversation state) produce. */
export const OPENAI_ONLY_ITEM_TYPES = [
  'file_search_call',
  'computer_call',
  'computer_call_output',
  'web_search_call',
  'tool_search_call',
  'tool_search_output',
  'additional_tools',
  'compaction',
  'compaction_trigger',
  'image_generation_call',
  'code_interpreter_call',
  'local_shell_call',
  'local_shell_call_output',
  'shell_call',
  'shell_call_output',
  'apply_patch_call',
  'apply_patch_call_output',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
  'mcp_call',
  'custom_tool_call',
  'custom_tool_call_output',
  'program',
  'program_output',
] as const;
const openAIOnlyItem = z.looseObject({ type: z.enum(OPENAI_ONLY_ITEM_TYPES) });

/**
 * The `type` an input item has or implies: a message may leave it out (`{ role, content }`),
 * and so may an item reference (`{ id }`, or `type: null`).
 */
export function withItemType(item: unknown): unknown {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const record = item as Record<string, unknown>;
  if (record.type != null) return record;
  if ('role' in record) return { ...record, type: 'message' };
  if ('id' in record) return { ...record, type: 'item_reference' };
  return record;
}

/** One item of `input` (or of a stored conversation), its `type` filled in when implied. */
export const responseInputItemSchema = z.preprocess(
  withItemType,
  z.discriminatedUnion(
    'type',
    [messageItem, functionCallItem, functionCallOutputItem, reasoningItem, itemReference, openAIOnlyItem],
    oneOf('input item', [
      'message',
      'function_call',
      'function_call_output',
      'reasoning',
      'item_reference',
      '...',
    ]),
  ),
);

/** A validated input item. */
export type ResponseInputItem = z.infer<typeof responseInputItemSchema>;

/**
 * Any tool of the spec: function tools are read (a name is required); the others are
 * accepted here and refused by the translation, which names them.
 */
const tool = z
  .looseObject({
    type: z.string().min(1),
    name: z.string().min(1).optional(),
    description: z.string().nullable().optional(),
    parameters: z.record(z.string(), z.unknown()).nullable().optional(),
    strict: z.boolean().nullable().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.type === 'function' && value.name === undefined) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'is required for a function tool' });
    }
  });

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), name: z.string().min(1) }),
  z.looseObject({
    type: z.literal('allowed_tools'),
    mode: z.enum(['auto', 'required']),
    tools: z.array(z.record(z.string(), z.unknown())),
  }),
  // Hosted tools, MCP, custom tools: accepted, refused by the translation.
  z.looseObject({ type: z.string().min(1) }),
]);

const textFormat = z.discriminatedUnion(
  'type',
  [
    z.looseObject({ type: z.literal('text') }),
    z.looseObject({ type: z.literal('json_object') }),
    z.looseObject({
      type: z.literal('json_schema'),
      name: z.string().min(1),
      schema: z.record(z.string(), z.unknown()),
      strict: z.boolean().nullable().optional(),
      description: z.string().optional(),
    }),
  ],
  oneOf('text format', ['text', 'json_object', 'json_schema']),
);

/**
 * `POST /v1/responses`, checked before a translation (an OpenAI provider gets the body
 * as it is): every request the official spec allows passes. The fields named here are
 * read; the others are handled by the gateway (see convertResponsesRequest) or named in
 * a warning; what cannot be translated is refused there with a 400 naming the field.
 */
export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1, 'is required: an alias, a model id from GET /v1/models, or provider/model'),
  // A string is one user message (read as such here, so that an item's error names the item).
  input: z
    .preprocess(
      (input) => (typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : input),
      z.array(responseInputItemSchema),
    )
    .optional(),
  instructions: z.string().nullable().optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  text: z
    .looseObject({
      format: textFormat.optional(),
      verbosity: z.enum(['low', 'medium', 'high']).nullable().optional(),
    })
    .nullable()
    .optional(),
  reasoning: z
    .looseObject({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).nullable().optional(),
      summary: z.enum(['auto', 'concise', 'detailed']).nullable().optional(),
      generate_summary: z.enum(['auto', 'concise', 'detailed']).nullable().optional(),
    })
    .nullable()
    .optional(),
  max_output_tokens: z.int().positive().nullable().optional(),
  max_tool_calls: z.int().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  top_logprobs: z.int().min(0).max(20).nullable().optional(),
  user: z.string().optional(),
  safety_identifier: z.string().max(64).nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  store: z.boolean().nullable().optional(),
  background: z.boolean().nullable().optional(),
  previous_response_id: z.string().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  include: z.array(z.string()).nullable().optional(),
  truncation: z.enum(['auto', 'disabled']).nullable().optional(),
});

/** A validated Responses API request. */
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
