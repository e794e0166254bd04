import { z } from 'zod';

/**
 * A prompt-cache breakpoint: OpenAI's own (`prompt_cache_breakpoint`, gpt-5.6 and later),
 * or the Anthropic-style `cache_control` OpenRouter takes on text parts.
 */
const cacheMarks = {
  prompt_cache_breakpoint: z.object({ mode: z.literal('explicit') }).optional(),
  cache_control: z
    .object({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() })
    .nullable()
    .optional(),
};

const textPart = z.object({ type: z.literal('text'), text: z.string(), ...cacheMarks });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
  prompt_cache_breakpoint: cacheMarks.prompt_cache_breakpoint,
});
// Accepted as the spec has them; a provider that is not OpenAI's cannot be given them (a 400 says so).
const audioPart = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string(), format: z.enum(['wav', 'mp3']) }),
  prompt_cache_breakpoint: cacheMarks.prompt_cache_breakpoint,
});
const filePart = z.object({
  type: z.literal('file'),
  file: z.object({
    filename: z.string().optional(),
    file_data: z.string().optional(),
    file_id: z.string().optional(),
  }),
  prompt_cache_breakpoint: cacheMarks.prompt_cache_breakpoint,
});
const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });
const textContent = z.union([z.string(), z.array(textPart).min(1)]);

const toolCall = z.discriminatedUnion('type', [
  z.object({
    id: z.string(),
    type: z.literal('function'),
    function: z.object({ name: z.string(), arguments: z.string() }),
  }),
  z.object({
    id: z.string(),
    type: z.literal('custom'),
    custom: z.object({ name: z.string(), input: z.string() }),
  }),
]);

/** One message of an OpenAI Chat Completions request (every role of the spec, `function` included). */
export const openAIMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: textContent, name: z.string().optional() }),
  z.object({ role: z.literal('developer'), content: textContent, name: z.string().optional() }),
  z.object({
    role: z.literal('user'),
    content: z.union([
      z.string(),
      z.array(z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart])).min(1),
    ]),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal('assistant'),
    content: z
      .union([z.string(), z.array(z.discriminatedUnion('type', [textPart, refusalPart])).min(1), z.null()])
      .optional(),
    tool_calls: z.array(toolCall).optional(),
    function_call: z.object({ name: z.string(), arguments: z.string() }).nullable().optional(),
    audio: z.object({ id: z.string() }).nullable().optional(),
    name: z.string().optional(),
    refusal: z.string().nullable().optional(),
  }),
  z.object({ role: z.literal('tool'), content: textContent, tool_call_id: z.string().min(1) }),
  z.object({ role: z.literal('function'), content: z.string().nullable(), name: z.string() }),
]);

const functionTool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});
const customTool = z.object({
  type: z.literal('custom'),
  custom: z.looseObject({ name: z.string().min(1) }),
});

/**
 * `POST /v1/chat/completions`, checked before a translation (an OpenAI-format provider
 * gets the body as it is): every request the official spec allows passes. The fields
 * named here are read; the others reach an OpenAI-format provider as they are, and any
 * other provider names them in a warning, or refuses them when the answer depends on them.
 */
export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1, 'is required: an alias, a model id from GET /v1/models, or provider/model'),
  messages: z.array(openAIMessageSchema).min(1, 'must hold at least one message'),
  tools: z.array(z.discriminatedUnion('type', [functionTool, customTool])).optional(),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
      z.object({ type: z.literal('custom'), custom: z.object({ name: z.string() }) }),
      z.object({
        type: z.literal('allowed_tools'),
        allowed_tools: z.object({
          mode: z.enum(['auto', 'required']),
          tools: z.array(z.record(z.string(), z.unknown())),
        }),
      }),
    ])
    .optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('text') }),
      z.object({ type: z.literal('json_object') }),
      z.object({
        type: z.literal('json_schema'),
        json_schema: z.object({
          name: z.string(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullable().optional(),
          description: z.string().optional(),
        }),
      }),
    ])
    .optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  max_tokens: z.int().nullable().optional(),
  max_completion_tokens: z.int().nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  n: z.int().min(1).max(128).nullable().optional(),
  reasoning_effort: z
    .enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'])
    .nullable()
    .optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z
    .object({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() })
    .nullable()
    .optional(),
  user: z.string().optional(),
  safety_identifier: z.string().max(64).nullable().optional(),
});

/** A validated Chat Completions request. */
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

/** `POST /v1/embeddings`. */
export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1, 'is required'),
  input: z.union([
    z.string().min(1, 'must not be empty'),
    z.array(z.string().min(1, 'must not be empty')).min(1, 'must hold at least one string').max(2048),
  ]),
  dimensions: z.number().int().positive().optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});

/** A validated embeddings request. */
export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;
