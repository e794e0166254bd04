import { request as httpRequest } from 'node:http';
import { AiRuntime, computeMediaCost, type ModelPricing, unknownUsage } from '@aigw/ai';
import { FakeUpstream, openAIError, openAIFake, sineWav } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Decimal } from 'decimal.js';
import OpenAI, { toFile } from 'openai';
import { adminCreate } from './support/admin-api.js';
import { type Gateway, startGateway, startReplica } from './support/gateway.js';
import { openAISpecErrors } from './support/openai-spec/openai-spec.js';
import { waitForUsageRows } from './support/wait-for-rows.js';

const UPLOAD_LIMIT = 256 * 1024;

/**
 * Images and audio through the gateway with the official `openai` SDK, unchanged, against a
 * fake OpenAI speaking the real formats: each call one usage row with its unit, quantity
 * and cost.
 */
describe('images and audio (OpenAI format)', () => {
  let gateway: Gateway;
  const clientFor = async (userId: string, extra: Record<string, unknown> = {}) => {
    const { key } = await adminCreate<{ key: string }>(gateway.url, '/admin/keys', { userId, ...extra });
    return new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  };
  const rowsOf = (userId: string) => waitForUsageRows(gateway, { userId });

  beforeAll(async () => {
    gateway = await startGateway({ AUDIO_UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT) });
  });
  afterAll(() => gateway?.close());

  it('images.generate (dall-e-3): n images as b64_json, priced per image by quality and size', async () => {
    const openai = await clientFor('img-dalle');
    const images = await openai.images.generate({
      model: 'dall-e-3',
      prompt: 'A lighthouse at dawn',
      n: 2,
      size: '1024x1792',
      quality: 'hd',
      response_format: 'b64_json',
    });
    expect(images.data).toHaveLength(2);
    expect(images.data?.[0]?.b64_json).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(openAISpecErrors('ImagesResponse', images)).toEqual([]);
    expect(openAISpecErrors('CreateImageRequest', gateway.openai.lastBody)).toEqual([]);
    // The body went upstream as sent.
    expect(gateway.openai.lastRequest?.path).toBe('/v1/images/generations');
    expect(gateway.openai.lastBody).toEqual({
      model: 'dall-e-3',
      prompt: 'A lighthouse at dawn',
      n: 2,
      size: '1024x1792',
      quality: 'hd',
      response_format: 'b64_json',
    });
    const [row] = await rowsOf('img-dalle');
    expect(row).toMatchObject({ requestType: 'image', provider: 'openai', model: 'dall-e-3', unit: 'image' });
    expect(row?.quantity?.toString()).toBe('2');
    expect(row?.costUsd?.toString()).toBe('0.24');
    expect(row?.pricing).toMatchObject({ perImage: { 'hd/1024x1792': '0.12' } });
  });

  it('images.generate: url answers; gpt-image-1 is priced by the tokens it reports', async () => {
    const openai = await clientFor('img-gpt');
    const byUrl = await openai.images.generate({
      model: 'dall-e-2',
      prompt: 'A cat',
      response_format: 'url',
    });
    expect(byUrl.data?.[0]?.url).toMatch(/^https:\/\//);
    const tokens = await openai.images.generate({ model: 'gpt-image-1', prompt: 'A cat', quality: 'medium' });
    expect(tokens.usage?.output_tokens).toBeGreaterThan(0);
    expect(openAISpecErrors('ImagesResponse', tokens)).toEqual([]);
    const rows = await rowsOf('img-gpt');
    expect(rows).toHaveLength(2);
    const dalle = rows.find((r) => r.model === 'dall-e-2');
    expect(dalle?.costUsd?.toString()).toBe('0.02');
    const gpt = rows.find((r) => r.model === 'gpt-image-1');
    expect(gpt).toMatchObject({ usageSource: 'reported', unit: 'image' });
    expect(gpt?.promptTokens).toBe(tokens.usage?.input_tokens);
    expect(gpt?.completionTokens).toBe(tokens.usage?.output_tokens);
    // The row's cost is its tokens at the row's own prices.
    const pricing = gpt?.pricing as unknown as ModelPricing;
    const expected = new Decimal(tokens.usage?.input_tokens ?? 0)
      .mul(pricing.inputPerMTok)
      .plus(
        new Decimal(tokens.usage?.output_tokens ?? 0).mul(
          pricing.outputImagePerMTok ?? pricing.outputPerMTok,
        ),
      )
      .div(1_000_000);
    expect(new Decimal(gpt?.costUsd?.toString() ?? 'NaN').eq(expected)).toBe(true);
  });

  it('audio.transcriptions.create (whisper-1) with a real WAV: json, text and verbose_json with word timestamps', async () => {
    const openai = await clientFor('stt-whisper');
    const wav = sineWav({ seconds: 2.5 });
    const file = () => toFile(wav, 'tone.wav', { type: 'audio/wav' });
    const json = await openai.audio.transcriptions.create({
      model: 'whisper-1',
      file: await file(),
      language: 'en',
    });
    expect(typeof json.text).toBe('string');
    const upstream = gateway.openai.lastBody;
    expect(upstream.file).toMatchObject({ filename: 'tone.wav', size: wav.length });
    expect(upstream.model).toBe('whisper-1');
    expect(upstream.language).toBe('en');
    const text = await openai.audio.transcriptions.create({
      model: 'whisper-1',
      file: await file(),
      response_format: 'text',
    });
    expect(typeof text).toBe('string');
    const verbose = await openai.audio.transcriptions.create({
      model: 'whisper-1',
      file: await file(),
      response_format: 'verbose_json',
      timestamp_granularities: ['word', 'segment'],
    });
    expect(verbose.words?.length).toBeGreaterThan(0);
    expect(openAISpecErrors('CreateTranscriptionResponseJson', json)).toEqual([]);
    expect(openAISpecErrors('CreateTranscriptionResponseVerboseJson', verbose)).toEqual([]);
    expect(verbose.duration).toBeCloseTo(2.5, 1);
    const rows = await rowsOf('stt-whisper');
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({ requestType: 'transcription', unit: 'second', isSuccess: true });
      // Billed by the minute ($0.006), by the seconds the provider or the file says.
      const seconds = new Decimal(row.quantity?.toString() ?? 'NaN');
      expect(seconds.gte(2.5)).toBe(true);
      expect(new Decimal(row.costUsd?.toString() ?? 'NaN').eq(seconds.mul('0.006').div(60))).toBe(true);
      expect(row.pricing).toMatchObject({ perMinute: '0.006' });
    }
  });

  it('streams a gpt-4o-transcribe transcription as events, priced by its audio and text tokens', async () => {
    const openai = await clientFor('stt-stream');
    const stream = await openai.audio.transcriptions.create({
      model: 'gpt-4o-transcribe',
      file: await toFile(sineWav({ seconds: 1.5 }), 'tone.wav', { type: 'audio/wav' }),
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('transcript.text.done');
    expect(types).toContain('transcript.text.delta');
    const [row] = await rowsOf('stt-stream');
    expect(row).toMatchObject({ requestType: 'transcription', stream: true, usageSource: 'reported' });
    const audioTokens = ((row?.metadata ?? {}) as { usage?: { inputAudioTokens?: number } }).usage
      ?.inputAudioTokens;
    expect(audioTokens).toBeGreaterThan(0);
    const pricing = row?.pricing as unknown as ModelPricing;
    const expected = new Decimal(audioTokens ?? 0)
      .mul(pricing.inputAudioPerMTok ?? 'NaN')
      .plus(new Decimal((row?.promptTokens ?? 0) - (audioTokens ?? 0)).mul(pricing.inputPerMTok))
      .plus(new Decimal(row?.completionTokens ?? 0).mul(pricing.outputPerMTok))
      .div(1_000_000);
    expect(new Decimal(row?.costUsd?.toString() ?? 'NaN').eq(expected)).toBe(true);
  });

  it('audio.translations.create (whisper-1)', async () => {
    const openai = await clientFor('stt-translate');
    const translation = await openai.audio.translations.create({
      model: 'whisper-1',
      file: await toFile(sineWav({ seconds: 1 }), 'tone.wav', { type: 'audio/wav' }),
    });
    expect(typeof translation.text).toBe('string');
    expect(openAISpecErrors('CreateTranslationResponseJson', translation)).toEqual([]);
    expect(gateway.openai.lastRequest?.path).toBe('/v1/audio/translations');
    const [row] = await rowsOf('stt-translate');
    expect(row).toMatchObject({ requestType: 'translation', unit: 'second' });
  });

  it('audio.speech.create (tts-1): the audio streamed back with its content type, priced per character', async () => {
    const openai = await clientFor('tts');
    const input = 'The quick brown fox jumps over the lazy dog.';
    const response = await openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input });
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(0);
    const wav = await openai.audio.speech.create({
      model: 'tts-1',
      voice: 'alloy',
      input,
      response_format: 'wav',
    });
    expect(
      Buffer.from(await wav.arrayBuffer())
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('RIFF');
    const rows = await rowsOf('tts');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ requestType: 'speech', unit: 'character', isSuccess: true });
      expect(row.quantity?.toString()).toBe(String(input.length));
      expect(
        new Decimal(row.costUsd?.toString() ?? 'NaN').eq(new Decimal(input.length).mul(15).div(1_000_000)),
      ).toBe(true);
    }
  });

  it('bad input: a missing file, a file over the limit, a model without the capability, in OpenAI’s format', async () => {
    const openai = await clientFor('media-bad');
    const { key } = await adminCreate<{ key: string }>(gateway.url, '/admin/keys', {
      userId: 'media-bad-raw',
    });
    const form = new FormData();
    form.append('model', 'whisper-1');
    const missing = await fetch(`${gateway.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(missing.status).toBe(400);
    const missingBody = await missing.json();
    expect(missingBody).toMatchObject({ error: { type: 'invalid_request_error', message: /file/ } });
    expect(openAISpecErrors('ErrorResponse', missingBody)).toEqual([]);

    const big = await uploadRaw(gateway.url, key, Buffer.alloc(UPLOAD_LIMIT * 4, 1));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'request_too_large' },
    });

    await expect(openai.images.generate({ model: 'gpt-4o-mini', prompt: 'x' })).rejects.toMatchObject({
      status: 400,
      error: { message: expect.stringMatching(/cannot do image generation/) },
    });
    await expect(
      openai.audio.speech.create({ model: 'whisper-1', voice: 'alloy', input: 'x' }),
    ).rejects.toMatchObject({
      status: 400,
    });
    await expect(openai.images.generate({ model: 'dall-e-3', prompt: '' })).rejects.toMatchObject({
      status: 400,
    });
    // No provider was called for any of these.
    expect(await rowsOf('media-bad')).toEqual([]);
  });

  it('a provider’s refusal reaches the caller as it sent it, and is one failed row with no cost', async () => {
    const openai = await clientFor('media-refused');
    gateway.openai.enqueue(
      openAIError(400, 'invalid_request_error', 'Your prompt was rejected by the safety system.'),
    );
    await expect(openai.images.generate({ model: 'dall-e-3', prompt: 'nope' })).rejects.toMatchObject({
      status: 400,
      error: { message: 'Your prompt was rejected by the safety system.' },
    });
    const [row] = await rowsOf('media-refused');
    expect(row).toMatchObject({ requestType: 'image', isSuccess: false, costUsd: null, httpStatus: 400 });
  });

  it('a budget holds images back before the provider is called', async () => {
    const openai = await clientFor('media-budget', { budgetUsd: '0.05' });
    const sent = gateway.openai.requests.length;
    await expect(
      openai.images.generate({ model: 'dall-e-3', prompt: 'x', quality: 'hd', size: '1024x1024' }),
    ).rejects.toMatchObject({ status: 402 });
    expect(gateway.openai.requests.length).toBe(sent);
    // $0.04 fits.
    await openai.images.generate({ model: 'dall-e-3', prompt: 'x' });
    expect(gateway.openai.requests.length).toBe(sent + 1);
  });

  it('Groq transcribes (whisper-large-v3, priced per hour by the price data) and Gemini makes images (imagen, per image)', async () => {
    const groq = new FakeUpstream(openAIFake());
    const gemini = new FakeUpstream(openAIFake());
    const [groqUrl, geminiUrl] = await Promise.all([groq.listen(), gemini.listen()]);
    const other = await startReplica(gateway, {
      GROQ_API_KEY: 'gsk_UPSTREAMKEYUPSTREAMKEY0003',
      GROQ_BASE_URL: `${groqUrl}/openai/v1`,
      GEMINI_API_KEY: 'AIzaUPSTREAMKEYUPSTREAMKEY0004',
      GEMINI_BASE_URL: `${geminiUrl}/v1beta/openai`,
    });
    try {
      const { key } = await adminCreate<{ key: string }>(other.url, '/admin/keys', {
        userId: 'media-presets',
      });
      const openai = new OpenAI({ apiKey: key, baseURL: `${other.url}/v1`, maxRetries: 0 });
      const text = await openai.audio.transcriptions.create({
        model: 'groq/whisper-large-v3',
        file: await toFile(sineWav({ seconds: 2 }), 'tone.wav', { type: 'audio/wav' }),
        response_format: 'text',
      });
      expect(typeof text).toBe('string');
      expect(groq.lastRequest?.path).toBe('/openai/v1/audio/transcriptions');
      expect(groq.lastRequest?.headers.authorization).toBe('Bearer gsk_UPSTREAMKEYUPSTREAMKEY0003');
      expect(groq.lastBody.model).toBe('whisper-large-v3');
      const images = await openai.images.generate({
        model: 'gemini/imagen-3.0-generate-002',
        prompt: 'A fox',
        response_format: 'b64_json',
      });
      expect(images.data).toHaveLength(1);
      expect(gemini.lastRequest?.path).toBe('/v1beta/openai/images/generations');
      // Groq has no speech here: a 400 naming the model, not a call.
      await expect(
        openai.audio.speech.create({ model: 'groq/whisper-large-v3', voice: 'alloy', input: 'x' }),
      ).rejects.toMatchObject({ status: 400 });
      // Written by the other app: its writer flushed first.
      await other.app.get(AiRuntime).writer?.flush();
      const rows = await waitForUsageRows(gateway, { userId: 'media-presets' });
      expect(rows).toHaveLength(2);
      const groqRow = rows.find((r) => r.provider === 'groq');
      // $0.111 an hour of audio, 10 s at least a request (Groq's minimum): 2 s billed as 10.
      expect(groqRow).toMatchObject({ requestType: 'transcription', unit: 'second' });
      expect(groqRow?.quantity?.toString()).toBe('2');
      expect(
        new Decimal(groqRow?.costUsd?.toString() ?? 'NaN').eq(
          new Decimal('0.111').div(3600).mul(10).toDecimalPlaces(12),
        ),
      ).toBe(true);
      expect(groqRow?.pricing).toMatchObject({ minimumSeconds: 10 });
      const geminiRow = rows.find((r) => r.provider === 'gemini');
      expect(geminiRow).toMatchObject({ requestType: 'image', unit: 'image' });
      expect(geminiRow?.costUsd?.toString()).toBe('0.03');
    } finally {
      await other.close();
      await Promise.all([groq.close(), gemini.close()]);
    }
  });

  it('an answer cut part-way reaches the client as cut, never as whole; the row says so', async () => {
    const openai = await clientFor('media-cut');
    gateway.openai.enqueue({
      kind: 'bytes',
      contentType: 'audio/mpeg',
      chunks: [Buffer.alloc(8192, 1), Buffer.alloc(8192, 2), Buffer.alloc(8192, 3)],
      chunkDelayMs: 20,
      dropAfter: 2,
    });
    const speech = await openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Cut me off' });
    await expect(speech.arrayBuffer()).rejects.toThrow();
    gateway.openai.enqueue({
      kind: 'sse',
      events: [
        'data: {"type":"transcript.text.delta","delta":"Hel"}',
        'data: {"type":"transcript.text.delta","delta":"lo"}',
        'data: {"type":"transcript.text.delta","delta":"!"}',
      ],
      eventDelayMs: 20,
      dropAfter: 2,
    });
    const stream = await openai.audio.transcriptions.create({
      model: 'gpt-4o-transcribe',
      file: await toFile(sineWav({ seconds: 1 }), 'tone.wav', { type: 'audio/wav' }),
      stream: true,
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of stream) seen.push(event.type);
      })(),
    ).rejects.toThrow(/after the provider accepted the call/);
    // What came before the cut (the last event may be lost with the connection), never a done event.
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.every((type) => type === 'transcript.text.delta')).toBe(true);
    const rows = await rowsOf('media-cut');
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ isSuccess: false, errorCode: 'upstream_error' });
  });

  it('an answer unreadable after a 200 is not retried (it may be billed): one row', async () => {
    const openai = await clientFor('media-bad-json');
    const sent = gateway.openai.requests.length;
    gateway.openai.enqueue({
      kind: 'bytes',
      contentType: 'application/json',
      chunks: ['{"created":1,"data":['],
    });
    await expect(openai.images.generate({ model: 'dall-e-3', prompt: 'x' })).rejects.toMatchObject({
      status: 502,
    });
    expect(gateway.openai.requests.length).toBe(sent + 1);
    expect(await rowsOf('media-bad-json')).toHaveLength(1);
  });

  it('audio whose length cannot be read is held against a budget by its size', async () => {
    const openai = await clientFor('media-unreadable', { budgetUsd: '0.00001' });
    const sent = gateway.openai.requests.length;
    await expect(
      openai.audio.transcriptions.create({
        model: 'whisper-1',
        file: await toFile(Buffer.alloc(5000, 7), 'noise.mp3', { type: 'audio/mpeg' }),
        response_format: 'text',
      }),
    ).rejects.toMatchObject({ status: 402 });
    expect(gateway.openai.requests.length).toBe(sent);
  });

  it('routes a media call past targets that cannot take it, and a stream only to a model that streams', async () => {
    const openai = await clientFor('media-alias');
    // An unlisted model on a provider with the endpoint is the provider's to judge.
    const images = await openai.images.generate({ model: 'openai/gpt-image-1-mini', prompt: 'x' });
    expect(images.data).toHaveLength(1);
    await expect(
      openai.audio.transcriptions.create({
        model: 'whisper-1',
        file: await toFile(sineWav({ seconds: 1 }), 'tone.wav', { type: 'audio/wav' }),
        stream: true,
      }),
    ).rejects.toMatchObject({
      status: 400,
      error: { message: expect.stringMatching(/cannot stream transcriptions/) },
    });
  });

  it('leaves the cost unknown, not zero, when no price is known', () => {
    const cost = computeMediaCost(
      { usage: unknownUsage(), units: { unit: 'image', quantity: 1 } },
      undefined,
      {},
    );
    expect(cost).toMatchObject({ usd: null, status: 'unpriced' });
    const noPrice = computeMediaCost(
      { usage: unknownUsage(), units: { unit: 'image', quantity: 1 } },
      { inputPerMTok: '0', outputPerMTok: '0', perImage: { 'hd/*': '0.08' }, source: 'x' },
      { quality: 'standard' },
    );
    expect(noPrice.usd).toBeNull();
  });
});

/** A multipart upload written by hand, as a client that keeps sending after the limit would. */
function uploadRaw(url: string, key: string, file: Buffer): Promise<{ status: number; body: string }> {
  const boundary = 'aigw-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.wav"\r\n` +
      'content-type: audio/wav\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(port),
        method: 'POST',
        path: '/v1/audio/transcriptions',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + file.length + tail.length),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.write(head);
    req.write(file);
    req.end(tail);
  });
}
