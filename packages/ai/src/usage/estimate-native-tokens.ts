import type { NativeBody } from '../types/native-body.js';
import { tokenizer } from './tokenizer.js';

/** The body fields that hold the prompt, in any of the wire formats (`instructions`, `input`: the Responses API). */
const PROMPT_FIELDS = ['system', 'messages', 'instructions', 'input'] as const;
/** Framing tokens per message, as in estimatePromptTokens. */
const PER_MESSAGE = 4;
/** An image, at OpenAI's low-detail price, as in estimatePromptTokens. */
const IMAGE_TOKENS = 85;
/** Part types that are images (their data is not text). */
const IMAGE_TYPES = new Set(['image', 'image_url', 'input_image', 'document', 'input_file', 'file']);
/** Fields whose strings are not read by the model as text: ids, signatures, kinds, media, states. */
const NOT_TEXT = new Set([
  'role',
  'type',
  'id',
  'tool_use_id',
  'tool_call_id',
  'call_id',
  'signature',
  'encrypted_content',
  'status',
  'cache_control',
  'media_type',
  'data',
  'url',
  'detail',
]);

/**
 * Estimates the prompt tokens of a native-lane body (Anthropic Messages, Chat Completions
 * or the Responses API) with the o200k tokenizer, without converting it: the text of its
 * system prompt or instructions and of its messages or input items (tool calls' arguments
 * and results, reasoning summaries included; encrypted reasoning and item references not),
 * 85 per image or document, the tools' JSON, and a few tokens of framing per message. A
 * Responses body's `previous_response_id` history is the provider's and is not counted. Like
 * estimatePromptTokens, it is a stand-in for calls whose upstream reported no usage and
 * for limits checked before the call.
 */
export function estimateNativePromptTokens(native: NativeBody): number {
  const { countTokens } = tokenizer();
  let total = 3;
  const visit = (node: unknown, key?: string): void => {
    if (typeof node === 'string') {
      if (!key || !NOT_TEXT.has(key)) total += countTokens(node);
      return;
    }
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.type === 'string' && IMAGE_TYPES.has(record.type)) {
      total += IMAGE_TOKENS;
      return;
    }
    if (typeof record.role === 'string') total += PER_MESSAGE;
    for (const [field, value] of Object.entries(record)) {
      // Tool inputs and call arguments count as the JSON the model wrote.
      if (field === 'input' && value && typeof value === 'object')
        total += countTokens(JSON.stringify(value));
      else visit(value, field);
    }
  };
  for (const field of PROMPT_FIELDS) visit(native.body[field]);
  const tools = native.body.tools;
  if (Array.isArray(tools)) for (const tool of tools) total += countTokens(JSON.stringify(tool));
  return total;
}
