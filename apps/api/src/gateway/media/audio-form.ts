import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { audioDuration, type MediaFile } from '@aigw/ai';
import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { FORM_LIMITS, formatBytes, uploadTooLarge } from '../../http/multipart-uploads.js';

/** An audio route's form: its text fields as sent, and its file, kept on disk until `remove()`. */
export interface AudioForm {
  /** Field values as strings; a name sent several times (`timestamp_granularities[]`) as an array. */
  fields: Record<string, string | string[]>;
  file?: MediaFile;
  remove(): Promise<void>;
}

/**
 * Reads a multipart audio upload (`@fastify/multipart`): the `file` part streams to a
 * private temporary folder (never whole in memory) up to `limitBytes`, past which it is a
 * 413; its length in seconds is read from the file where it can be. Text fields are kept
 * as sent, for the provider (a field sent as `application/json` as its JSON text), within
 * FORM_LIMITS. A form the parser cannot read is a 400, as is an upload the client cut off.
 * (An upload whose content-length is over the limit never gets here: see
 * acceptMultipartUploads.)
 */
export async function readAudioForm(request: FastifyRequest, limitBytes: number): Promise<AudioForm> {
  if (!request.isMultipart()) {
    throw new BadRequestException(
      'The request must be multipart/form-data, with the audio in a "file" part and the model in a "model" field.',
    );
  }
  // Gone while its key was checked: there is nothing left to read (nor anyone to answer).
  if (clientGone(request.raw)) throw uploadCut();
  const dir = await mkdtemp(join(tmpdir(), 'aigw-audio-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const fields: Record<string, string | string[]> = {};
  let file: MediaFile | undefined;
  let reading: Readable | undefined;
  try {
    for await (const part of request.parts({ limits: { ...FORM_LIMITS, fileSize: limitBytes } })) {
      if (part.type === 'file') {
        reading = part.file;
        if (part.fieldname !== 'file')
          throw new BadRequestException(
            `Unexpected file field "${part.fieldname}"; send the audio as "file".`,
          );
        const path = join(dir, 'upload');
        // Past the limit the parser drops the rest of the file but reads it to its end: stop there.
        const tooLarge = new AbortController();
        part.file.once('limit', () => tooLarge.abort());
        try {
          await pipeline(part.file, createWriteStream(path), { signal: tooLarge.signal });
        } catch (error) {
          throw tooLarge.signal.aborted ? uploadTooLarge(limitBytes) : error;
        }
        if (part.file.truncated) throw uploadTooLarge(limitBytes);
        reading = undefined;
        const { size } = await stat(path);
        const blob = await openAsBlob(path, { type: part.mimetype });
        file = { blob, filename: part.filename || 'audio', contentType: part.mimetype, size };
        continue;
      }
      if (part.valueTruncated) {
        throw new PayloadTooLargeException(
          `The field "${part.fieldname}" is longer than ${formatBytes(FORM_LIMITS.fieldSize)}, the most this gateway takes for a form field.`,
        );
      }
      // A field sent with `content-type: application/json` comes parsed: forward it as JSON again.
      const value = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
      const earlier = fields[part.fieldname];
      fields[part.fieldname] = earlier === undefined ? value : [earlier, value].flat();
    }
  } catch (error) {
    // The parser stops with the file it was handing over; the error's answer drains the rest.
    if (reading && !reading.destroyed) reading.destroy();
    request.raw.unpipe();
    await remove();
    throw formError(error, request.raw, limitBytes);
  }
  if (file) file.durationSeconds = await audioDuration(file.blob);
  return { fields, ...(file ? { file } : {}), remove };
}

/** The error codes of an upload the client cut off (not a database's: see isDatabaseUnreachable). */
const CUT_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'FST_MP_PREMATURE_CLOSE',
]);

/** Whether the client went away before sending the whole body. */
function clientGone(raw: IncomingMessage): boolean {
  return !raw.complete && (raw.destroyed || raw.readableAborted || raw.socket?.destroyed === true);
}

function uploadCut(): BadRequestException {
  return new BadRequestException('The upload was cut before its end.');
}

function invalidForm(reason: string): BadRequestException {
  return new BadRequestException(`The form is not valid: ${reason}.`);
}

/**
 * A multipart parser's error (@fastify/multipart's `FST_*` codes, @fastify/busboy's plain
 * errors) as the HTTP error it means: the client's fault, never a 500; an upload cut off
 * is not a database outage.
 */
function formError(error: unknown, raw: IncomingMessage, limitBytes: number): unknown {
  if (error instanceof HttpException) return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (clientGone(raw) || (typeof code === 'string' && CUT_CODES.has(code))) return uploadCut();
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return uploadTooLarge(limitBytes);
    case 'FST_FILES_LIMIT':
      return new BadRequestException('Send one audio file, in the "file" field.');
    case 'FST_FIELDS_LIMIT':
      return invalidForm(`it has more than ${FORM_LIMITS.fields} text fields`);
    case 'FST_PARTS_LIMIT':
      return invalidForm(`it has more than ${FORM_LIMITS.parts} parts`);
    case 'FST_PROTO_VIOLATION':
      return invalidForm('a field has a reserved name (such as "__proto__" or "constructor")');
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return invalidForm('a field sent as application/json is not valid JSON');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return invalidForm('the request is not multipart/form-data');
  }
  if (code === undefined && typeof message === 'string') {
    // @fastify/busboy's own errors carry no code.
    if (/boundary not found/i.test(message))
      return invalidForm('its Content-Type has no boundary (multipart/form-data; boundary=...)');
    if (/unexpected end of multipart data/i.test(message))
      return invalidForm('it ends before its closing boundary');
  }
  return error;
}
