import type { ProviderOptions } from '../types/chat-request.js';

/**
 * The fields one provider's body gets from `providerOptions`: those under its type, then
 * those under its registry name (which win), as in the Vercel AI SDK's `providerOptions`.
 */
export function providerOptionsFor(
  options: ProviderOptions | undefined,
  type: string,
  name: string,
): Record<string, unknown> {
  if (!options) return {};
  return { ...options[type], ...(name === type ? {} : options[name]) };
}
