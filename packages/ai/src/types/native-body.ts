/** A wire format that callers speak and that some providers take as it is. */
export type WireFormat = 'anthropic-messages' | 'openai-chat' | 'openai-responses';

/**
 * A caller's request in its own wire format, for a provider that speaks it (the native
 * lane): the body goes upstream as received but for `model`, with the gateway's
 * credentials, so nothing the gateway does not model is lost.
 */
export interface NativeBody {
  format: WireFormat;
  /** The caller's JSON body as received; `model` is replaced by the target's model id. */
  body: Record<string, unknown>;
  /** Caller headers that change what the provider does (`anthropic-beta`...), names in lower case. */
  headers: Record<string, string>;
  /** The caller's query string, without `?` (the Anthropic SDK's beta calls add `beta=true`). */
  query?: string;
}

/** A native call's answer as the provider sent it (a stream's bytes come as `raw` parts instead). */
export interface NativeReply {
  status: number;
  /** The provider's `content-type`. */
  contentType: string;
  body: Buffer;
}
