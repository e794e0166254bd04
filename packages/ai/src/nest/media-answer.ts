import type { CallCost } from '../cost/compute-cost.js';
import type { MediaFile, MediaResult, MediaUnits } from '../types/media.js';
import type { TokenUsage } from '../types/token-usage.js';
import { audioDuration } from '../usage/audio-duration.js';

/** A media call's whole answer, for app code: the provider's bytes (and JSON), and what it used and cost. */
export interface MediaAnswer {
  provider: string;
  model: string;
  contentType: string;
  /** The answer as the provider sent it (the audio, for speech). */
  bytes: Buffer;
  /** The parsed JSON answer (images, JSON transcriptions); undefined for text, subtitles and audio. */
  json?: unknown;
  usage: TokenUsage;
  units?: MediaUnits;
  /** As on the usage row; `usd` null when no price is known. */
  cost?: CallCost;
}

/** Fields of an OpenAI-format media request as app code passes them: `model` plus the rest as the API names them. */
export type MediaFields = { model: string } & Record<string, unknown>;

/** Audio for a transcription or translation: the bytes (or a Blob, say `fs.openAsBlob`) and a file name. */
export interface AudioInput {
  data: Buffer | Uint8Array | Blob;
  filename: string;
  contentType?: string;
}

/** Reads a media result to its end. */
export async function readMediaAnswer(result: MediaResult): Promise<MediaAnswer> {
  const parts: Uint8Array[] = [];
  for await (const part of result.body) parts.push(part);
  const outcome = await result.outcome;
  if (outcome.error !== undefined) throw outcome.error;
  return {
    provider: result.provider,
    model: result.model,
    contentType: result.contentType,
    bytes: Buffer.concat(parts),
    ...(result.json === undefined ? {} : { json: result.json }),
    usage: outcome.usage,
    ...(outcome.units ? { units: outcome.units } : {}),
    ...(outcome.cost ? { cost: outcome.cost } : {}),
  };
}

/** An upload as a MediaFile, its length read from it where it can be. */
export async function mediaFileOf(audio: AudioInput): Promise<MediaFile> {
  const type = audio.contentType ?? (audio.data instanceof Blob ? audio.data.type : '') ?? '';
  const blob = audio.data instanceof Blob ? audio.data : new Blob([new Uint8Array(audio.data)], { type });
  const durationSeconds = await audioDuration(blob);
  return {
    blob,
    filename: audio.filename,
    contentType: type || 'application/octet-stream',
    size: blob.size,
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
  };
}

/** The fields of a request but `model` (and `file`), for the provider. */
export function withoutModel({
  model: _model,
  file: _file,
  ...fields
}: Record<string, unknown>): Record<string, unknown> {
  return fields;
}
