import type { CacheControlEphemeral } from '@anthropic-ai/sdk/resources/messages';
import type { CacheControl } from '../../types/cache-control.js';

/** Our cache breakpoint as Anthropic's `cache_control` field, to spread into a block (nothing when unset). */
export function anthropicCacheControl(marker: CacheControl | undefined): {
  cache_control?: CacheControlEphemeral;
} {
  if (!marker) return {};
  return { cache_control: { type: 'ephemeral', ...(marker.ttl ? { ttl: marker.ttl } : {}) } };
}
