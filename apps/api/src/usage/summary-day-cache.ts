import { LRUCache } from 'lru-cache';
import type { UsageMeasures } from './usage-measures.js';

/** One UTC day's part of a summary grouped by day: its rows as JSON, and their totals. */
export interface DayPart {
  /** The day's rows, each as JSON, joined with commas, in UTF-8 (empty when the day has none). */
  json: Buffer;
  totals: UsageMeasures;
}

interface Entry {
  stamp: string;
  part: DayPart;
}

/**
 * Summary parts by day (and groups and covered span), each kept with the day's
 * AIUsageDailyStamp as it was when the part was computed. A part is given back only for
 * the same stamp: any write to that day's usage rows, by any process, gives the day a new
 * stamp (unique within one epoch, see `useEpoch`). The least recently used parts go first
 * when `maxBytes` (the parts' bytes and keys) is reached; 0 keeps none.
 */
export class SummaryDayCache {
  private readonly entries: LRUCache<string, Entry> | undefined;
  private epoch: string | undefined;

  constructor(maxBytes: number) {
    this.entries =
      maxBytes > 0
        ? new LRUCache<string, Entry>({
            maxSize: maxBytes,
            sizeCalculation: (entry, key) => entry.part.json.length + 2 * key.length + 256,
          })
        : undefined;
  }

  get enabled(): boolean {
    return this.entries !== undefined;
  }

  /**
   * The database and server run the stamps read now come from; a different one from the
   * last (a restore, a failover, a re-created database) drops every part.
   */
  useEpoch(epoch: string): void {
    if (epoch !== this.epoch) this.entries?.clear();
    this.epoch = epoch;
  }

  get(key: string, stamp: string): DayPart | undefined {
    const entry = this.entries?.get(key);
    return entry?.stamp === stamp ? entry.part : undefined;
  }

  set(key: string, stamp: string, part: DayPart): void {
    this.entries?.set(key, { stamp, part });
  }
}
