import type { MediaRequest, MediaUnits } from '../types/media.js';

/**
 * The text a media request brings as input tokens: an image's or a transcription's prompt,
 * speech's input and its instructions.
 */
export function mediaPromptText(request: MediaRequest): string {
  const fields =
    request.kind === 'speech' ? [request.fields.input, request.fields.instructions] : [request.fields.prompt];
  return fields.filter((f): f is string => typeof f === 'string').join('\n');
}

/**
 * What a media request will be billed by, as far as the request tells: the images it asks
 * for (`n`, default 1), the seconds of audio it uploads (when the file's length could be
 * read), the characters it asks to speak. Undefined when the request does not say.
 */
export function requestedUnits(request: MediaRequest): MediaUnits | undefined {
  switch (request.kind) {
    case 'image': {
      const n = request.fields.n;
      return { unit: 'image', quantity: typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 1 };
    }
    case 'transcription':
    case 'translation': {
      const seconds = request.file?.durationSeconds;
      return seconds === undefined ? undefined : { unit: 'second', quantity: seconds };
    }
    case 'speech': {
      const input = request.fields.input;
      return typeof input === 'string' ? { unit: 'character', quantity: [...input].length } : undefined;
    }
  }
}
