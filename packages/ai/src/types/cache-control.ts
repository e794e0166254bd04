/**
 * A provider-neutral prompt-cache breakpoint: the prompt up to and including the block
 * that carries it may be cached. `ttl` is how long the entry should live (default 5m).
 */
export interface CacheControl {
  type: 'ephemeral';
  /** Time to live of the cache entry; absent: the provider's default (Anthropic: 5 minutes). */
  ttl?: '5m' | '1h';
}
