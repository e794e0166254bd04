import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { type AiConfigFile, aiConfigSchema } from './ai-config.schema.js';
import { expandEnv, MissingVariableError, missingVariableMessage, type UnsetVariable } from './expand-env.js';
import { type RequirableField, requiredProviderFields } from './provider-requirements.js';

/** A config file that cannot be used; the message names the file, the path inside it and the problem. */
export class AiConfigError extends Error {
  override readonly name = 'AiConfigError';
}

const EMPTY: AiConfigFile = { providers: {}, models: [], routes: {} };

/**
 * Reads the YAML config: `AI_CONFIG` if set (it must exist), else `ai.config.yaml` in
 * the working directory when present, else an empty config.
 */
export function loadAiConfig(env: Record<string, string | undefined> = process.env): {
  file?: string;
  config: AiConfigFile;
} {
  const explicit = env.AI_CONFIG?.trim();
  const file = resolve(explicit || 'ai.config.yaml');
  if (!existsSync(file)) {
    if (explicit) throw new AiConfigError(`${explicit}: AI_CONFIG names a file that does not exist`);
    return { config: EMPTY };
  }
  return { file, config: parseAiConfig(readFileSync(file, 'utf8'), file, env) };
}

/** Parses and validates config text; `source` names it in errors. */
export function parseAiConfig(
  text: string,
  source: string,
  env: Record<string, string | undefined>,
): AiConfigFile {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    throw new AiConfigError(`${source}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  let expanded: unknown;
  // Values that were exactly one unset `${VAR}`: left out, which is fine where optional.
  const unset: UnsetVariable[] = [];
  try {
    expanded = expandEnv(raw, env, '', unset);
  } catch (error) {
    if (error instanceof MissingVariableError) throw new AiConfigError(`${source}: ${error.message}`);
    throw error;
  }
  const result = aiConfigSchema.safeParse(expanded);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const path = issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '');
      // A required value left out because its variable is unset: say so, not "invalid".
      const cause = unset.find(
        (u) =>
          u.path === path ||
          (issue.code === 'invalid_union' &&
            (u.path.startsWith(`${path}.`) || u.path.startsWith(`${path}[`))),
      );
      return `  ${path || '(root)'}: ${cause ? missingVariableMessage(cause.variable) : issue.message}`;
    });
    throw new AiConfigError(`${source} is not a valid AI config:\n${lines.join('\n')}`);
  }
  checkUnsetRequired(result.data, unset, source);
  checkReferences(result.data, source);
  return result.data;
}

/**
 * A provider field the provider cannot do without (see requiredProviderFields; and the
 * key of an `openai` provider, which the OpenAI API needs) must not be an unset `${VAR}`.
 */
function checkUnsetRequired(config: AiConfigFile, unset: UnsetVariable[], source: string): void {
  for (const { path, variable } of unset) {
    const match = /^providers\.([^.]+)\.(apiKey|baseUrl)$/.exec(path);
    const provider = match && config.providers[match[1] as string];
    if (!provider) continue;
    const required: Partial<Record<RequirableField, string>> = {
      ...(provider.type === 'openai' ? { apiKey: 'required for an openai provider' } : {}),
      ...requiredProviderFields(provider),
    };
    const why = required[match[2] as RequirableField];
    if (why) throw new AiConfigError(`${source}: ${path}: ${missingVariableMessage(variable)}; ${why}`);
  }
}

/** Models and routes must name providers that exist (from the file or the environment, checked again later). */
function checkReferences(config: AiConfigFile, source: string): void {
  for (const [name, route] of Object.entries(config.routes)) {
    for (const fallback of route.fallbacks ?? []) {
      if (!config.routes[fallback])
        throw new AiConfigError(`${source}: routes.${name}.fallbacks: no route named "${fallback}"`);
    }
  }
}
