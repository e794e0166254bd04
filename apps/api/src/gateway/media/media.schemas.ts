import { z } from 'zod';

/** `POST /v1/images/generations` (OpenAI's CreateImageRequest); other fields pass through. */
export const imageRequestSchema = z.looseObject({
  prompt: z.string({ error: 'is required' }).min(1, 'must not be empty'),
  /** OpenAI's default when it is left out. */
  model: z.string().min(1, 'must not be empty').default('dall-e-2'),
  n: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(10, 'must be at most 10')
    .optional(),
  quality: z.enum(['standard', 'hd', 'low', 'medium', 'high', 'auto']).optional(),
  response_format: z.enum(['url', 'b64_json']).optional(),
  output_format: z.enum(['png', 'jpeg', 'webp']).optional(),
  output_compression: z.number().int().min(0).max(100).optional(),
  stream: z.boolean().optional(),
  partial_images: z.number().int().min(0).max(3).optional(),
  size: z.string().min(1).optional(),
  moderation: z.enum(['low', 'auto']).optional(),
  background: z.enum(['transparent', 'opaque', 'auto']).optional(),
  style: z.enum(['vivid', 'natural']).optional(),
  user: z.string().optional(),
});

/** A validated image generation request. */
export type ImageRequest = z.infer<typeof imageRequestSchema>;

/** `POST /v1/audio/speech` (OpenAI's CreateSpeechRequest); other fields pass through. */
export const speechRequestSchema = z.looseObject({
  model: z.string({ error: 'is required' }).min(1, 'is required'),
  input: z
    .string({ error: 'is required' })
    .min(1, 'must not be empty')
    .max(4096, 'must be at most 4096 characters'),
  instructions: z.string().max(4096, 'must be at most 4096 characters').optional(),
  voice: z.union([z.string().min(1), z.looseObject({ id: z.string().min(1) })], {
    error: 'is required: a voice name (alloy, ash, coral...) or { id }',
  }),
  response_format: z.enum(['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm']).optional(),
  speed: z.number().min(0.25, 'must be at least 0.25').max(4, 'must be at most 4').optional(),
  stream_format: z.enum(['sse', 'audio']).optional(),
});

/** A validated speech request. */
export type SpeechRequest = z.infer<typeof speechRequestSchema>;

const formNumber = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a number');
const formBoolean = z.enum(['true', 'false'], { error: 'must be true or false' });
/** A form field sent once or repeated (`name[]` several times). */
const formList = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]);

/**
 * The text fields of `POST /v1/audio/transcriptions` and `/translations` (multipart: every
 * value a string, repeated names arrays); other fields pass through as sent.
 */
export const audioFieldsSchema = z.looseObject({
  model: z.string({ error: 'is required' }).min(1, 'is required'),
  language: z.string().optional(),
  prompt: z.string().optional(),
  response_format: z
    .enum(['json', 'text', 'srt', 'verbose_json', 'vtt', 'diarized_json'], {
      error: 'must be one of json, text, srt, verbose_json, vtt, diarized_json',
    })
    .optional(),
  temperature: formNumber.optional(),
  stream: formBoolean.optional(),
  'timestamp_granularities[]': formList(
    z.enum(['word', 'segment'], { error: 'must be word or segment' }),
  ).optional(),
  timestamp_granularities: formList(
    z.enum(['word', 'segment'], { error: 'must be word or segment' }),
  ).optional(),
});

/** The validated text fields of an audio upload. */
export type AudioFields = z.infer<typeof audioFieldsSchema>;
