/**
 * Waits for a stream's first item before anything is sent, so a failure that happens
 * before the first byte (unknown model, upstream 429) still gets a proper HTTP status
 * and error body; afterwards the stream continues as it was.
 */
export async function primeStream<T>(
  source: AsyncIterable<T>,
): Promise<{ first: T | undefined; rest: AsyncIterable<T> }> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  const rest: AsyncIterable<T> = {
    [Symbol.asyncIterator]: () => ({
      next: () => iterator.next(),
      return: (value?: unknown) =>
        iterator.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
    }),
  };
  return { first: first.done ? undefined : first.value, rest };
}

/** The first item, then the rest. */
export async function* prepend<T>(first: T | undefined, rest: AsyncIterable<T>): AsyncIterable<T> {
  if (first !== undefined) yield first;
  yield* rest;
}
