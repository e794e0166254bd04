import { computeCost } from '../cost/compute-cost.js';
import { unitPrice } from '../cost/compute-media-cost.js';
import type { MediaRequest } from '../types/media.js';
import type { ModelPricing } from '../types/model-info.js';
import type { TokenUsage } from '../types/token-usage.js';
import { estimateTextTokens } from '../usage/estimate-tokens.js';
import { mediaPromptText, requestedUnits } from '../usage/media-units.js';
import { PROMPT_MARGIN, type WorstCase } from './worst-case-cost.js';

/** The most image tokens one image makes (gpt-image-1: 6240 at high quality, 1536 px). */
const IMAGE_TOKENS = 6240;
/** Audio tokens per second of audio in, with a margin (OpenAI's audio models: about 17). */
const AUDIO_TOKENS_PER_SECOND = 25;
/** Transcript tokens per second of speech, with a margin (speech: about 3 to 4). */
const TRANSCRIPT_TOKENS_PER_SECOND = 10;
/** Audio tokens out per character of text spoken, with a margin (about 1.4). */
const SPEECH_TOKENS_PER_CHARACTER = 2;
/** The fewest bytes a second of audio takes (4 kbps: below the leanest speech codecs' rates). */
const MIN_AUDIO_BYTES_PER_SECOND = 500;

/**
 * The request's units, or for an upload whose length could not be read, the most seconds
 * its size can hold: a budget must not let unreadable audio through unreserved.
 */
function unitsAtMost(request: MediaRequest) {
  const units = requestedUnits(request);
  if (units || !request.file) return units;
  return { unit: 'second' as const, quantity: Math.ceil(request.file.size / MIN_AUDIO_BYTES_PER_SECOND) };
}

/**
 * The worst-case cost of a media call: its units (images asked for, seconds uploaded,
 * characters to speak) at their unit price; for a model priced by tokens, the prompt
 * estimate and the most audio or image tokens those units can make, at their rates.
 * An upload whose length could not be read counts as long as its size allows (see
 * unitsAtMost). Undefined for an unpriced model.
 */
export function worstCaseMediaCost(
  request: MediaRequest,
  pricing: ModelPricing | undefined,
): WorstCase | undefined {
  if (!pricing) return undefined;
  const units = unitsAtMost(request);
  const price = units ? unitPrice(pricing, units.unit, request.fields) : undefined;
  if (units && price) {
    const usd = price.perUnit.mul(Math.max(units.quantity, price.pricing.minimumSeconds ?? 0)).toFixed(12);
    return { usd, promptTokens: 0, outputTokens: 0, describe: `${units.quantity} ${units.unit}(s)` };
  }
  const prompt = Math.ceil(estimateTextTokens(mediaPromptText(request)) * PROMPT_MARGIN);
  const quantity = units?.quantity;
  let usage: TokenUsage;
  switch (request.kind) {
    case 'image':
      usage = tokens(prompt, 0, (quantity ?? 1) * IMAGE_TOKENS, {
        outputImage: (quantity ?? 1) * IMAGE_TOKENS,
      });
      break;
    case 'transcription':
    case 'translation': {
      if (quantity === undefined) return undefined;
      const audio = Math.ceil(quantity * AUDIO_TOKENS_PER_SECOND);
      usage = tokens(prompt, audio, Math.ceil(quantity * TRANSCRIPT_TOKENS_PER_SECOND), {
        inputAudio: audio,
      });
      break;
    }
    case 'speech': {
      const audio = Math.ceil((quantity ?? 0) * SPEECH_TOKENS_PER_CHARACTER);
      usage = tokens(prompt, 0, audio, { outputAudio: audio });
      break;
    }
  }
  const usd = computeCost(usage, pricing).usd;
  if (usd === null) return undefined;
  const input = usage.inputTokens.total ?? 0;
  const output = usage.outputTokens.total ?? 0;
  return { usd, promptTokens: input, outputTokens: output };
}

function tokens(
  text: number,
  audioIn: number,
  output: number,
  modalities: NonNullable<TokenUsage['modalities']>,
): TokenUsage {
  const input = text + audioIn;
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 },
    outputTokens: { total: output, text: undefined, reasoning: undefined },
    modalities,
    source: 'estimated',
  };
}
