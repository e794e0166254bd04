import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { sineWav } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminCreate } from './support/admin-api.js';
import { type Gateway, startGateway } from './support/gateway.js';

const UPLOAD_LIMIT = 256 * 1024;
const BOUNDARY = 'aigw-upload-boundary';

/** One text part of a hand-written multipart body (with its own content type, if given). */
const field = (name: string, value: string, contentType?: string) =>
  `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n` +
  `${contentType ? `content-type: ${contentType}\r\n` : ''}\r\n${value}\r\n`;
/** The head of a file part: its bytes follow, then `\r\n` and the next boundary. */
const fileHead = (name = 'file', filename = 'tone.wav') =>
  `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
  'content-type: audio/wav\r\n\r\n';
const closing = `\r\n--${BOUNDARY}--\r\n`;

interface Answer {
  status?: number;
  headers?: IncomingHttpHeaders;
  body?: string;
  /** A client error (the connection reset under it), if it got no whole answer. */
  error?: string;
  /** How much of the body the client had written when the answer came. */
  sentWhenAnswered?: number;
}

/**
 * A POST written by hand over node:http, as a client still sending: `head`, then `fill`
 * bytes of filler in 64 KB writes (waiting on backpressure), then `tail`. Resolves with the
 * answer as soon as it is whole, even while the body is still being written.
 */
function post(
  url: string,
  options: {
    path?: string;
    headers: Record<string, string>;
    head?: string | Buffer;
    fill?: number;
    tail?: string | Buffer;
    contentLength?: number;
    /** A pause after each 64 KB of filler: a client sending slowly. */
    pauseMs?: number;
  },
): Promise<Answer> {
  const head = Buffer.from(options.head ?? '');
  const tail = Buffer.from(options.tail ?? '');
  const fill = options.fill ?? 0;
  const chunk = Buffer.alloc(64 * 1024, 1);
  const { port } = new URL(url);
  return new Promise((resolve) => {
    let sent = 0;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(port),
        method: 'POST',
        path: options.path ?? '/v1/audio/transcriptions',
        headers: {
          'content-length': String(options.contentLength ?? head.length + fill + tail.length),
          ...options.headers,
        },
      },
      (res) => {
        const sentWhenAnswered = sent;
        let body = '';
        res.on('data', (d) => {
          body += d.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, body, sentWhenAnswered }),
        );
        res.on('error', (error) => resolve({ error: String(error) }));
      },
    );
    req.on('error', (error) => resolve({ error: String(error) }));
    req.write(head);
    sent = head.length;
    let filled = 0;
    const write = () => {
      while (filled < fill && !req.destroyed) {
        const piece = chunk.subarray(0, Math.min(chunk.length, fill - filled));
        filled += piece.length;
        sent += piece.length;
        const more = req.write(piece);
        if (options.pauseMs) return void setTimeout(write, options.pauseMs);
        if (!more) return void req.once('drain', write);
      }
      if (!req.destroyed) req.end(tail);
    };
    write();
  });
}

const errorOf = (answer: Answer) => JSON.parse(answer.body ?? '') as { error: Record<string, unknown> };

describe('audio uploads: malformed, oversized, cut off or misrouted forms', () => {
  let gateway: Gateway;
  let key: string;
  const multipart = (extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${key}`,
    'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
    ...extra,
  });
  const logsSince = (mark: number) => gateway.running.logs.lines.slice(mark).join('\n');

  beforeAll(async () => {
    gateway = await startGateway({ AUDIO_UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT) });
    ({ key } = await adminCreate<{ key: string }>(gateway.url, '/admin/keys', { userId: 'uploads' }));
  });
  afterAll(() => gateway?.close());

  it('a multipart content type without a boundary, or a body missing its closing boundary: 400, never a 500', async () => {
    const mark = gateway.running.logs.lines.length;
    const noBoundary = await post(gateway.url, {
      headers: { ...multipart(), 'content-type': 'multipart/form-data' },
      head: field('model', 'whisper-1'),
    });
    expect(noBoundary.status).toBe(400);
    expect(errorOf(noBoundary)).toEqual({
      error: {
        message: expect.stringMatching(/^The form is not valid: its Content-Type has no boundary/),
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_request',
      },
    });
    const unclosed = await post(gateway.url, {
      headers: multipart(),
      head: field('model', 'whisper-1') + fileHead(),
      tail: sineWav({ seconds: 0.5 }),
    });
    expect(unclosed.status).toBe(400);
    expect(errorOf(unclosed).error).toMatchObject({
      message: 'The form is not valid: it ends before its closing boundary.',
      code: 'invalid_request',
    });
    const logs = logsSince(mark);
    expect(logs).not.toContain('internal_error');
    expect(logs).not.toContain('"level":50');
  });

  it('two files: 400 "Send one audio file"', async () => {
    const wav = sineWav({ seconds: 0.5 });
    const answer = await post(gateway.url, {
      headers: multipart(),
      head: Buffer.concat([
        Buffer.from(field('model', 'whisper-1') + fileHead()),
        wav,
        Buffer.from(`\r\n${fileHead('file', 'again.wav')}`),
        wav,
      ]),
      tail: closing,
    });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).error).toMatchObject({
      message: 'Send one audio file, in the "file" field.',
      type: 'invalid_request_error',
    });
  });

  it('a client hanging up mid-upload is a cut upload, not a database outage', async () => {
    const mark = gateway.running.logs.lines.length;
    const { port } = new URL(gateway.url);
    const head = field('model', 'whisper-1') + fileHead();
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /v1/audio/transcriptions HTTP/1.1\r\nhost: localhost\r\n' +
            `authorization: Bearer ${key}\r\ncontent-type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
            `content-length: ${head.length + 200 * 1024 + closing.length}\r\n\r\n${head}`,
        );
        socket.write(Buffer.alloc(100 * 1024, 1));
        // Part of the file is in: the form is being read when the client goes.
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 300);
      });
      socket.on('error', reject);
    });
    // Nothing is logged for a request whose client is gone (no answer is written): give the
    // gateway a second to meet the cut, and watch what it logs meanwhile.
    await new Promise((r) => setTimeout(r, 1000));
    const logs = logsSince(mark);
    expect(logs).not.toMatch(/database is unreachable/i);
    expect(logs).not.toContain('database_unavailable');
    expect(logs).not.toContain('internal_error');
    expect(logs).not.toContain('"level":50');
    // The gateway goes on taking uploads.
    const next = await post(gateway.url, {
      headers: multipart(),
      head: field('model', 'whisper-1'),
      tail: closing,
    });
    expect(next.status).toBe(400);
    expect(errorOf(next).error.message).toMatch(/file: is required/);
  });

  it('a field sent as application/json goes upstream as its JSON text, not "[object Object]"', async () => {
    const wav = sineWav({ seconds: 0.5 });
    const answer = await post(gateway.url, {
      headers: multipart(),
      head: Buffer.concat([
        Buffer.from(
          field('model', 'whisper-1') +
            field('chunking_strategy', '{"type":"server_vad","threshold":0.5}', 'application/json') +
            fileHead(),
        ),
        wav,
      ]),
      tail: closing,
    });
    expect(answer.status).toBe(200);
    expect(gateway.openai.lastBody.chunking_strategy).toBe('{"type":"server_vad","threshold":0.5}');
    expect(gateway.openai.lastBody.file).toMatchObject({ filename: 'tone.wav', size: wav.length });
  });

  it('a text field over 256 KB: 413 naming the field, not silently cut short', async () => {
    const answer = await post(gateway.url, {
      headers: multipart(),
      head: field('model', 'whisper-1') + field('prompt', 'x'.repeat(300 * 1024)),
      tail: closing,
    });
    expect(answer.status).toBe(413);
    expect(errorOf(answer).error).toMatchObject({
      message: 'The field "prompt" is longer than 256 KB, the most this gateway takes for a form field.',
      code: 'request_too_large',
    });
  });

  it('limits: 65 text fields are a 400; a content-length over the file limit plus 1 MB is a 413 at once', async () => {
    const many = await post(gateway.url, {
      headers: multipart(),
      head: Array.from({ length: 65 }, (_, i) => field(`f${i}`, 'v')).join(''),
      tail: closing,
    });
    expect(many.status).toBe(400);
    expect(errorOf(many).error.message).toBe('The form is not valid: it has more than 64 text fields.');

    // Nothing of the body but its first part is sent: the answer comes from the header alone.
    const declared = UPLOAD_LIMIT + 2 * 1024 * 1024;
    const { port } = new URL(gateway.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /v1/audio/transcriptions HTTP/1.1\r\nhost: localhost\r\n' +
            `authorization: Bearer ${key}\r\ncontent-type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
            `content-length: ${declared}\r\n\r\n${field('model', 'whisper-1')}`,
        );
      });
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
        if (text.includes('\r\n\r\n') && text.endsWith('}')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toEqual({
      error: {
        message: 'The audio file is larger than 256 KB, the most this gateway takes.',
        type: 'invalid_request_error',
        param: null,
        code: 'request_too_large',
      },
    });
  });

  it('a client still writing an upload over the limit reads its 413 (file 4× the limit, or a content-length far over it)', async () => {
    const four = await post(gateway.url, {
      headers: multipart(),
      head: field('model', 'whisper-1') + fileHead(),
      fill: UPLOAD_LIMIT * 4,
      tail: closing,
      pauseMs: 10,
    });
    expect(four.error).toBeUndefined();
    expect(four.status).toBe(413);
    expect(four.headers?.connection).toBe('close');
    expect(errorOf(four).error).toMatchObject({
      message: 'The audio file is larger than 256 KB, the most this gateway takes.',
      code: 'request_too_large',
    });
    // Answered before the client got to the end of its body.
    expect(four.sentWhenAnswered).toBeLessThan(UPLOAD_LIMIT * 4);

    const big = await post(gateway.url, {
      headers: multipart(),
      head: field('model', 'whisper-1') + fileHead(),
      fill: 20 * 1024 * 1024,
      tail: closing,
    });
    expect(big.error).toBeUndefined();
    expect(big.status).toBe(413);
    expect(big.headers?.connection).toBe('close');
    expect(big.sentWhenAnswered).toBeLessThan(20 * 1024 * 1024);
    expect(errorOf(big).error).toMatchObject({ code: 'request_too_large' });

    // Without a key, the same: a readable 401.
    const anonymous = await post(gateway.url, {
      headers: { ...multipart(), authorization: 'Bearer sk-gw-nope' },
      head: field('model', 'whisper-1') + fileHead(),
      fill: UPLOAD_LIMIT,
      tail: closing,
    });
    expect(anonymous.error).toBeUndefined();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers?.connection).toBe('close');
  });

  it('a refused body is drained up to a limit only: a client that goes on writing is cut off', async () => {
    const { port } = new URL(gateway.url);
    const declared = 1024 * 1024 * 1024;
    const result = await new Promise<{ reply: string; written: number; ended: string }>((resolve) => {
      let written = 0;
      let reply = '';
      // A client that keeps writing after the answer and the server's FIN (half-open).
      const socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true }, () => {
        socket.write(
          'POST /v1/audio/transcriptions HTTP/1.1\r\nhost: localhost\r\n' +
            `content-type: multipart/form-data; boundary=${BOUNDARY}\r\ncontent-length: ${declared}\r\n\r\n`,
        );
        const chunk = Buffer.alloc(256 * 1024, 1);
        const write = () => {
          while (written < declared && !socket.destroyed) {
            written += chunk.length;
            if (!socket.write(chunk)) return void socket.once('drain', write);
          }
        };
        write();
      });
      socket.on('data', (d) => {
        reply += d.toString();
      });
      socket.on('error', (error) => resolve({ reply, written, ended: String(error) }));
      socket.on('close', () => resolve({ reply, written, ended: 'close' }));
    });
    expect(result.reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(result.reply).toMatch(/\r\nconnection: close\r\n/i);
    // Cut off after 64 MB or so, far from the gigabyte it meant to send.
    expect(result.written).toBeLessThan(200 * 1024 * 1024);
    expect(result.written).toBeGreaterThan(64 * 1024 * 1024);
  });

  it('a multipart body on a JSON route: 415 in the route’s own format, as any other body but JSON', async () => {
    const routes = [
      '/v1/chat/completions',
      '/v1/embeddings',
      '/v1/images/generations',
      '/v1/audio/speech',
      '/v1/responses',
      '/v1/messages',
    ];
    for (const path of routes) {
      const headers = { authorization: `Bearer ${key}`, 'x-api-key': key, 'anthropic-version': '2023-06-01' };
      const xml = await fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/xml' },
        body: '<chat/>',
      });
      const answer = await post(gateway.url, {
        path,
        headers: { ...multipart(), ...headers },
        head: field('model', 'x'),
        tail: closing,
      });
      expect([path, answer.status]).toEqual([path, 415]);
      expect(JSON.parse(answer.body ?? '')).toEqual(await xml.json());
    }
    const openai = await post(gateway.url, {
      path: '/v1/chat/completions',
      headers: multipart(),
      head: field('model', 'x'),
      tail: closing,
    });
    expect(errorOf(openai)).toEqual({
      error: {
        message: expect.any(String),
        type: 'invalid_request_error',
        param: null,
        code: 'unsupported_media_type',
      },
    });
    const anthropic = await post(gateway.url, {
      path: '/v1/messages',
      headers: { ...multipart(), 'x-api-key': key },
      head: field('model', 'x'),
      tail: closing,
    });
    expect(JSON.parse(anthropic.body ?? '')).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.any(String) },
    });
    // An unknown path is still a 404.
    const unknown = await post(gateway.url, {
      path: '/v1/nothing-here',
      headers: multipart(),
      head: field('model', 'x'),
      tail: closing,
    });
    expect(unknown.status).toBe(404);
  });
});
