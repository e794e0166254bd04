import type { ModelInfo } from '../../types/model-info.js';

/** What the demo provider is called in `provider/model` ids, and how /v1/models marks it. */
export const DEMO_PROVIDER_NAME = 'demo';
export const DEMO_OWNER = 'aigw-demo';

/**
 * The demo provider's own price table (USD per 1M tokens). Made up, but of a realistic
 * size, so a first run shows non-zero costs on the dashboard without any provider key.
 * Not in the price database on purpose: these models exist nowhere else.
 */
export const DEMO_MODELS: Omit<ModelInfo, 'provider'>[] = [
  {
    id: 'demo-chat',
    contextWindow: 128_000,
    capabilities: {
      chat: true,
      streaming: true,
      tools: true,
      vision: false,
      jsonOutput: true,
      embeddings: false,
      reasoning: false,
    },
    pricing: { inputPerMTok: '0.5', outputPerMTok: '1.5', cachedInputPerMTok: '0.05', source: 'demo' },
  },
  {
    id: 'demo-embed',
    contextWindow: 8_192,
    capabilities: {
      chat: false,
      streaming: false,
      tools: false,
      vision: false,
      jsonOutput: false,
      embeddings: true,
      reasoning: false,
    },
    pricing: { inputPerMTok: '0.02', outputPerMTok: '0', source: 'demo' },
  },
];
