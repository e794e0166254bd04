/** Deterministic random numbers in [0, 1) (mulberry32), so a seed gives the same month every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Helpers over a random source: picks, and spreads as real traffic has them. */
export function randomTools(random: () => number) {
  /** Log-normal around a median: most values near it, a long tail above. */
  const around = (median: number, spread: number) => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return median * Math.exp(spread * z);
  };
  const pick = <T extends { weight: number }>(items: T[]): T => {
    const total = items.reduce((sum, i) => sum + i.weight, 0);
    let r = random() * total;
    for (const item of items) {
      r -= item.weight;
      if (r < 0) return item;
    }
    return items[items.length - 1] as T;
  };
  return { random, around, pick };
}
