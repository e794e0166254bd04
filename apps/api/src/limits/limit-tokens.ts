/** The LimitStore shared by the virtual-key rate limits and AiModule's provider limits and budgets. */
export const LIMIT_STORE = Symbol('LIMIT_STORE');

/** The rpm window length in ms (RATE_LIMIT_WINDOW_MS). */
export const RATE_LIMIT_WINDOW_MS = Symbol('RATE_LIMIT_WINDOW_MS');
