import type { NativeBody } from '../../types/native-body.js';
import type { CallSignal } from '../call-signal.js';
import { withForwardedHeaders } from '../native/forwarded-headers.js';
import { joinUrl, nativeRequestBody } from '../native/native-request-body.js';
import type { NativePost } from '../native/post-native.js';

/** What a native call to an OpenAI-format API needs of its provider. */
export interface OpenAINativeTarget {
  provider: string;
  /** Base URL including `/v1`. */
  baseUrl: string;
  apiKey: string | undefined;
  /** The provider's configured extra headers. */
  headers: Record<string, string> | undefined;
}

/** A native-lane request to an OpenAI-format API at `path`: the caller's body, the gateway's bearer key. */
export function openAINativePost(
  target: OpenAINativeTarget,
  request: { model: string; native: NativeBody },
  call: CallSignal,
  path: string,
): NativePost {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...withForwardedHeaders(target.headers, request.native.headers),
  };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return {
    provider: target.provider,
    format: request.native.format,
    url: joinUrl(target.baseUrl, path, request.native.query),
    headers,
    body: nativeRequestBody(request.native, request.model),
    call,
    secrets: [target.apiKey],
  };
}
