/**
 * Waits for a stream's first item, so a failure before it (unknown model, upstream
 * 429, connection refused) is thrown here — where a router can still try another
 * target, or an HTTP layer can still answer with a status — and afterwards the stream
 * continues as it was.
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
        iterator.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined }),
    }),
  };
  return { first: first.done ? undefined : first.value, rest };
}

/** The first item, then the rest. */
export async function* prepend<T>(first: T | undefined, rest: AsyncIterable<T>): AsyncIterable<T> {
  if (first !== undefined) yield first;
  yield* rest;
}
