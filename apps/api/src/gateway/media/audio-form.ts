import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { audioDuration, type MediaFile } from '@aigw/ai';
import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

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
 * as sent, for the provider.
 */
export async function readAudioForm(request: FastifyRequest, limitBytes: number): Promise<AudioForm> {
  if (!request.isMultipart()) {
    throw new BadRequestException(
      'The request must be multipart/form-data, with the audio in a "file" part and the model in a "model" field.',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'aigw-audio-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const fields: Record<string, string | string[]> = {};
  let file: MediaFile | undefined;
  try {
    for await (const part of request.parts({
      limits: { fileSize: limitBytes, files: 1, fieldSize: 1024 * 1024 },
    })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file')
          throw new BadRequestException(
            `Unexpected file field "${part.fieldname}"; send the audio as "file".`,
          );
        const path = join(dir, 'upload');
        await pipeline(part.file, createWriteStream(path));
        const { size } = await stat(path);
        const blob = await openAsBlob(path, { type: part.mimetype });
        file = { blob, filename: part.filename || 'audio', contentType: part.mimetype, size };
        continue;
      }
      const value = typeof part.value === 'string' ? part.value : String(part.value);
      const earlier = fields[part.fieldname];
      fields[part.fieldname] = earlier === undefined ? value : [earlier, value].flat();
    }
  } catch (error) {
    await remove();
    // What the client still sends is read and dropped, so it can read the answer.
    request.raw.resume();
    throw formError(error, limitBytes);
  }
  if (file) file.durationSeconds = await audioDuration(file.blob);
  return { fields, ...(file ? { file } : {}), remove };
}

/** A multipart parser's error as the HTTP error it means. */
function formError(error: unknown, limitBytes: number): unknown {
  const code = (error as { code?: string })?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new PayloadTooLargeException(
      `The audio file is larger than ${limitBytes} bytes (${(limitBytes / 1024 / 1024).toFixed(0)} MB), the most this gateway takes.`,
    );
  }
  if (code === 'FST_FILES_LIMIT_REACHED')
    return new BadRequestException('Send one audio file, in the "file" field.');
  if (
    code === 'FST_PARTS_LIMIT_REACHED' ||
    code === 'FST_FIELDS_LIMIT_REACHED' ||
    code === 'FST_INVALID_MULTIPART_CONTENT_TYPE'
  ) {
    return new BadRequestException(`The form is not valid: ${(error as Error).message}`);
  }
  return error;
}
