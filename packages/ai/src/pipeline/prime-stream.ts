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

/**
 * The first item, then the rest, read once (like a generator). Stopping it (`return()`,
 * as a `for await` that breaks does) always stops `rest` too, even before the first
 * item was taken: an async generator suspended at its first `yield` would end there
 * without ever touching `rest`, and the source behind it — a call that records its
 * usage row when it stops — would wait for a `next()` that never comes. A plain
 * iterator also passes each item on without the promise hop of a generator layer.
 */
export function prepend<T>(first: T | undefined, rest: AsyncIterable<T>): AsyncIterable<T> {
  let pending = first !== undefined;
  let source: AsyncIterator<T> | undefined;
  const restIterator = () => {
    source ??= rest[Symbol.asyncIterator]();
    return source;
  };
  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      if (!pending) return restIterator().next();
      pending = false;
      return Promise.resolve({ done: false, value: first as T });
    },
    return: (value?: unknown) => {
      pending = false;
      return restIterator().return?.(value) ?? Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * Stops a stream that will not be read after all (an HTTP layer that failed between
 * priming it and sending it): its source's cleanup runs, so the call still records its
 * usage row and its upstream request ends. Harmless on a stream already read or stopped.
 */
export async function stopStream<T>(stream: AsyncIterable<T>): Promise<void> {
  await stream[Symbol.asyncIterator]().return?.();
}
