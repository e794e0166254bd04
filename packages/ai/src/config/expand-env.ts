/** A `${VAR}` that the environment does not define, and where it was. */
export class MissingVariableError extends Error {
  constructor(
    readonly path: string,
    readonly variable: string,
  ) {
    super(`${path}: ${missingVariableMessage(variable)}`);
  }
}

/** What is wrong when `${VAR}` is unset and has no default. */
export function missingVariableMessage(variable: string): string {
  return `\${${variable}} is not set in the environment (use \${${variable}:-default} for a default)`;
}

/** A value that was exactly one unset `${VAR}`, left out of the expanded config. */
export interface UnsetVariable {
  /** Where it was, e.g. `providers.local.apiKey` or `routes.smart.targets[0]`. */
  path: string;
  variable: string;
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed YAML value (an
 * empty variable counts as unset). A value that is exactly one `${VAR}` with VAR unset
 * is left out, as if not written (in a list, its place stays `undefined`), and recorded
 * in `unset`, so an optional field can name a variable a deployment does not set; the
 * caller decides whether a left-out field was required. An unset `${VAR}` inside a
 * longer string throws MissingVariableError.
 */
export function expandEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  path = '',
  unset: UnsetVariable[] = [],
): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_REFERENCE.exec(value);
    if (whole && !isSet(env[whole[1] as string])) {
      unset.push({ path: path || '(root)', variable: whole[1] as string });
      return undefined;
    }
    return value.replace(REFERENCE, (_m, name: string, fallback?: string) => {
      const found = env[name];
      if (isSet(found)) return found;
      if (fallback !== undefined) return fallback;
      throw new MissingVariableError(path || '(root)', name);
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, `${path}[${i}]`, unset));
  if (value && typeof value === 'object') {
    const entries: [string, unknown][] = [];
    for (const [k, v] of Object.entries(value)) {
      const expanded = expandEnv(v, env, path ? `${path}.${k}` : k, unset);
      // Left out: only a value that was an unset `${VAR}` expands to undefined.
      if (expanded !== undefined || v === undefined) entries.push([k, expanded]);
    }
    return Object.fromEntries(entries);
  }
  return value;
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}
