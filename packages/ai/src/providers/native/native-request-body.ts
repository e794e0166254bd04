import type { NativeBody } from '../../types/native-body.js';

/**
 * The JSON text a native-lane call sends: the caller's body with its `model` replaced by
 * the target's (in place, so the fields keep their order). Nothing else changes.
 */
export function nativeRequestBody(native: NativeBody, model: string): string {
  return JSON.stringify({ ...native.body, model });
}

/** Whether the caller asked for a stream (`stream: true` in its body). */
export function nativeWantsStream(native: NativeBody): boolean {
  return native.body.stream === true;
}

/** `base` and `path` joined with one slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
