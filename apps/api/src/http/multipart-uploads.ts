import multipart from '@fastify/multipart';
import { PayloadTooLargeException } from '@nestjs/common';
import { errorCodes, type FastifyInstance } from 'fastify';
import { cutDrainsOnClose } from './drain-request.js';
import { hasEmptyBody } from './empty-bodies.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads multipart uploads itself (`request.parts()`); every other route answers them 415. */
    multipartUploads?: boolean;
  }
}

/** Fastify route config of a route that takes multipart uploads: `@RouteConfig(TAKES_UPLOADS)`. */
export const TAKES_UPLOADS = { multipartUploads: true } as const;

/**
 * What one form may hold besides its file: 64 text fields of at most 256 KB each (16 MB at
 * most in memory; the body limit does not apply to multipart), one file, 66 parts in all
 * (so a second file is refused as such, before the parts limit).
 */
export const FORM_LIMITS = { fields: 64, fieldSize: 256 * 1024, files: 1, parts: 66 } as const;

/** What a form may add to its file (boundaries, part headers, text fields) before its length alone refuses it. */
export const FORM_OVERHEAD_BYTES = 1024 * 1024;

/** A size for people: "256 KB", "25 MB", "1.5 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
}

/** The 413 of an upload whose file is over `limitBytes`. */
export function uploadTooLarge(limitBytes: number): PayloadTooLargeException {
  return new PayloadTooLargeException(
    `The audio file is larger than ${formatBytes(limitBytes)}, the most this gateway takes.`,
  );
}

/**
 * Multipart uploads (`@fastify/multipart`), for the routes marked `TAKES_UPLOADS` only, which
 * read them part by part (see readAudioForm). On every other route a multipart body is a
 * 415, as any body but JSON. An upload whose `content-length` alone is over the file limit
 * plus a form's overhead is a 413 at once, before its key is checked or a byte is parsed.
 */
export async function acceptMultipartUploads(fastify: FastifyInstance, fileSizeBytes: number): Promise<void> {
  await fastify.register(multipart, { limits: { ...FORM_LIMITS, fileSize: fileSizeBytes } });
  fastify.addHook('preValidation', (request, _reply, done) => {
    // One flag read on every other request (the multipart parser sets it; nothing is read yet).
    if (!request.isMultipart() || request.is404) return done();
    if (request.routeOptions.config?.multipartUploads !== true) {
      // An empty body is no body, whatever its type (the route then says if it needs one).
      if (hasEmptyBody(request)) return done();
      // What Fastify answers any other body it has no parser for.
      return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE());
    }
    if (Number(request.headers['content-length']) > fileSizeBytes + FORM_OVERHEAD_BYTES)
      return done(uploadTooLarge(fileSizeBytes));
    done();
  });
  cutDrainsOnClose(fastify);
}
