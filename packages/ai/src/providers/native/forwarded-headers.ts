import type { WireFormat } from '../../types/native-body.js';

/**
 * The caller headers each format's native lane passes on: those that change what the
 * provider does (betas, the API version the caller was written against). Never the
 * caller's credentials, nor hop-by-hop or transport headers: those are the gateway's own.
 */
const FORWARDED: Record<WireFormat, readonly string[]> = {
  'anthropic-messages': ['anthropic-beta', 'anthropic-version'],
  'openai-chat': ['openai-beta'],
  'openai-responses': ['openai-beta'],
};

/** The caller's headers that a native call in `format` passes on, names in lower case. */
export function forwardedHeaders(
  format: WireFormat,
  incoming: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED[format]) {
    const value = incoming[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

/**
 * A provider's configured headers with the caller's forwarded ones over them; a beta list
 * (`anthropic-beta`, `openai-beta`) both name is the two lists joined, so an admin's betas
 * stay on whatever betas the caller asks for.
 */
export function withForwardedHeaders(
  configured: Record<string, string> | undefined,
  forwarded: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(configured ?? {})) out[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(forwarded)) {
    const admin = out[name];
    out[name] = admin !== undefined && name.endsWith('-beta') ? joinBetas(admin, value) : value;
  }
  return out;
}

function joinBetas(first: string, second: string): string {
  const names = [...first.split(','), ...second.split(',')].map((b) => b.trim()).filter(Boolean);
  return [...new Set(names)].join(',');
}
