import type { ChatStreamPart } from '../types/chat-stream-part.js';

/** Parts gathered before they are joined into one string. */
const JOIN_EVERY = 64;

/**
 * What a stream has generated so far (text, reasoning, tool names and arguments), kept
 * for a token estimate in case the upstream never reports usage. The parts are joined
 * into one flat string every JOIN_EVERY parts: `text += delta` per part keeps each delta
 * as a string of its own under a rope node, some 30 bytes of heap per part beyond its
 * characters, which over a long stream, times every open stream, outweighs the text.
 */
export class StreamedText {
  private joined = '';
  private pending: string[] = [];

  /** Takes the part's generated text, if it has any; true when it is generated output. */
  add(part: ChatStreamPart): boolean {
    switch (part.type) {
      case 'text-delta':
      case 'reasoning-delta':
        return this.push(part.delta);
      case 'tool-call-delta':
        return this.push(part.argumentsDelta);
      case 'tool-call-start':
        return this.push(part.name);
      default:
        return false;
    }
  }

  /** Everything generated so far, in order. */
  text(): string {
    if (this.pending.length > 0) {
      this.joined += this.pending.join('');
      this.pending = [];
    }
    return this.joined;
  }

  private push(piece: string): true {
    if (piece) {
      this.pending.push(piece);
      if (this.pending.length >= JOIN_EVERY) this.text();
    }
    return true;
  }
}
