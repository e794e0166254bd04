import { createRequire } from 'node:module';

/** The parts of gpt-tokenizer (o200k_base) the gateway uses. */
export interface Tokenizer {
  countTokens(text: string): number;
  encode(text: string): number[];
  decode(tokens: number[]): string;
}

let loaded: Tokenizer | undefined;

/**
 * The o200k tokenizer, loaded on first use: its rank table is ~65 MB of memory and
 * ~0.2 s to load, and only calls that need an estimate use it (a key with a budget, a
 * provider with a tpm limit, a stream that ended without usage, the demo provider).
 */
export function tokenizer(): Tokenizer {
  loaded ??= createRequire(import.meta.url)('gpt-tokenizer') as Tokenizer;
  return loaded;
}
