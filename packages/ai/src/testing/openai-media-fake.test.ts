import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import OpenAI, { toFile } from 'openai';
import { specErrors } from './__fixtures__/openai-spec-errors.js';
import { FakeUpstream, type RecordedFile } from './fake-upstream.js';
import { openAIFake } from './openai-fake.js';
import { DEFAULT_TRANSCRIPTION_TEXT, openAIMediaFake, TINY_PNG_BASE64 } from './openai-media-fake.js';
import { sineWav, wavDurationSeconds } from './wav.js';

// Stream events' schemas (TranscriptTextDeltaEvent...) are not vendored: those are checked field by field.

/** The parsed `data:` of each SSE event of a body (none has an `event:` line). */
function sseData(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      expect(block).toMatch(/^data: /);
      return JSON.parse(block.slice('data: '.length)) as Record<string, unknown>;
    });
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const TEXT = 'The beach was busy. People swam in the ocean!';

describe('openAIMediaFake over HTTP, read by the official SDK', () => {
  const fake = new FakeUpstream(openAIFake({ media: { text: TEXT } }));
  let client: OpenAI;
  let url: string;
  const tone = () => toFile(sineWav({ seconds: 2.5 }), 'tone.wav', { type: 'audio/wav' });
  beforeAll(async () => {
    url = await fake.listen();
    client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
  });
  beforeEach(() => {
    fake.handler = openAIFake({ media: { text: TEXT } });
  });
  afterAll(() => fake.close());

  describe('images/generations', () => {
    it('answers a GPT image model in base64 with its usage and settings', async () => {
      const answer = await client.images.generate({ model: 'gpt-image-1', prompt: 'A red fox', n: 2 });
      expect(specErrors('ImagesResponse', answer)).toEqual([]);
      expect(answer.data).toHaveLength(2);
      for (const image of answer.data ?? []) {
        expect(Buffer.from(image.b64_json ?? '', 'base64').subarray(0, 8)).toEqual(PNG_SIGNATURE);
        expect(image.url).toBeUndefined();
      }
      expect(answer).toMatchObject({
        background: 'opaque',
        output_format: 'png',
        quality: 'medium',
        size: '1024x1024',
        usage: {
          input_tokens: 50,
          input_tokens_details: { text_tokens: 50, image_tokens: 0 },
          output_tokens: 2 * 1056,
          total_tokens: 50 + 2 * 1056,
        },
      });
      expect(fake.lastRequest).toMatchObject({ method: 'POST', path: '/v1/images/generations' });
      expect(fake.lastBody).toEqual({ model: 'gpt-image-1', prompt: 'A red fox', n: 2 });
      expect(fake.lastRequest?.rawBody?.toString()).toBe(JSON.stringify(fake.lastBody));
    });

    it('echoes the asked quality, size, format and background, priced by them', async () => {
      const answer = await client.images.generate({
        model: 'gpt-image-1-mini',
        prompt: 'A red fox',
        quality: 'high',
        size: '1536x1024',
        output_format: 'webp',
        background: 'transparent',
      });
      expect(specErrors('ImagesResponse', answer)).toEqual([]);
      expect(answer).toMatchObject({
        background: 'transparent',
        output_format: 'webp',
        quality: 'high',
        size: '1536x1024',
        usage: { output_tokens: 6240 },
      });
    });

    it('takes usage from the options, or none', async () => {
      const usage = {
        input_tokens: 7,
        input_tokens_details: { text_tokens: 5, image_tokens: 2 },
        output_tokens: 9,
        total_tokens: 16,
      };
      fake.handler = openAIFake({ media: { imageUsage: usage } });
      expect((await client.images.generate({ model: 'gpt-image-1', prompt: 'x' })).usage).toEqual(usage);
      fake.handler = openAIFake({ media: { imageUsage: null } });
      expect((await client.images.generate({ model: 'gpt-image-1', prompt: 'x' })).usage).toBeUndefined();
    });

    it('answers dall-e-2 with URLs (its default) and no usage', async () => {
      const answer = await client.images.generate({ model: 'dall-e-2', prompt: 'A red fox', n: 2 });
      expect(specErrors('ImagesResponse', answer)).toEqual([]);
      expect(answer).toEqual({
        created: expect.any(Number),
        data: [
          { url: 'https://fake.openai.invalid/images/0.png' },
          { url: 'https://fake.openai.invalid/images/1.png' },
        ],
      });
    });

    it('answers dall-e-3 in base64 when asked, with its revised prompt', async () => {
      const answer = await client.images.generate({
        model: 'dall-e-3',
        prompt: 'A red fox',
        response_format: 'b64_json',
      });
      expect(specErrors('ImagesResponse', answer)).toEqual([]);
      expect(answer.data).toEqual([
        { b64_json: TINY_PNG_BASE64, revised_prompt: expect.stringContaining('fox') },
      ]);
      expect(answer.usage).toBeUndefined();
    });

    it('refuses a request without a prompt', async () => {
      await expect(
        client.images.generate({ model: 'dall-e-2' } as unknown as OpenAI.ImageGenerateParamsNonStreaming),
      ).rejects.toMatchObject({ status: 400, error: { type: 'invalid_request_error' } });
    });
  });

  describe('audio/transcriptions', () => {
    it('answers json with whisper-1 billed by the second, and records the multipart body', async () => {
      const answer = await client.audio.transcriptions.create({
        model: 'whisper-1',
        file: await tone(),
        language: 'en',
        temperature: 0,
      });
      expect(specErrors('CreateTranscriptionResponseJson', answer)).toEqual([]);
      expect(answer).toEqual({ text: TEXT, usage: { type: 'duration', seconds: 3 } });

      const recorded = fake.lastRequest;
      expect(recorded?.path).toBe('/v1/audio/transcriptions');
      expect(recorded?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const wav = sineWav({ seconds: 2.5 });
      expect(fake.lastBody).toEqual({
        model: 'whisper-1',
        language: 'en',
        temperature: '0',
        file: { filename: 'tone.wav', contentType: 'audio/wav', size: wav.length, bytes: wav },
      });
      expect(recorded?.rawBody?.length).toBeGreaterThan(wav.length);
    });

    it('answers json with gpt-4o-transcribe billed in tokens', async () => {
      const answer = await client.audio.transcriptions.create({
        model: 'gpt-4o-transcribe',
        file: await tone(),
        prompt: 'A beach',
      });
      expect(specErrors('CreateTranscriptionResponseJson', answer)).toEqual([]);
      const output = Math.ceil(TEXT.length / 4);
      expect(answer.usage).toEqual({
        type: 'tokens',
        input_tokens: 25 + 2,
        input_token_details: { text_tokens: 2, audio_tokens: 25 },
        output_tokens: output,
        total_tokens: 27 + output,
      });
    });

    it('answers text as text/plain', async () => {
      const { data, response } = await client.audio.transcriptions
        .create({ model: 'whisper-1', file: await tone(), response_format: 'text' })
        .withResponse();
      expect(data).toBe(`${TEXT}\n`);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    });

    it('answers srt and vtt, one cue per sentence over the audio', async () => {
      const srt = await client.audio.transcriptions.create({
        model: 'whisper-1',
        file: await tone(),
        response_format: 'srt',
      });
      expect(srt).toBe(
        '1\n00:00:00,000 --> 00:00:01,080\nThe beach was busy.\n\n' +
          '2\n00:00:01,080 --> 00:00:02,500\nPeople swam in the ocean!\n\n',
      );
      const vtt = await client.audio.transcriptions.create({
        model: 'whisper-1',
        file: await tone(),
        response_format: 'vtt',
      });
      expect(vtt).toBe(
        'WEBVTT\n\n00:00:00.000 --> 00:00:01.080\nThe beach was busy.\n\n' +
          '00:00:01.080 --> 00:00:02.500\nPeople swam in the ocean!\n\n',
      );
    });

    it('answers verbose_json with segments and, when asked, words', async () => {
      const answer = await client.audio.transcriptions.create({
        model: 'whisper-1',
        file: await tone(),
        response_format: 'verbose_json',
        timestamp_granularities: ['word', 'segment'],
      });
      expect(specErrors('CreateTranscriptionResponseVerboseJson', answer)).toEqual([]);
      expect(fake.lastBody['timestamp_granularities[]']).toEqual(['word', 'segment']);
      expect(fake.lastBody.response_format).toBe('verbose_json');
      expect(answer).toMatchObject({
        task: 'transcribe',
        language: 'english',
        duration: 2.5,
        text: TEXT,
        usage: { type: 'duration', seconds: 3 },
      });
      expect(answer.segments?.map((s) => [s.id, s.start, s.end, s.text])).toEqual([
        [0, 0, 1.08, ' The beach was busy.'],
        [1, 1.08, 2.5, ' People swam in the ocean!'],
      ]);
      expect(answer.words?.map((w) => w.word)).toEqual([
        'The',
        'beach',
        'was',
        'busy',
        'People',
        'swam',
        'in',
        'the',
        'ocean',
      ]);
      expect(answer.words?.at(-1)?.end).toBe(2.5);
    });

    it('leaves segments out when only words are asked for, and words when none are', async () => {
      const words = await client.audio.transcriptions.create({
        model: 'whisper-1',
        file: await tone(),
        response_format: 'verbose_json',
        timestamp_granularities: ['word'],
      });
      expect(specErrors('CreateTranscriptionResponseVerboseJson', words)).toEqual([]);
      expect(fake.lastBody['timestamp_granularities[]']).toBe('word');
      expect(words.words).toHaveLength(9);
      expect(words.segments).toBeUndefined();
      const plain = await client.audio.transcriptions.create({
        model: 'whisper-1',
        file: await tone(),
        response_format: 'verbose_json',
      });
      expect(plain.segments).toHaveLength(2);
      expect(plain.words).toBeUndefined();
    });

    it('streams transcript.text.delta events then transcript.text.done with gpt-4o-transcribe', async () => {
      const stream = await client.audio.transcriptions.create({
        model: 'gpt-4o-transcribe',
        file: await tone(),
        stream: true,
      });
      const events: OpenAI.Audio.TranscriptionStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      expect(fake.lastBody.stream).toBe('true');
      const last = events.at(-1);
      const deltas = events.slice(0, -1);
      expect(deltas.length).toBeGreaterThan(3);
      for (const event of deltas) {
        expect(Object.keys(event).sort()).toEqual(['delta', 'type']);
        expect(event.type).toBe('transcript.text.delta');
      }
      expect(deltas.map((e) => (e as { delta: string }).delta).join('')).toBe(TEXT);
      expect(last).toEqual({
        type: 'transcript.text.done',
        text: TEXT,
        usage: {
          type: 'tokens',
          input_tokens: 25,
          input_token_details: { text_tokens: 0, audio_tokens: 25 },
          output_tokens: Math.ceil(TEXT.length / 4),
          total_tokens: 25 + Math.ceil(TEXT.length / 4),
        },
      });
    });

    it('sends the stream as bare data: events, with no [DONE]', async () => {
      const form = new FormData();
      form.append('model', 'gpt-4o-mini-transcribe');
      form.append('stream', 'true');
      form.append(
        'file',
        new Blob([new Uint8Array(sineWav({ seconds: 1 }))], { type: 'audio/wav' }),
        'a.wav',
      );
      const response = await fetch(`${url}/v1/audio/transcriptions`, { method: 'POST', body: form });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const text = await response.text();
      expect(text).not.toMatch(/^event:|\[DONE\]/m);
      const events = sseData(text);
      expect(events.at(-1)).toMatchObject({ type: 'transcript.text.done', usage: { input_tokens: 10 } });
    });

    it('refuses formats the gpt-4o models do not have, and a missing file', async () => {
      await expect(
        client.audio.transcriptions.create({
          model: 'gpt-4o-mini-transcribe',
          file: await tone(),
          response_format: 'verbose_json',
        }),
      ).rejects.toMatchObject({
        status: 400,
        error: { type: 'invalid_request_error', code: 'unsupported_value' },
      });
      const form = new FormData();
      form.append('model', 'whisper-1');
      const response = await fetch(`${url}/v1/audio/transcriptions`, { method: 'POST', body: form });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          message: "Missing required parameter: 'file'.",
          type: 'invalid_request_error',
          param: null,
          code: 'missing_required_parameter',
        },
      });
    });

    it('counts a file that is not a WAV at 128 kbps, unless durationSeconds says', async () => {
      const mp3 = () => toFile(Buffer.alloc(48_000, 1), 'a.mp3', { type: 'audio/mpeg' });
      const answer = await client.audio.transcriptions.create({ model: 'whisper-1', file: await mp3() });
      expect(answer.usage).toEqual({ type: 'duration', seconds: 3 });
      fake.handler = openAIFake({ media: { durationSeconds: 61.2 } });
      const told = await client.audio.transcriptions.create({ model: 'whisper-1', file: await mp3() });
      expect(told).toEqual({
        text: DEFAULT_TRANSCRIPTION_TEXT,
        usage: { type: 'duration', seconds: 62 },
      });
    });
  });

  describe('audio/translations', () => {
    it('answers json, verbose_json and text (task translate, no streaming)', async () => {
      const json = await client.audio.translations.create({ model: 'whisper-1', file: await tone() });
      expect(specErrors('CreateTranslationResponseJson', json)).toEqual([]);
      expect(json).toEqual({ text: TEXT });
      expect(fake.lastRequest?.path).toBe('/v1/audio/translations');
      expect((fake.lastBody.file as RecordedFile).size).toBe(sineWav({ seconds: 2.5 }).length);

      const verbose = (await client.audio.translations.create({
        model: 'whisper-1',
        file: await tone(),
        response_format: 'verbose_json',
      })) as OpenAI.Audio.TranslationVerbose;
      expect(specErrors('CreateTranslationResponseVerboseJson', verbose)).toEqual([]);
      expect(verbose).toMatchObject({ task: 'translate', language: 'english', duration: 2.5, text: TEXT });
      expect(verbose.segments).toHaveLength(2);

      const text = await client.audio.translations.create({
        model: 'whisper-1',
        file: await tone(),
        response_format: 'text',
      });
      expect(text).toBe(`${TEXT}\n`);
    });
  });

  describe('audio/speech', () => {
    const input = 'Today is a wonderful day to build something people love!';

    it('sends mp3 audio, chunked, sized by the input', async () => {
      const { data, response } = await client.audio.speech
        .create({ model: 'gpt-4o-mini-tts', voice: 'coral', input })
        .withResponse();
      expect(response.headers.get('content-type')).toBe('audio/mpeg');
      expect(response.headers.get('transfer-encoding')).toBe('chunked');
      const audio = Buffer.from(await data.arrayBuffer());
      expect(audio.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfb]));
      expect(fake.lastBody).toEqual({ model: 'gpt-4o-mini-tts', voice: 'coral', input });

      const short = Buffer.from(
        await (
          await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hi there' })
        ).arrayBuffer(),
      );
      expect(short.length).toBeLessThan(audio.length);
      const again = Buffer.from(
        await (
          await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hi there' })
        ).arrayBuffer(),
      );
      expect(again).toEqual(short);
    });

    it.each([
      ['opus', 'audio/opus'],
      ['aac', 'audio/aac'],
      ['flac', 'audio/flac'],
      ['wav', 'audio/wav'],
      ['pcm', 'audio/pcm'],
    ] as const)('sends %s as %s', async (format, contentType) => {
      const response = await client.audio.speech.create({
        model: 'tts-1',
        voice: 'alloy',
        input,
        response_format: format,
      });
      expect(response.headers.get('content-type')).toBe(contentType);
      const audio = Buffer.from(await response.arrayBuffer());
      expect(audio.length).toBeGreaterThan(1000);
      if (format === 'wav') expect(wavDurationSeconds(audio)).toBeCloseTo(input.length / 15, 3);
      if (format === 'pcm') expect(audio.length).toBe(Math.round((input.length / 15) * 24000) * 2);
    });

    it('streams speech.audio.delta events then speech.audio.done with sse', async () => {
      const response = await client.audio.speech.create({
        model: 'gpt-4o-mini-tts',
        voice: 'coral',
        input,
        response_format: 'pcm',
        stream_format: 'sse',
      });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = sseData(await response.text());
      const deltas = events.slice(0, -1);
      expect(deltas).toHaveLength(4);
      for (const event of deltas) expect(Object.keys(event).sort()).toEqual(['audio', 'type']);
      expect(deltas.map((e) => e.type)).toEqual(Array(4).fill('speech.audio.delta'));
      const audio = Buffer.concat(deltas.map((e) => Buffer.from(String(e.audio), 'base64')));
      const whole = await client.audio.speech.create({
        model: 'gpt-4o-mini-tts',
        voice: 'coral',
        input,
        response_format: 'pcm',
      });
      expect(audio).toEqual(Buffer.from(await whole.arrayBuffer()));
      const inputTokens = Math.ceil(input.length / 4);
      const outputTokens = Math.round((input.length / 15) * 20);
      expect(events.at(-1)).toEqual({
        type: 'speech.audio.done',
        usage: {
          input_tokens: inputTokens,
          output_tokens: outputTokens,
          total_tokens: inputTokens + outputTokens,
        },
      });
    });

    it('spaces the chunks by chunkDelayMs', async () => {
      fake.handler = openAIFake({ media: { chunkDelayMs: 40 } });
      const started = Date.now();
      const response = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input });
      await response.arrayBuffer();
      expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 40 - 5);
    });
  });
});

describe('openAIMediaFake without a server', () => {
  const media = openAIMediaFake();
  const upload = (fields: Record<string, unknown>) => ({
    method: 'POST',
    path: '/v1/audio/transcriptions',
    headers: {},
    body: {
      file: { filename: 'a.wav', contentType: 'audio/wav', size: 0, bytes: sineWav({ seconds: 1 }) },
      ...fields,
    },
  });

  it('ignores stream for whisper-1 (as OpenAI does)', () => {
    expect(media(upload({ model: 'whisper-1', stream: 'true' }))).toMatchObject({
      kind: 'json',
      body: { text: DEFAULT_TRANSCRIPTION_TEXT, usage: { type: 'duration', seconds: 1 } },
    });
  });

  it('answers 404 on another path', () => {
    expect(media({ method: 'POST', path: '/v1/images/edits', headers: {}, body: {} })).toMatchObject({
      kind: 'json',
      status: 404,
    });
  });
});

describe('FakeUpstream', () => {
  const fake = new FakeUpstream(() => ({ kind: 'json', body: {} }));
  let url: string;
  beforeAll(async () => {
    url = await fake.listen();
  });
  afterAll(() => fake.close());

  it('records a multipart body: repeated names as arrays, files with their bytes', async () => {
    const form = new FormData();
    form.append('model', 'm');
    form.append('include[]', 'logprobs');
    form.append('include[]', 'other');
    form.append('image[]', new Blob(['one'], { type: 'image/png' }), 'a.png');
    form.append('image[]', new Blob(['three'], { type: 'image/png' }), 'b.png');
    form.append('file', new Blob([Buffer.from([0, 1, 2])]), 'raw.bin');
    await fetch(`${url}/x`, { method: 'POST', body: form });
    expect(fake.lastBody).toEqual({
      model: 'm',
      'include[]': ['logprobs', 'other'],
      'image[]': [
        { filename: 'a.png', contentType: 'image/png', size: 3, bytes: Buffer.from('one') },
        { filename: 'b.png', contentType: 'image/png', size: 5, bytes: Buffer.from('three') },
      ],
      file: {
        filename: 'raw.bin',
        contentType: 'application/octet-stream',
        size: 3,
        bytes: Buffer.from([0, 1, 2]),
      },
    });
  });

  it('keeps the raw bytes of every request, and text that is not JSON', async () => {
    await fetch(`${url}/x`, { method: 'POST', body: 'not json', headers: { 'content-type': 'text/plain' } });
    expect(fake.lastRequest).toMatchObject({ body: 'not json', rawBody: Buffer.from('not json') });
    await fetch(`${url}/x`);
    expect(fake.lastRequest).toMatchObject({ body: undefined, rawBody: Buffer.alloc(0) });
  });

  it('writes a bytes reply chunk by chunk, with its status and headers', async () => {
    fake.enqueue({
      kind: 'bytes',
      status: 201,
      contentType: 'application/x-test',
      headers: { 'x-extra': '1' },
      chunks: ['ab', Buffer.from('cd'), 'ef'],
      chunkDelayMs: 20,
    });
    const arrivals: string[] = [];
    const status = await new Promise<{ status?: number; headers: Record<string, unknown> }>(
      (resolve, reject) => {
        httpRequest(`${url}/bytes`, (res) => {
          res.on('data', (chunk: Buffer) => arrivals.push(chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode, headers: res.headers }));
        })
          .on('error', reject)
          .end();
      },
    );
    expect(status).toMatchObject({
      status: 201,
      headers: { 'content-type': 'application/x-test', 'x-extra': '1', 'transfer-encoding': 'chunked' },
    });
    expect(arrivals).toEqual(['ab', 'cd', 'ef']);
  });
});
