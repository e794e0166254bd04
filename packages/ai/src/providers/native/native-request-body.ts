import type { NativeBody } from '../../types/native-body.js';

/**
 * The JSON text a native-lane call sends: the caller's body with its `model` replaced by
 * the target's (in place, so the fields keep their order). Nothing else changes.
 */
export function nativeRequestBody(native: NativeBody, model: string): string {
  return JSON.stringify({ ...native.body, model });
}

/** `base` and `path` joined with one slash, and the caller's query string if it sent one. */
export function joinUrl(base: string, path: string, query?: string): string {
  return `${base.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`;
}
