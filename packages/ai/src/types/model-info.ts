/** What a model can do. */
export interface ModelCapabilities {
  chat: boolean;
  streaming: boolean;
  tools: boolean;
  vision: boolean;
  jsonOutput: boolean;
  embeddings: boolean;
  reasoning: boolean;
  /** `POST /images/generations`. */
  images?: boolean;
  /** `POST /audio/transcriptions`. */
  transcription?: boolean;
  /** `POST /audio/translations` (into English). */
  translation?: boolean;
  /** `POST /audio/speech`. */
  speech?: boolean;
  /** Transcription streamed as `transcript.text.*` events (`stream: true`). */
  transcriptionStreaming?: boolean;
}

/**
 * USD per 1M tokens, as decimal strings (never floats). Missing cache prices mean
 * those tokens cost the input price; a missing 1-hour write price, the (5-minute) write price.
 */
export interface ModelPricing {
  inputPerMTok: string;
  outputPerMTok: string;
  cachedInputPerMTok?: string;
  /** Cache writes with the default TTL (Anthropic: 5 minutes). */
  cacheWritePerMTok?: string;
  /** Cache writes with a 1-hour TTL. */
  cacheWrite1hPerMTok?: string;
  /** USD per 1,000 web searches run by the provider; missing: searches are not priced. */
  webSearchPerThousand?: string;
  /** Input tokens of audio, and of images, at their own rate (else the input rate). */
  inputAudioPerMTok?: string;
  inputImagePerMTok?: string;
  /** Output tokens of images, and of audio, at their own rate (else the output rate). */
  outputImagePerMTok?: string;
  outputAudioPerMTok?: string;
  /**
   * USD per image made, by `quality/size` (`hd/1024x1792`), either part `*` for any (or for
   * a request that leaves it out); the most specific key that matches prices the image.
   */
  perImage?: Record<string, string>;
  /** USD per minute of audio in (transcription, translation). */
  perMinute?: string;
  /** Seconds billed at least per request at the per-minute price (Groq: 10). */
  minimumSeconds?: number;
  /** USD per 1M characters of text in (speech). */
  perMCharacters?: string;
  /** Higher prices once a call's input exceeds a size (e.g. Claude past 200k tokens). */
  tiers?: {
    aboveInputTokens: number;
    inputPerMTok: string;
    outputPerMTok: string;
    cachedInputPerMTok?: string;
    cacheWritePerMTok?: string;
    cacheWrite1hPerMTok?: string;
  }[];
  /** Where the prices come from: `config`, or the bundled price database. */
  source: string;
}

/** A model in the catalog. */
export interface ModelInfo {
  /** Provider name, as registered. */
  provider: string;
  /** The provider's model id. */
  id: string;
  contextWindow?: number;
  capabilities: ModelCapabilities;
  /** Undefined: no known price (calls are recorded as unpriced, never as free). */
  pricing?: ModelPricing;
}
