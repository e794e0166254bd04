import type { OpenAIDialect } from '../openai/openai-chat-provider.js';

/** What a named OpenAI-compatible service needs beyond a base URL and a key. */
export interface OpenAICompatiblePreset {
  displayName: string;
  baseUrl: string;
  /** Provider id in the price database, for built-in models and prices. */
  priceProviderId?: string;
  /** Local servers run without a key. */
  keyless: boolean;
  dialect: Omit<OpenAIDialect, 'type'>;
}

/** The services reachable through `type: openai-compatible` with `preset: <name>`. */
export const OPENAI_COMPATIBLE_PRESETS = {
  openrouter: {
    displayName: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    priceProviderId: 'openrouter',
    keyless: false,
    dialect: {
      maxTokensField: 'max_tokens',
      embeddings: true,
      developerRole: false,
      cacheControl: true,
      topK: true,
      media: [],
    },
  },
  deepseek: {
    displayName: 'DeepSeek',
    baseUrl: 'https://api.deepseek.com/v1',
    priceProviderId: 'deepseek',
    keyless: false,
    dialect: {
      maxTokensField: 'max_tokens',
      embeddings: false,
      developerRole: false,
      cacheControl: false,
      topK: false,
      media: [],
    },
  },
  groq: {
    displayName: 'Groq',
    baseUrl: 'https://api.groq.com/openai/v1',
    priceProviderId: 'groq',
    keyless: false,
    dialect: {
      maxTokensField: 'max_tokens',
      embeddings: false,
      developerRole: false,
      cacheControl: false,
      topK: false,
      media: ['transcription', 'translation'],
    },
  },
  gemini: {
    displayName: 'Google Gemini',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    priceProviderId: 'google',
    keyless: false,
    dialect: {
      maxTokensField: 'max_tokens',
      embeddings: true,
      developerRole: false,
      cacheControl: false,
      topK: false,
      media: ['image'],
    },
  },
  ollama: {
    displayName: 'Ollama',
    baseUrl: 'http://127.0.0.1:11434/v1',
    keyless: true,
    dialect: {
      maxTokensField: 'max_tokens',
      embeddings: true,
      developerRole: false,
      cacheControl: false,
      topK: false,
      media: [],
    },
  },
  vllm: {
    displayName: 'vLLM',
    baseUrl: 'http://127.0.0.1:8000/v1',
    keyless: true,
    dialect: {
      maxTokensField: 'max_tokens',
      embeddings: true,
      developerRole: false,
      cacheControl: false,
      topK: true,
      media: ['transcription', 'translation'],
    },
  },
} satisfies Record<string, OpenAICompatiblePreset>;

/** A preset's name. */
export type OpenAICompatiblePresetName = keyof typeof OPENAI_COMPATIBLE_PRESETS;

/** A generic OpenAI-compatible server (any base URL, no preset). */
export const GENERIC_OPENAI_COMPATIBLE: OpenAICompatiblePreset = {
  displayName: 'OpenAI-compatible',
  baseUrl: '',
  keyless: true,
  dialect: {
    maxTokensField: 'max_tokens',
    embeddings: true,
    developerRole: false,
    cacheControl: false,
    topK: false,
    // Servers such as LocalAI or speaches have them; each model says which (its capabilities).
    media: ['image', 'transcription', 'translation', 'speech'],
  },
};
