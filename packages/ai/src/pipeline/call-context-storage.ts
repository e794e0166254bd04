import { AsyncLocalStorage } from 'node:async_hooks';
import { LRUCache } from 'lru-cache';
import type { CallContext } from '../types/call-context.js';

/** The context of the current request, plus its attempt counter (shared by every call it makes). */
interface StoredContext {
  context: CallContext;
  nextAttempt: { value: number };
}

const storage = new AsyncLocalStorage<StoredContext>();

/** Runs `fn` with `context` as the implicit call context (an HTTP app sets it once per request). */
export function runWithAiContext<T>(context: CallContext, fn: () => T): T {
  return storage.run({ context, nextAttempt: { value: 1 } }, fn);
}

/** The implicit call context, if one is set. */
export function currentAiContext(): CallContext | undefined {
  return storage.getStore()?.context;
}

/**
 * Attempt counters of requests without a context, the 10,000 most recently used. An LRU
 * made for it: a Map kept in order by delete-and-set, evicting its first key, cost ~4.7 µs
 * a call once full (its iterator steps over every deleted entry still in the table).
 */
const counters = new LRUCache<string, number>({ max: 10_000 });

/**
 * The next attempt number for a request id, and above `after` (the caller's own last
 * attempt). Calls inside one request share its id, so attempts number on across them and
 * (requestId, attempt) stays unique per row. Without a request context the counters are
 * kept for the 10,000 most recent ids; a route passes its last attempt, so its own
 * retries and fallbacks number on even if a long attempt outlived its id's counter.
 */
export function nextAttempt(requestId: string, after = 0): number {
  const stored = storage.getStore();
  if (stored && stored.context.requestId === requestId) {
    const attempt = Math.max(stored.nextAttempt.value, after + 1);
    stored.nextAttempt.value = attempt + 1;
    return attempt;
  }
  const next = Math.max((counters.get(requestId) ?? 0) + 1, after + 1);
  counters.set(requestId, next);
  return next;
}
