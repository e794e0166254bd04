import { AIError } from '../errors/ai-error.js';
import type { ResolvedModel } from '../registry/provider-registry.js';
import type { ModelAllowlist } from '../types/call-context.js';

/**
 * Throws `model_not_allowed` unless every allowlist (a key's, its team's) allows the
 * requested model. A pattern allows a name it equals (an alias, a catalog id or a
 * `provider/model`), and `provider/*` allows any model of that provider; a name not listed
 * itself is allowed when every target it routes to (fallbacks included) is.
 */
export function checkAllowedModels(
  resolved: ResolvedModel,
  fallbacks: readonly ResolvedModel[],
  allowlists: readonly ModelAllowlist[] | undefined,
): void {
  for (const list of allowlists ?? []) {
    if (!list.patterns.length || allows(list.patterns, resolved, fallbacks)) continue;
    const whose =
      list.scope === 'key' ? 'This API key' : `${list.scope === 'team' ? 'Team' : 'User'} ${list.id}`;
    throw new AIError(
      'model_not_allowed',
      `${whose} may not call model "${resolved.requested}": its allowed models are ${list.patterns
        .map((p) => `"${p}"`)
        .join(', ')}. An admin can change its allowedModels.`,
      { retryable: false, limit: { scope: list.scope, kind: 'model' }, allowedModels: [...list.patterns] },
    );
  }
}

function allows(
  patterns: readonly string[],
  resolved: ResolvedModel,
  fallbacks: readonly ResolvedModel[],
): boolean {
  const requested = resolved.requested.trim();
  if (patterns.some((p) => p === '*' || p === requested || matchesPrefix(p, requested))) return true;
  const targets = [resolved, ...fallbacks].flatMap((r) => r.targets);
  return (
    targets.length > 0 &&
    targets.every(({ provider, model }) =>
      patterns.some((p) => p === `${provider.name}/${model}` || p === `${provider.name}/*`),
    )
  );
}

/** `openai/*` matches `openai/gpt-4o` (a name given as provider/model). */
function matchesPrefix(pattern: string, name: string): boolean {
  return pattern.endsWith('/*') && name.startsWith(pattern.slice(0, -1));
}
