import type { Env } from './env.schema.js';

/** Below this many characters (and from the 8 the environment requires) a secret is easy to guess; it is taken, with a warning at start. */
export const SHORT_SECRET_LENGTH = 16;

/** The secrets set in the environment that are shorter than SHORT_SECRET_LENGTH, by name (never their values). */
export function shortSecrets(
  env: Pick<Env, 'ADMIN_API_KEY' | 'METRICS_TOKEN' | 'METRICS_BEARER_TOKEN' | 'ALERT_WEBHOOK_SECRET'>,
): string[] {
  const secrets = {
    ADMIN_API_KEY: env.ADMIN_API_KEY,
    METRICS_TOKEN: env.METRICS_TOKEN,
    METRICS_BEARER_TOKEN: env.METRICS_BEARER_TOKEN,
    ALERT_WEBHOOK_SECRET: env.ALERT_WEBHOOK_SECRET,
  };
  return Object.entries(secrets)
    .filter(([, value]) => value !== undefined && value.length < SHORT_SECRET_LENGTH)
    .map(([name]) => name);
}
