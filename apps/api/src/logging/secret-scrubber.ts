import { scrubSecrets } from '@aigw/ai';
/**
 * Removes secrets from a finished log line: every configured secret value, wherever it
 * appears, and anything shaped like a bearer token or an `sk-` key. Runs on the
 * serialized line, so no field, message or error text can slip past it.
 */
export class SecretScrubber {
  private readonly values: string[];

  constructor(secrets: Iterable<string | undefined>) {
    // Longest first, so a secret containing another is replaced whole.
    this.values = [...new Set([...secrets].filter((s): s is string => !!s && s.length >= 8))].sort(
      (a, b) => b.length - a.length,
    );
  }

  scrub(line: string): string {
    let out = line;
    for (const value of this.values) {
      if (out.includes(value)) out = out.split(value).join('[redacted]');
    }
    // The key shapes are the provider layer's own list, so logs and error messages hide the same things.
    return scrubSecrets(out);
  }
}

/** The secret values in an environment: keys, tokens, passwords and credentials in URLs. */
export function secretsInEnv(env: Record<string, string | undefined>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (/(KEY|TOKEN|SECRET|PASSWORD)$/i.test(name)) secrets.push(value);
    if (/_URL$/.test(name)) {
      try {
        const password = new URL(value).password;
        if (password) secrets.push(password, decodeURIComponent(password));
      } catch {
        // Not a URL: nothing to extract.
      }
    }
  }
  return secrets;
}
