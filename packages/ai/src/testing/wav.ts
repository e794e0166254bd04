/** What `sineWav` makes. */
export interface SineWavOptions {
  /** Length of the audio, in seconds. */
  seconds: number;
  /** Samples per second (default 16000). */
  sampleRate?: number;
  /** Pitch of the tone, in Hz (default 440). */
  frequency?: number;
}

const HEADER_BYTES = 44;

/** The 16-bit little-endian PCM samples of a sine tone (no header): what `pcm` speech is. */
export function sinePcm({ seconds, sampleRate = 16000, frequency = 440 }: SineWavOptions): Buffer {
  const samples = Math.max(0, Math.round(seconds * sampleRate));
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) {
    pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * 16_000), i * 2);
  }
  return pcm;
}

/**
 * A real WAV file (RIFF/WAVE, PCM, 16-bit, mono) holding `seconds` of a sine tone: an
 * upload any audio decoder accepts, whose length `wavDurationSeconds` reads back.
 */
export function sineWav(options: SineWavOptions): Buffer {
  const sampleRate = options.sampleRate ?? 16000;
  const data = sinePcm({ ...options, sampleRate });
  const header = Buffer.alloc(HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(HEADER_BYTES - 8 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate: rate × channels × 2 bytes
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * The length in seconds of a WAV file (its `data` chunk's size over the `fmt ` chunk's
 * byte rate), walking the RIFF chunks (so `LIST` and other chunks may come first);
 * `undefined` when `bytes` is not a WAV. A `data` size past the end of the bytes (a
 * streamed WAV's placeholder) counts the bytes there are.
 */
export function wavDurationSeconds(bytes: Buffer): number | undefined {
  if (
    bytes.length < 12 ||
    bytes.toString('ascii', 0, 4) !== 'RIFF' ||
    bytes.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    return undefined;
  }
  let byteRate: number | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const start = offset + 8;
    if (id === 'fmt ' && start + 12 <= bytes.length) byteRate = bytes.readUInt32LE(start + 8);
    if (id === 'data') {
      if (!byteRate) return undefined;
      return Math.min(size, bytes.length - start) / byteRate;
    }
    // Chunks are padded to an even size.
    offset = start + size + (size % 2);
  }
  return undefined;
}
