import type { ModelInfo } from './model-info.js';

/** What every provider is built from. */
export interface ProviderSettings {
  /** Registry name: what `provider/model` uses. */
  name: string;
  displayName?: string;
  apiKey?: string;
  /** Base URL of the API (for OpenAI-style APIs including `/v1`). */
  baseUrl?: string;
  /** Default per-call timeout. */
  timeoutMs?: number;
  /** Extra headers sent with every call. */
  headers?: Record<string, string>;
  /** Where the SDK's own warnings go (e.g. a deprecated model), instead of the console. */
  logger?: ProviderLogger;
  /** The catalog's models of this provider (prices, capabilities). */
  models: () => ModelInfo[];
}

/** A sink for an SDK's log lines. */
export interface ProviderLogger {
  warn(message: string): void;
  error(message: string): void;
}

/** The SDKs' logger shape, from ours (their info and debug lines are dropped). */
export function sdkLogger(logger: ProviderLogger | undefined) {
  if (!logger) return undefined;
  const text = (args: unknown[]) =>
    args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return {
    error: (...args: unknown[]) => logger.error(text(args)),
    warn: (...args: unknown[]) => logger.warn(text(args)),
    info: () => {},
    debug: () => {},
  };
}
