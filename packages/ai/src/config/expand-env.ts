/** A `${VAR}` that the environment does not define, and where it was. */
export class MissingVariableError extends Error {
  constructor(
    readonly path: string,
    readonly variable: string,
  ) {
    super(
      `${path}: \${${variable}} is not set in the environment (use \${${variable}:-default} for a default)`,
    );
  }
}

/** Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed YAML value. */
export function expandEnv(value: unknown, env: Record<string, string | undefined>, path = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_m, name: string, fallback?: string) => {
        const found = env[name];
        if (found !== undefined && found !== '') return found;
        if (fallback !== undefined) return fallback;
        throw new MissingVariableError(path || '(root)', name);
      },
    );
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, path ? `${path}.${k}` : k)]),
    );
  }
  return value;
}
