import { describe, expect, it } from '@jest/globals';
import { prepend, primeStream } from './prime-stream.js';

/** A source that notes how it ended: run out, or stopped by its consumer. */
function source(items: number[]) {
  const log: string[] = [];
  async function* generate() {
    try {
      for (const item of items) yield item;
      log.push('ran out');
    } finally {
      log.push('closed');
    }
  }
  return { log, stream: generate() };
}

async function take(stream: AsyncIterable<number>, count = Number.POSITIVE_INFINITY): Promise<number[]> {
  const taken: number[] = [];
  for await (const item of stream) {
    if (taken.length === count) break;
    taken.push(item);
  }
  return taken;
}

describe('primeStream + prepend', () => {
  it('gives the first item, then the rest, in order', async () => {
    const { log, stream } = source([1, 2, 3]);
    const { first, rest } = await primeStream(stream);
    expect(first).toBe(1);
    expect(await take(prepend(first, rest))).toEqual([1, 2, 3]);
    expect(log).toEqual(['ran out', 'closed']);
  });

  it('closes the source when its consumer stops before taking anything', async () => {
    const { log, stream } = source([1, 2, 3]);
    const { first, rest } = await primeStream(stream);
    expect(await take(prepend(first, rest), 0)).toEqual([]);
    expect(log).toEqual(['closed']);
  });

  it('closes the source when its consumer stops after the first item', async () => {
    const { log, stream } = source([1, 2, 3]);
    const { first, rest } = await primeStream(stream);
    expect(await take(prepend(first, rest), 1)).toEqual([1]);
    expect(log).toEqual(['closed']);
  });

  it('closes the source when its consumer stops later', async () => {
    const { log, stream } = source([1, 2, 3]);
    const { first, rest } = await primeStream(stream);
    expect(await take(prepend(first, rest), 2)).toEqual([1, 2]);
    expect(log).toEqual(['closed']);
  });

  it('gives nothing for an empty source', async () => {
    const { stream } = source([]);
    const { first, rest } = await primeStream(stream);
    expect(first).toBeUndefined();
    expect(await take(prepend(first, rest))).toEqual([]);
  });
});
