import type { CallCost } from '../cost/compute-cost.js';
import type { TokenUsage } from './token-usage.js';

/** Calls that make or read media, each in OpenAI's format: `/images/generations`, `/audio/*`. */
export type MediaKind = 'image' | 'transcription' | 'translation' | 'speech';

/** What each media call does, in words for messages. */
export const MEDIA_KIND_NAMES: Record<MediaKind, string> = {
  image: 'image generation',
  transcription: 'audio transcription',
  translation: 'audio translation',
  speech: 'text to speech',
};

/** What a media call is billed by besides tokens: images made, seconds of audio in, characters spoken. */
export interface MediaUnits {
  unit: 'image' | 'second' | 'character';
  /** How many (seconds may have a fraction). */
  quantity: number;
}

/** An audio upload, kept on local disk (not in memory) while the call lasts. */
export interface MediaFile {
  /** File-backed (`fs.openAsBlob`): sent to the provider from disk, read again by a retry. */
  blob: Blob;
  filename: string;
  contentType: string;
  /** Bytes. */
  size: number;
  /** The audio's length when it could be read from the file; undefined: unknown. */
  durationSeconds?: number;
}

/** One media call: the caller's OpenAI-format fields, the model resolved by the gateway. */
export interface MediaRequest {
  kind: MediaKind;
  /** An alias, a catalog id or `provider/model` (the provider's model id once routed). */
  model: string;
  /**
   * The request's other fields as the caller sent them (the JSON body, or the multipart
   * form's text fields, repeated ones as arrays), but `model` and `file`.
   */
  fields: Record<string, unknown>;
  /** Transcriptions and translations: the audio. */
  file?: MediaFile;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** What a media call used, known once its answer has been read to the end. */
export interface MediaOutcome {
  /** Tokens where the provider reports them (`gpt-image-1`, `gpt-4o-transcribe`); else unknown. */
  usage: TokenUsage;
  /** The unit billed and how many; undefined when not known. */
  units?: MediaUnits;
  /** Set by the call pipeline. */
  cost?: CallCost;
  /** Why reading the answer failed part-way (the caller stopped, the connection broke). */
  error?: unknown;
}

/** A provider's answer to a media call, as it sent it. */
export interface MediaResult {
  provider: string;
  model: string;
  /** The provider's `content-type` (JSON, text, SSE or audio). */
  contentType: string;
  /** The answer's bytes: a JSON or text answer in one piece, speech and SSE as they come. */
  body: AsyncIterable<Uint8Array>;
  /** True when `body` comes in pieces as the provider sends them (speech, SSE events). */
  streamed: boolean;
  /** The parsed JSON answer (images, JSON transcriptions), for app code. */
  json?: unknown;
  /**
   * Resolves once `body` has been read to its end, or has failed (then with `error`): what
   * the call used. Never rejects; interceptors chain on it.
   */
  outcome: Promise<MediaOutcome>;
}
