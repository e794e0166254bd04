import { AIError, cutSecrets } from './ai-error.js';
import { errorFromStatus } from './error-from-status.js';
import { AbortedError, ConnectionError, TimeoutError, UpstreamError } from './errors.js';

/**
 * The official `openai` and `@anthropic-ai/sdk` packages share one error design
 * (APIError with status/headers/error body; connection, timeout and user-abort errors).
 * This maps any of them to our classes, by shape, so no SDK error leaks out.
 */
export function mapSdkError(
  error: unknown,
  provider: string,
  signal?: AbortSignal,
  options: { timedOut?: boolean; secrets?: (string | undefined)[] } = {},
): AIError {
  if (error instanceof AIError) return error;
  const mapped = classify(error, provider, signal, options.timedOut ?? false);
  return scrubValues(mapped, options.secrets ?? []);
}

function classify(
  error: unknown,
  provider: string,
  signal: AbortSignal | undefined,
  timedOut: boolean,
): AIError {
  if (timedOut) return new TimeoutError(`${provider}: the call timed out`, { provider });
  const e = error as {
    name?: string;
    status?: number;
    headers?: Headers | Record<string, string>;
    error?: { type?: string; code?: string; message?: string; error?: { type?: string; message?: string } };
    message?: string;
    constructor?: { name?: string };
  };
  const kind = e?.constructor?.name ?? e?.name ?? '';
  if (signal?.aborted || kind === 'APIUserAbortError' || e?.name === 'AbortError') {
    return new AbortedError(`${provider}: the call was cancelled`, { provider });
  }
  if (kind === 'APIConnectionTimeoutError' || e?.name === 'TimeoutError') {
    return new TimeoutError(`${provider}: the call timed out`, { provider });
  }
  if (typeof e?.status === 'number') {
    // OpenAI: { error: { message, type, code } } arrives as `error`; Anthropic: { type: 'error', error: { type, message } }.
    const body = e.error ?? {};
    const inner = body.error ?? body;
    const upstreamCode = (body as { code?: string }).code ?? inner.type;
    const message = inner.message ?? body.message ?? stripStatusPrefix(e.message);
    return errorFromStatus({
      provider,
      status: e.status,
      message: message ?? '',
      headers: e.headers,
      upstreamCode,
    });
  }
  if (kind === 'APIConnectionError') {
    return new ConnectionError(
      `${provider}: could not reach the provider (${e.message ?? 'connection error'})`,
      {
        provider,
      },
    );
  }
  return new UpstreamError(`${provider}: ${e?.message ?? String(error)}`, { provider });
}

function stripStatusPrefix(message: string | undefined): string | undefined {
  return message?.replace(/^\d{3}\s+/, '');
}

/** Our errors keep no reference to the SDK error (it holds request details); values of secrets are cut from the message. */
function scrubValues(error: AIError, secrets: (string | undefined)[]): AIError {
  const message = cutSecrets(error.message, secrets);
  if (message !== error.message) Object.defineProperty(error, 'message', { value: message });
  return error;
}
