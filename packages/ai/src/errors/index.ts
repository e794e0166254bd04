export {
  AIError,
  type AIErrorCode,
  cutSecrets,
  type RefusedBudget,
  scrubSecrets,
  type UpstreamReply,
} from './ai-error.js';
export { errorFromStatus, type HttpErrorInfo } from './error-from-status.js';
export {
  AbortedError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  ModelNotFoundError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from './errors.js';
export { mapSdkError } from './map-sdk-error.js';
export { retryAfterMs } from './retry-after.js';
