import type { ChatMessage } from '../types/chat-message.js';
import type { ChatRequest, ToolDefinition } from '../types/chat-request.js';
import { estimateNativePromptTokens } from './estimate-native-tokens.js';
import { tokenizer } from './tokenizer.js';

// Every chat format wraps each message in a few tokens of framing.
const PER_MESSAGE = 4;

/**
 * Estimates a prompt's tokens with the o200k tokenizer, for calls whose upstream never
 * reported usage (a stream cut off, a server without usage). Images count as a flat
 * 85 tokens each (OpenAI's low-detail price); rows made from this are marked estimated.
 */
export function estimatePromptTokens(messages: ChatMessage[], tools: ToolDefinition[] = []): number {
  const { countTokens } = tokenizer();
  let total = 3;
  for (const message of messages) {
    total += PER_MESSAGE;
    if (message.role === 'assistant') {
      total += countTokens(message.content ?? '');
      for (const call of message.toolCalls ?? [])
        total += countTokens(call.name) + countTokens(call.arguments);
      for (const part of message.reasoning ?? [])
        total += countTokens(part.type === 'reasoning' ? part.text : part.data);
    } else if (typeof message.content === 'string') {
      total += countTokens(message.content);
    } else {
      for (const part of message.content) total += part.type === 'text' ? countTokens(part.text) : 85;
    }
  }
  for (const tool of tools) total += countTokens(JSON.stringify(tool));
  return total;
}

/** Estimates a chat request's prompt tokens: its messages and tools, or its native body. */
export function estimateRequestTokens(request: ChatRequest): number {
  return request.native
    ? estimateNativePromptTokens(request.native)
    : estimatePromptTokens(request.messages, request.tools);
}

/** Estimates the tokens of generated text. */
export function estimateTextTokens(text: string): number {
  return text ? tokenizer().countTokens(text) : 0;
}
