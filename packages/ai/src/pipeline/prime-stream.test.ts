import { describe, expect, it } from '@jest/globals';
import { prepend, primeStream, stopStream } from './prime-stream.js';

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

  it('closes the source when stopped before any next()', async () => {
    const { log, stream } = source([1, 2, 3]);
    const { first, rest } = await primeStream(stream);
    await prepend(first, rest)[Symbol.asyncIterator]().return?.();
    expect(log).toEqual(['closed']);
  });

  it('is read once, like a generator: a second loop goes on where the first stopped', async () => {
    const { stream } = source([1, 2, 3, 4]);
    const { first, rest } = await primeStream(stream);
    const joined = prepend(first, rest);
    const iterator = joined[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(1);
    expect(await take(joined)).toEqual([2, 3, 4]);
  });

  it("passes the source's error on", async () => {
    async function* failing() {
      yield 1;
      throw new Error('upstream cut');
    }
    const { first, rest } = await primeStream(failing());
    await expect(take(prepend(first, rest))).rejects.toThrow('upstream cut');
  });

  it('gives nothing for an empty source', async () => {
    const { log, stream } = source([]);
    const { first, rest } = await primeStream(stream);
    expect(first).toBeUndefined();
    expect(await take(prepend(first, rest))).toEqual([]);
    expect(log).toEqual(['ran out', 'closed']);
  });

  it('stopStream closes a primed stream nobody will read, and is harmless after', async () => {
    const { log, stream } = source([1, 2, 3]);
    const { rest } = await primeStream(stream);
    await stopStream(rest);
    await stopStream(rest);
    expect(log).toEqual(['closed']);
  });
});
