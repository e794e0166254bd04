import type { ReasoningPart } from '@aigw/ai';

const PREFIX = 'aigw:';

/**
 * Reasoning blocks as a reasoning item's `encrypted_content`: `aigw:` and the base64url
 * of their JSON. Not encryption: an envelope only this gateway reads back, so a later turn
 * can replay the blocks as they were (Anthropic checks its own signatures; redacted
 * blocks are the provider's ciphertext already).
 */
export function encodeReasoning(parts: ReasoningPart[]): string {
  return PREFIX + Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** The reasoning blocks in an `encrypted_content` this gateway wrote; undefined for any other. */
export function decodeReasoning(content: unknown): ReasoningPart[] | undefined {
  if (typeof content !== 'string' || !content.startsWith(PREFIX)) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(content.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return Array.isArray(parts) && parts.every(isReasoningPart) ? parts : undefined;
}

function isReasoningPart(part: unknown): part is ReasoningPart {
  if (typeof part !== 'object' || part === null) return false;
  const p = part as Record<string, unknown>;
  if (p.type === 'redacted-reasoning') return typeof p.data === 'string';
  return (
    p.type === 'reasoning' &&
    typeof p.text === 'string' &&
    (p.signature === undefined || typeof p.signature === 'string')
  );
}
