/** Why generation stopped, unified across providers, plus the provider's own word. */
export interface FinishReason {
  unified: 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other' | 'unknown';
  raw: string | undefined;
}
