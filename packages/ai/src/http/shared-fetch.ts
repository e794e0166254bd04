import type { Agent } from 'undici';
import { createKeepAliveAgent } from './keep-alive-agent.js';
import { createUndiciFetch } from './undici-fetch.js';

/**
 * The process's one keep-alive pool per origin: the SDKs reach it through `sharedFetch`,
 * the native lane (the caller's own bytes, no SDK) with undici's `request()` directly.
 */
export const sharedAgent: Agent = createKeepAliveAgent();

/** The process's one HTTP transport for the provider SDKs, over `sharedAgent`. */
export const sharedFetch = createUndiciFetch({ dispatcher: sharedAgent });
