import { describe, expect, it } from '@jest/globals';
import { parseBuffer } from 'music-metadata';
import { sinePcm, sineWav, wavDurationSeconds } from './wav.js';

describe('sineWav', () => {
  it('makes a PCM 16-bit mono RIFF/WAVE file of the asked length', () => {
    const wav = sineWav({ seconds: 2.5 });
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.readUInt16LE(22)).toBe(1); // mono
    expect(wav.readUInt32LE(24)).toBe(16000);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.toString('ascii', 36, 40)).toBe('data');
    expect(wav.readUInt32LE(40)).toBe(2.5 * 16000 * 2);
    expect(wav.length).toBe(44 + 2.5 * 16000 * 2);
    // A tone, not silence.
    expect(Math.max(...Array.from({ length: 100 }, (_, i) => wav.readInt16LE(44 + i * 2)))).toBeGreaterThan(
      10_000,
    );
  });

  it('is read as 2.5 s of 16 kHz audio by a real decoder (music-metadata)', async () => {
    const { format } = await parseBuffer(sineWav({ seconds: 2.5 }), { mimeType: 'audio/wav' });
    expect(format).toMatchObject({
      container: 'WAVE',
      sampleRate: 16000,
      numberOfChannels: 1,
      bitsPerSample: 16,
    });
    expect(format.duration).toBeCloseTo(2.5, 5);
  });

  it('takes a sample rate and frequency; its samples are sinePcm', () => {
    const wav = sineWav({ seconds: 0.1, sampleRate: 24000, frequency: 1000 });
    expect(wav.readUInt32LE(24)).toBe(24000);
    expect(wav.readUInt32LE(28)).toBe(48000);
    expect(wav.subarray(44)).toEqual(sinePcm({ seconds: 0.1, sampleRate: 24000, frequency: 1000 }));
  });
});

describe('wavDurationSeconds', () => {
  it('reads back the length of sineWav files', () => {
    expect(wavDurationSeconds(sineWav({ seconds: 2.5 }))).toBe(2.5);
    expect(wavDurationSeconds(sineWav({ seconds: 1, sampleRate: 8000 }))).toBe(1);
    expect(wavDurationSeconds(sineWav({ seconds: 0 }))).toBe(0);
  });

  it('walks past other chunks before data, padded to even sizes', () => {
    const wav = sineWav({ seconds: 0.5 });
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc\0')]);
    const withList = Buffer.concat([wav.subarray(0, 36), list, wav.subarray(36)]);
    expect(wavDurationSeconds(withList)).toBe(0.5);
  });

  it('counts the bytes there are when the data size is a streaming placeholder', () => {
    const wav = sineWav({ seconds: 1 });
    wav.writeUInt32LE(0xffffffff, 40);
    expect(wavDurationSeconds(wav)).toBe(1);
  });

  it('is undefined for what is not a WAV', () => {
    expect(wavDurationSeconds(Buffer.from('ID3\x04\0\0\0\0\0\0 not a wav'))).toBeUndefined();
    expect(wavDurationSeconds(Buffer.alloc(0))).toBeUndefined();
    expect(wavDurationSeconds(sineWav({ seconds: 1 }).subarray(0, 20))).toBeUndefined();
  });
});
