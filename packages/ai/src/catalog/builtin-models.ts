import type { ModelCapabilities } from '../types/model-info.js';

const chat = (extra: Partial<ModelCapabilities> = {}): ModelCapabilities => ({
  chat: true,
  streaming: true,
  tools: true,
  vision: false,
  jsonOutput: true,
  embeddings: false,
  reasoning: false,
  ...extra,
});
const vision = (extra: Partial<ModelCapabilities> = {}) => chat({ vision: true, ...extra });
const reasoning = (extra: Partial<ModelCapabilities> = {}) => chat({ reasoning: true, ...extra });
const embedding: ModelCapabilities = {
  chat: false,
  streaming: false,
  tools: false,
  vision: false,
  jsonOutput: false,
  embeddings: true,
  reasoning: false,
};

const media = (extra: Partial<ModelCapabilities>): ModelCapabilities => ({
  ...embedding,
  embeddings: false,
  ...extra,
});
const images = media({ images: true });
const transcribe = media({ transcription: true, translation: true });
const transcribeStreaming = media({ transcription: true, transcriptionStreaming: true });
const speech = media({ speech: true });

/** A model the package knows by name; prices come from the price database or the config. */
export interface BuiltinModel {
  id: string;
  capabilities: ModelCapabilities;
  contextWindow?: number;
}

/**
 * The models listed out of the box, per price-database provider id. Prices are not
 * written here: they come from `@pydantic/genai-prices` (maintained upstream) or the
 * YAML config, so this file only says which models exist and what they can do.
 */
export const BUILTIN_MODELS: Record<string, BuiltinModel[]> = {
  openai: [
    { id: 'gpt-5', capabilities: vision({ reasoning: true }) },
    { id: 'gpt-5-mini', capabilities: vision({ reasoning: true }) },
    { id: 'gpt-5-nano', capabilities: vision({ reasoning: true }) },
    { id: 'gpt-4.1', capabilities: vision() },
    { id: 'gpt-4.1-mini', capabilities: vision() },
    { id: 'gpt-4.1-nano', capabilities: vision() },
    { id: 'gpt-4o', capabilities: vision() },
    { id: 'gpt-4o-mini', capabilities: vision() },
    { id: 'o3', capabilities: vision({ reasoning: true }) },
    { id: 'o3-mini', capabilities: reasoning() },
    { id: 'o4-mini', capabilities: vision({ reasoning: true }) },
    { id: 'text-embedding-3-small', capabilities: embedding },
    { id: 'text-embedding-3-large', capabilities: embedding },
    { id: 'gpt-image-1', capabilities: images },
    { id: 'dall-e-3', capabilities: images },
    { id: 'dall-e-2', capabilities: images },
    { id: 'whisper-1', capabilities: transcribe },
    { id: 'gpt-4o-transcribe', capabilities: transcribeStreaming },
    { id: 'gpt-4o-mini-transcribe', capabilities: transcribeStreaming },
    { id: 'tts-1', capabilities: speech },
    { id: 'tts-1-hd', capabilities: speech },
    { id: 'gpt-4o-mini-tts', capabilities: speech },
  ],
  anthropic: [
    { id: 'claude-opus-4-1', capabilities: vision({ reasoning: true }) },
    { id: 'claude-sonnet-4-5', capabilities: vision({ reasoning: true }) },
    { id: 'claude-sonnet-4-0', capabilities: vision({ reasoning: true }) },
    { id: 'claude-haiku-4-5', capabilities: vision({ reasoning: true }) },
    { id: 'claude-3-5-haiku-latest', capabilities: vision() },
  ],
  google: [
    { id: 'gemini-2.5-pro', capabilities: vision({ reasoning: true }) },
    { id: 'gemini-2.5-flash', capabilities: vision({ reasoning: true }) },
    { id: 'gemini-2.0-flash', capabilities: vision() },
    { id: 'imagen-3.0-generate-002', capabilities: images },
    { id: 'imagen-4.0-generate-001', capabilities: images },
  ],
  deepseek: [
    { id: 'deepseek-chat', capabilities: chat() },
    { id: 'deepseek-reasoner', capabilities: reasoning({ tools: false }) },
  ],
  groq: [
    { id: 'llama-3.3-70b-versatile', capabilities: chat() },
    { id: 'llama-3.1-8b-instant', capabilities: chat() },
    { id: 'whisper-large-v3', capabilities: transcribe },
    { id: 'whisper-large-v3-turbo', capabilities: media({ transcription: true }) },
  ],
  openrouter: [
    { id: 'openai/gpt-4o-mini', capabilities: vision() },
    { id: 'anthropic/claude-sonnet-4.5', capabilities: vision({ reasoning: true }) },
    { id: 'meta-llama/llama-3.1-70b-instruct', capabilities: chat() },
  ],
};

/** Capabilities assumed for a model the catalog does not list (e.g. a local model). */
export const DEFAULT_CHAT_CAPABILITIES: ModelCapabilities = chat();
