import type { ModelPricing } from '../types/model-info.js';

const SOURCE = 'builtin media prices (the providers’ pricing pages, 2026-12)';
const perImageOnly = (perImage: Record<string, string>): ModelPricing => ({
  inputPerMTok: '0',
  outputPerMTok: '0',
  perImage,
  source: SOURCE,
});
const perCharacterOnly = (perMCharacters: string): ModelPricing => ({
  inputPerMTok: '0',
  outputPerMTok: '0',
  perMCharacters,
  source: SOURCE,
});

/** Billing rules of a provider's per-minute audio prices, per price-database provider id. */
export const AUDIO_MINIMUM_SECONDS: Record<string, number> = {
  // Groq bills at least 10 seconds per transcription or translation request.
  groq: 10,
};

/**
 * Prices of media models billed per image or per character, which the price database
 * (`@pydantic/genai-prices`, token and hour prices only) does not have; per price-database
 * provider id. The YAML config's `models:` entries override them.
 */
export const MEDIA_PRICES: Record<string, Record<string, ModelPricing>> = {
  openai: {
    'dall-e-3': perImageOnly({
      'standard/1024x1024': '0.04',
      'standard/1024x1792': '0.08',
      'standard/1792x1024': '0.08',
      'hd/1024x1024': '0.08',
      'hd/1024x1792': '0.12',
      'hd/1792x1024': '0.12',
      // Quality left out is standard; size left out is 1024x1024.
      '*/1024x1024': '0.04',
      '*/1024x1792': '0.08',
      '*/1792x1024': '0.08',
      'hd/*': '0.08',
      '*/*': '0.04',
    }),
    'dall-e-2': perImageOnly({
      '*/256x256': '0.016',
      '*/512x512': '0.018',
      '*/1024x1024': '0.02',
      '*/*': '0.02',
    }),
    'tts-1': perCharacterOnly('15'),
    'tts-1-hd': perCharacterOnly('30'),
  },
  google: {
    'imagen-3.0-generate-002': perImageOnly({ '*/*': '0.03' }),
    'imagen-4.0-generate-001': perImageOnly({ '*/*': '0.04' }),
  },
};
