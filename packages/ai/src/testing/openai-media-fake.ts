import type { FakeReply, RecordedFile, RecordedRequest } from './fake-upstream.js';
import { openAIError } from './openai-fake.js';
import { sinePcm, sineWav, wavDurationSeconds } from './wav.js';

/** What the fake OpenAI media endpoints answer with. */
export interface OpenAIMediaFakeOptions {
  /** Text of transcriptions and translations (default `Hello from the fake transcription.`). */
  text?: string;
  /**
   * The `usage` of GPT image model answers (default: 50 text tokens in, OpenAI's image
   * tokens per quality and size out: 1056 per medium 1024x1024 image); `null` leaves it out.
   * `dall-e-*` answers never have one.
   */
  imageUsage?: Record<string, unknown> | null;
  /**
   * The `usage` of transcriptions (json, verbose_json, the stream's `transcript.text.done`);
   * default `{ type: 'duration', seconds }` for whisper-1, `{ type: 'tokens', … }` for the
   * `*-transcribe` models; `null` leaves it out.
   */
  transcriptionUsage?: Record<string, unknown> | null;
  /** The usage of the `speech.audio.done` event (default: from the input's and audio's length). */
  speechUsage?: { input_tokens: number; output_tokens: number; total_tokens: number };
  /**
   * The length of uploaded audio, in seconds, over what the file says (a WAV's header);
   * an upload that is not a WAV counts as 128 kbps (16,000 bytes a second) without it.
   */
  durationSeconds?: number;
  /** Delay between speech audio chunks and between streamed events, in ms. */
  chunkDelayMs?: number;
}

export const DEFAULT_TRANSCRIPTION_TEXT = 'Hello from the fake transcription.';

/** A valid 1×1 PNG, the image every b64_json answer holds. */
export const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** Content type of each speech `response_format`, as OpenAI sends it. */
export const SPEECH_CONTENT_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

const CREATED = 1_763_000_000;
const TEXT_PLAIN = 'text/plain; charset=utf-8';
/** Output tokens of one GPT image, by quality, for a square and for a 3:2 image (OpenAI's table). */
const IMAGE_TOKENS: Record<string, [square: number, oblong: number]> = {
  low: [272, 408],
  medium: [1056, 1584],
  high: [4160, 6240],
};
const IMAGE_TEXT_TOKENS = 50;
/** The sample rate of OpenAI's speech audio (`pcm` and `wav`). */
const SPEECH_SAMPLE_RATE = 24000;
const SPEECH_CHUNKS = 4;

type Json = Record<string, unknown>;

/**
 * A FakeHandler speaking OpenAI's media endpoints in their wire formats (the OpenAPI
 * spec's ImagesResponse, CreateTranscriptionResponse*, CreateTranslationResponse*, the
 * transcript.text.* and speech.audio.* events): `POST /v1/images/generations` (JSON),
 * `/v1/audio/transcriptions` and `/v1/audio/translations` (multipart: the length of the
 * audio comes from the uploaded WAV), `/v1/audio/speech` (audio bytes sent in chunks, or
 * SSE with `stream_format: 'sse'`). `openAIFake` hands it these paths.
 */
export function openAIMediaFake(
  options: OpenAIMediaFakeOptions = {},
): (request: RecordedRequest) => FakeReply {
  return (request: RecordedRequest): FakeReply => {
    const path = request.path.replace(/\?.*$/, '');
    const body = isObject(request.body) ? request.body : {};
    if (request.method === 'POST') {
      if (path.endsWith('/images/generations')) return images(body, options);
      if (path.endsWith('/audio/transcriptions')) return audioText('transcribe', body, options);
      if (path.endsWith('/audio/translations')) return audioText('translate', body, options);
      if (path.endsWith('/audio/speech')) return speech(body, options);
    }
    return openAIError(404, 'invalid_request_error', `Unknown path ${path}`);
  };
}

function images(body: Json, options: OpenAIMediaFakeOptions): FakeReply {
  if (typeof body.prompt !== 'string' || !body.prompt) return missing('prompt');
  const model = typeof body.model === 'string' && body.model ? body.model : 'dall-e-2';
  const n = typeof body.n === 'number' && body.n > 0 ? Math.floor(body.n) : 1;
  if (/gpt-image/.test(model)) {
    // The GPT image models always answer base64, and say what they made.
    const quality = oneOf(body.quality, ['low', 'medium', 'high']) ?? 'medium';
    const size =
      typeof body.size === 'string' && /^\d+x\d+$/.test(body.size) ? body.size : ('1024x1024' as string);
    const [width = 1024, height = 1024] = size.split('x').map(Number);
    const [square, oblong] = IMAGE_TOKENS[quality] as [number, number];
    const perImage =
      size === '1024x1024'
        ? square
        : size === '1536x1024' || size === '1024x1536'
          ? oblong
          : Math.round((square * width * height) / (1024 * 1024));
    const usage =
      options.imageUsage === null
        ? undefined
        : (options.imageUsage ?? {
            input_tokens: IMAGE_TEXT_TOKENS,
            input_tokens_details: { text_tokens: IMAGE_TEXT_TOKENS, image_tokens: 0 },
            output_tokens: perImage * n,
            total_tokens: IMAGE_TEXT_TOKENS + perImage * n,
          });
    return {
      kind: 'json',
      body: {
        created: CREATED,
        background: body.background === 'transparent' ? 'transparent' : 'opaque',
        data: Array.from({ length: n }, () => ({ b64_json: TINY_PNG_BASE64 })),
        output_format: oneOf(body.output_format, ['png', 'jpeg', 'webp']) ?? 'png',
        quality,
        size,
        ...(usage ? { usage } : {}),
      },
    };
  }
  // dall-e-*: a URL unless base64 is asked for (OpenAI's default is `url`); no usage.
  const asUrl = body.response_format !== 'b64_json';
  return {
    kind: 'json',
    body: {
      created: CREATED,
      data: Array.from({ length: n }, (_, i) => ({
        ...(asUrl ? { url: `https://fake.openai.invalid/images/${i}.png` } : { b64_json: TINY_PNG_BASE64 }),
        ...(model === 'dall-e-3' ? { revised_prompt: `A detailed rendering of: ${body.prompt}` } : {}),
      })),
    },
  };
}

function audioText(task: 'transcribe' | 'translate', body: Json, options: OpenAIMediaFakeOptions): FakeReply {
  const file = fileOf(body.file);
  if (!file) return missing('file');
  if (typeof body.model !== 'string' || !body.model) return missing('model');
  const model = body.model;
  const format = typeof body.response_format === 'string' ? body.response_format : 'json';
  // whisper-1 bills the audio's seconds; the *-transcribe models bill tokens and answer json or text only.
  const byTokens = /transcribe/.test(model);
  if (byTokens && ['srt', 'vtt', 'verbose_json'].includes(format)) {
    return openAIError(
      400,
      'invalid_request_error',
      `response_format '${format}' is not compatible with model '${model}'. Use 'json' or 'text'.`,
      undefined,
      'unsupported_value',
    );
  }
  const seconds = options.durationSeconds ?? wavDurationSeconds(file.bytes) ?? file.size / 16000;
  const text = options.text ?? DEFAULT_TRANSCRIPTION_TEXT;
  const prompt = typeof body.prompt === 'string' ? body.prompt : '';
  const usage =
    task === 'translate' || options.transcriptionUsage === null
      ? undefined
      : (options.transcriptionUsage ?? transcriptionUsage(byTokens, seconds, text, prompt));

  if (task === 'transcribe' && byTokens && body.stream === 'true') {
    const deltas = text.match(/\s*\S+/g) ?? [text];
    return {
      kind: 'sse',
      events: [
        ...deltas.map((delta) => `data: ${JSON.stringify({ type: 'transcript.text.delta', delta })}`),
        `data: ${JSON.stringify({ type: 'transcript.text.done', text, ...(usage ? { usage } : {}) })}`,
      ],
      eventDelayMs: options.chunkDelayMs,
    };
  }
  const segments = segmentsOf(text, seconds);
  switch (format) {
    case 'text':
      return { kind: 'bytes', contentType: TEXT_PLAIN, chunks: [`${text}\n`] };
    case 'srt':
      return { kind: 'bytes', contentType: TEXT_PLAIN, chunks: [srt(segments)] };
    case 'vtt':
      return { kind: 'bytes', contentType: TEXT_PLAIN, chunks: [vtt(segments)] };
    case 'verbose_json': {
      const granularities = listOf(body['timestamp_granularities[]'] ?? body.timestamp_granularities);
      const withSegments = granularities.length === 0 || granularities.includes('segment');
      return {
        kind: 'json',
        body: {
          task,
          language: 'english',
          duration: seconds,
          text,
          ...(task === 'translate' || withSegments ? { segments } : {}),
          ...(task === 'transcribe' && granularities.includes('word')
            ? { words: wordsOf(text, seconds) }
            : {}),
          ...(usage ? { usage } : {}),
        },
      };
    }
    default:
      return { kind: 'json', body: { text, ...(usage ? { usage } : {}) } };
  }
}

function transcriptionUsage(byTokens: boolean, seconds: number, text: string, prompt: string): Json {
  if (!byTokens) return { type: 'duration', seconds: Math.ceil(seconds) };
  const audioTokens = Math.round(seconds * 10);
  const textTokens = tokensOf(prompt);
  const outputTokens = tokensOf(text);
  return {
    type: 'tokens',
    input_tokens: audioTokens + textTokens,
    input_token_details: { text_tokens: textTokens, audio_tokens: audioTokens },
    output_tokens: outputTokens,
    total_tokens: audioTokens + textTokens + outputTokens,
  };
}

interface Segment {
  id: number;
  seek: number;
  start: number;
  end: number;
  text: string;
  tokens: number[];
  temperature: number;
  avg_logprob: number;
  compression_ratio: number;
  no_speech_prob: number;
}

/** Whisper's segments: one per sentence, timed in proportion to its length. */
function segmentsOf(text: string, seconds: number): Segment[] {
  const sentences = text.split(/(?<=[.!?])\s+/).filter(Boolean);
  return timed(sentences, seconds).map(({ part, start, end }, id) => ({
    id,
    seek: 0,
    start,
    end,
    text: ` ${part}`,
    tokens: [50364, ...part.split(/\s+/).map((_, i) => 1000 + i), 50364 + Math.round(end / 0.02)],
    temperature: 0,
    avg_logprob: -0.25,
    compression_ratio: 1.2,
    no_speech_prob: 0.01,
  }));
}

/** Whisper's words (without punctuation), timed in proportion to their length. */
function wordsOf(text: string, seconds: number): { word: string; start: number; end: number }[] {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}'-]/gu, ''))
    .filter(Boolean);
  return timed(words, seconds).map(({ part, start, end }) => ({ word: part, start, end }));
}

function timed(parts: string[], seconds: number): { part: string; start: number; end: number }[] {
  const total = parts.reduce((n, p) => n + p.length, 0) || 1;
  let at = 0;
  return parts.map((part, i) => {
    const start = round2((at / total) * seconds);
    at += part.length;
    const end = i === parts.length - 1 ? seconds : round2((at / total) * seconds);
    return { part, start, end };
  });
}

function srt(segments: Segment[]): string {
  return segments
    .map((s, i) => `${i + 1}\n${clock(s.start, ',')} --> ${clock(s.end, ',')}\n${s.text.trim()}\n\n`)
    .join('');
}

function vtt(segments: Segment[]): string {
  return `WEBVTT\n\n${segments.map((s) => `${clock(s.start, '.')} --> ${clock(s.end, '.')}\n${s.text.trim()}\n\n`).join('')}`;
}

/** `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (WebVTT). */
function clock(seconds: number, separator: string): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

function speech(body: Json, options: OpenAIMediaFakeOptions): FakeReply {
  if (typeof body.model !== 'string' || !body.model) return missing('model');
  if (typeof body.input !== 'string' || !body.input) return missing('input');
  const format = oneOf(body.response_format, Object.keys(SPEECH_CONTENT_TYPES)) ?? 'mp3';
  // About 15 characters of speech a second.
  const seconds = Math.max(0.5, body.input.length / 15);
  const audio = speechAudio(format, seconds);
  const size = Math.ceil(audio.length / SPEECH_CHUNKS);
  const chunks = Array.from({ length: SPEECH_CHUNKS }, (_, i) =>
    audio.subarray(i * size, (i + 1) * size),
  ).filter((c) => c.length > 0);
  if (body.stream_format === 'sse') {
    const inputTokens =
      tokensOf(body.input) + tokensOf(typeof body.instructions === 'string' ? body.instructions : '');
    const outputTokens = Math.round(seconds * 20);
    const usage = options.speechUsage ?? {
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      total_tokens: inputTokens + outputTokens,
    };
    return {
      kind: 'sse',
      events: [
        ...chunks.map(
          (c) => `data: ${JSON.stringify({ type: 'speech.audio.delta', audio: c.toString('base64') })}`,
        ),
        `data: ${JSON.stringify({ type: 'speech.audio.done', usage })}`,
      ],
      eventDelayMs: options.chunkDelayMs,
    };
  }
  return {
    kind: 'bytes',
    contentType: SPEECH_CONTENT_TYPES[format] as string,
    chunks,
    chunkDelayMs: options.chunkDelayMs,
  };
}

/** `seconds` of audio in `format`: a real tone for wav and pcm, format-shaped filler otherwise. */
function speechAudio(format: string, seconds: number): Buffer {
  if (format === 'wav') return sineWav({ seconds, sampleRate: SPEECH_SAMPLE_RATE });
  if (format === 'pcm') return sinePcm({ seconds, sampleRate: SPEECH_SAMPLE_RATE });
  if (format === 'mp3') {
    // MPEG-1 Layer III frames, 128 kbps at 44.1 kHz (417 bytes, 1152 samples each), of silence.
    const frames = Math.ceil((seconds * 44100) / 1152);
    const frame = Buffer.alloc(417);
    frame.set([0xff, 0xfb, 0x90, 0x64]);
    return Buffer.concat(Array.from({ length: frames }, () => frame));
  }
  // 64 kbps of a fixed pattern behind the format's magic bytes.
  const magic = { opus: Buffer.from('OggS'), aac: Buffer.from([0xff, 0xf1]), flac: Buffer.from('fLaC') }[
    format as 'opus' | 'aac' | 'flac'
  ];
  const bytes = Buffer.alloc(Math.round(seconds * 8000), 0x55);
  magic.copy(bytes);
  return bytes;
}

function missing(param: string): FakeReply {
  return openAIError(
    400,
    'invalid_request_error',
    `Missing required parameter: '${param}'.`,
    undefined,
    'missing_required_parameter',
  );
}

/** OpenAI's tokens are about four characters. */
function tokensOf(text: string): number {
  return text ? Math.max(1, Math.ceil(text.length / 4)) : 0;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fileOf(value: unknown): RecordedFile | undefined {
  const file = Array.isArray(value) ? value[0] : value;
  return isObject(file) && Buffer.isBuffer(file.bytes) ? (file as unknown as RecordedFile) : undefined;
}

function listOf(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}
