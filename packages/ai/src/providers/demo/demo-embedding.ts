import { fnv1a } from './fnv1a.js';

/** Default length of a demo vector (the `dimensions` of a request wins). */
export const DEMO_EMBEDDING_DIMENSIONS = 256;

/**
 * A deterministic unit vector for a text by feature hashing its words: the same text
 * always gets the same vector, and texts sharing words point the same way, so a demo
 * semantic search behaves plausibly. Not a language model; only a stand-in.
 */
export function demoEmbedding(text: string, dimensions = DEMO_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    const hash = fnv1a(word);
    const index = hash % dimensions;
    vector[index] = (vector[index] ?? 0) + ((hash >>> 31) & 1 ? -1 : 1);
  }
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  // No words: still a unit vector, so cosine similarity is defined.
  if (norm === 0) return vector.map((_, i) => (i === 0 ? 1 : 0));
  return vector.map((v) => Number((v / norm).toFixed(6)));
}
