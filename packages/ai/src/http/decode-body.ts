import { pipeline, type Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';

/**
 * The body with its `content-encoding` undone, as fetch does (gzip, deflate, br). We do
 * not ask for compression, so this runs only when a server compresses anyway or the
 * caller sent its own `accept-encoding`. An unknown coding leaves the body as it is.
 */
export function decodeBody(body: Readable, contentEncoding: string | null): Readable {
  if (!contentEncoding) return body;
  const decoders: Transform[] = [];
  for (const coding of contentEncoding.toLowerCase().split(',').reverse()) {
    const decoder = decoderFor(coding.trim());
    if (decoder === null) return body;
    if (decoder) decoders.push(decoder);
  }
  // Each pipeline passes errors and early closes along, so destroying the end frees the socket.
  let decoded = body;
  for (const decoder of decoders) decoded = pipeline(decoded, decoder, () => {});
  return decoded;
}

/** A decoder for `coding`; undefined for identity, null for a coding we cannot undo. */
function decoderFor(coding: string): Transform | null | undefined {
  const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(flush);
    case 'deflate':
      return zlib.createInflate(flush);
    case 'br':
      return zlib.createBrotliDecompress({
        flush: zlib.constants.BROTLI_OPERATION_FLUSH,
        finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
      });
    case '':
    case 'identity':
      return undefined;
    default:
      return null;
  }
}
