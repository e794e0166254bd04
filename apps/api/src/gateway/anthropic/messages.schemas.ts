import { z } from 'zod';

/**
 * `string | block[]` fields are read as block arrays: a plain union would report a bad
 * block as "Invalid input" on the whole field, this names the block and its field.
 */
const blocksOrString = <T extends z.ZodType>(block: T, description: string) =>
  z
    .preprocess(
      (value) => (typeof value === 'string' ? [{ type: 'text', text: value }] : value),
      z.array(block, { error: 'must be a string or an array of content blocks' }),
    )
    .describe(description);

/** "is required" when absent, `message` when present but wrong. */
const requiredOr = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message),
});

/** A prompt-caching breakpoint, passed on as our CacheControl. */
const cacheControl = z
  .object({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() })
  .nullable()
  .optional();

const textBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: cacheControl });

const imageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('base64'),
      media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
      data: z.string().min(1, 'must not be empty'),
    }),
    z.object({ type: z.literal('url'), url: z.string().min(1, 'must not be empty') }),
  ]),
  cache_control: cacheControl,
});

const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1, 'must not be empty'),
  content: blocksOrString(textBlock, 'The tool output: a string or text blocks').optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

const toolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1, 'must not be empty'),
  name: z.string().min(1, 'must not be empty'),
  input: z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }),
  cache_control: cacheControl,
});

// Thinking from an earlier turn, kept with its signature so a tool loop replays with thinking on.
const thinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: z.string() });

/** One turn of the conversation; user turns carry tool results, assistant turns tool calls. */
export const anthropicMessageParamSchema = z.discriminatedUnion('role', [
  z.object({
    role: z.literal('user'),
    content: blocksOrString(
      z.discriminatedUnion('type', [textBlock, imageBlock, toolResultBlock]),
      'A string, or text, image and tool_result blocks',
    ),
  }),
  z.object({
    role: z.literal('assistant'),
    content: blocksOrString(
      z.discriminatedUnion('type', [textBlock, toolUseBlock, thinkingBlock, redactedThinkingBlock]),
      'A string, or text, tool_use and thinking blocks',
    ),
  }),
]);

const disableParallel = { disable_parallel_tool_use: z.boolean().optional() };

/**
 * `POST /v1/messages`: the Anthropic Messages request. Types are checked strictly; unknown
 * fields are accepted and ignored (a warning lists them), as the gateway cannot pass
 * Anthropic-only settings to every provider.
 */
export const messagesRequestSchema = z.looseObject({
  model: z
    .string(requiredOr('must be a string'))
    .min(1, 'must name a model: an alias, a model id from GET /v1/models, or provider/model'),
  max_tokens: z.int(requiredOr('must be an integer')).positive('must be positive'),
  messages: z.array(anthropicMessageParamSchema).min(1, 'must hold at least one message'),
  system: blocksOrString(textBlock, 'The system prompt: a string or text blocks').optional(),
  tools: z
    .array(
      z.object({
        type: z
          .literal('custom', { error: 'only custom tools (name, description, input_schema) are supported' })
          .optional(),
        name: z.string().min(1, 'must not be empty'),
        description: z.string().optional(),
        input_schema: z.record(z.string(), z.unknown(), { error: 'must be a JSON Schema object' }),
        cache_control: cacheControl,
      }),
    )
    .optional(),
  tool_choice: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('auto'), ...disableParallel }),
      z.object({ type: z.literal('any'), ...disableParallel }),
      z.object({ type: z.literal('none') }),
      z.object({ type: z.literal('tool'), name: z.string().min(1, 'must not be empty'), ...disableParallel }),
    ])
    .optional(),
  temperature: z.number().min(0).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.int().nonnegative().optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  metadata: z.object({ user_id: z.string().nullable().optional() }).optional(),
  thinking: z
    .object({
      type: z.enum(['enabled', 'disabled', 'adaptive']),
      budget_tokens: z.int().positive().optional(),
      display: z.enum(['summarized', 'omitted']).nullable().optional(),
    })
    .optional(),
  output_config: z
    .looseObject({
      effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullable().optional(),
      format: z
        .object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
        .nullable()
        .optional(),
    })
    .optional(),
});

/** A validated Messages request. */
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
/** One validated turn. */
export type AnthropicMessageParam = z.infer<typeof anthropicMessageParamSchema>;
