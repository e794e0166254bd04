import { parseBlob } from 'music-metadata';

/** The longest audio length believed: 48 hours. */
const MAX_SECONDS = 48 * 3600;

/**
 * An audio file's length in seconds (to the millisecond), read from its headers, or its
 * frames where the headers do not say (`music-metadata`: WAV, MP3, M4A, OGG, FLAC, WebM);
 * undefined when it cannot be read. A file-backed Blob is streamed, not loaded.
 */
export async function audioDuration(blob: Blob): Promise<number | undefined> {
  try {
    const { format } = await parseBlob(blob, { duration: true, skipCovers: true });
    const seconds = format.duration;
    // Past MAX_SECONDS a header lies (no 25 MB upload holds that much speech): unknown.
    return seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_SECONDS
      ? Math.round(seconds * 1000) / 1000
      : undefined;
  } catch {
    return undefined;
  }
}
