import type { UsageRecord } from './usage-record.js';

/** Where usage records go; `enqueue` must return at once (no I/O on the request path). */
export interface UsageSink {
  enqueue(record: UsageRecord): void;
}
