import { createUndiciFetch } from './undici-fetch.js';

/** The process's one HTTP transport for the provider SDKs: a keep-alive pool per origin. */
export const sharedFetch = createUndiciFetch();
