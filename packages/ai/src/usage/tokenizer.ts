import { createRequire } from 'node:module';

/** The parts of gpt-tokenizer (o200k_base) the gateway uses. */
export interface Tokenizer {
  countTokens(text: string): number;
  encode(text: string): number[];
  decode(tokens: number[]): string;
}

let loaded: Tokenizer | undefined;

/** A run this long without whitespace is counted in pieces of this size. */
const PIECE = 200;
const LONG_RUN = new RegExp(`\\S{${PIECE}}`);
const PIECES = new RegExp(`(\\S{${PIECE}})`);

/**
 * Counts tokens in linear time. BPE merges of one long run without whitespace take time
 * quadratic in its length (400 KB of "x" took minutes, blocking the event loop: a caller
 * could stall the gateway with one request), so such runs are counted in 200-character
 * pieces: the same count within a token or so per piece.
 */
function linearCount(count: (text: string) => number): (text: string) => number {
  return (text) => {
    if (!LONG_RUN.test(text)) return count(text);
    let total = 0;
    for (const piece of text.split(PIECES)) if (piece) total += count(piece);
    return total;
  };
}

/**
 * The o200k tokenizer, loaded on first use: its rank table is ~65 MB of memory and
 * ~0.2 s to load, and only calls that need an estimate use it (a key with a budget, a
 * provider with a tpm limit, a stream that ended without usage, the demo provider).
 */
export function tokenizer(): Tokenizer {
  if (!loaded) {
    const gpt = createRequire(import.meta.url)('gpt-tokenizer') as Tokenizer;
    loaded = { countTokens: linearCount(gpt.countTokens), encode: gpt.encode, decode: gpt.decode };
  }
  return loaded;
}
