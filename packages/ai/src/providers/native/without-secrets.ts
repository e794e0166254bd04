/**
 * The one change the native lane makes to a provider's bytes: a secret (the provider key)
 * echoed in them is cut out. Only the key's exact bytes: a model's output that merely
 * looks like a key is the caller's and passes as it is.
 */

/** The secrets worth looking for (8 characters or more), as bytes. */
export function secretBytes(secrets: readonly (string | undefined)[]): Buffer[] {
  return secrets.filter((s): s is string => !!s && s.length >= 8).map((s) => Buffer.from(s));
}

const REDACTED = Buffer.from('[redacted]');

/** The bytes with every occurrence of each secret replaced (the same bytes when there is none). */
export function withoutSecrets(chunk: Uint8Array, secrets: Buffer[]): Uint8Array {
  let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (const secret of secrets) {
    let at = bytes.indexOf(secret);
    if (at < 0) continue;
    const parts: Buffer[] = [];
    let from = 0;
    while (at >= 0) {
      parts.push(bytes.subarray(from, at), REDACTED);
      from = at + secret.length;
      at = bytes.indexOf(secret, from);
    }
    parts.push(bytes.subarray(from));
    bytes = Buffer.concat(parts);
  }
  return bytes;
}
