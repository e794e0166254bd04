import type { PrismaClient } from '@aigw/db';

/** Where the writer reports trouble. */
export interface UsageLogger {
  warn(msg: string): void;
  error(msg: string): void;
}

/** UsageWriter's options; only `prisma` and `spoolDir` have no default. */
export interface UsageWriterOptions {
  prisma: PrismaClient;
  /** Local folder for the disk spool and `rejected-*.jsonl`; one writer (process) per folder. */
  spoolDir: string;
  /** Rows per INSERT (500). */
  batchSize?: number;
  /** How often buffered records are flushed (200 ms). */
  flushIntervalMs?: number;
  /** Above this many records in memory, a slow database sees the excess parked on disk (100 000). */
  maxBufferedRecords?: number;
  /** First retry delay after a failed write (500 ms); doubles up to retryMaxMs (30 s), with jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long close() waits for the final flush before spooling what is left (10 s). */
  closeTimeoutMs?: number;
  logger?: UsageLogger;
  /**
   * Mirror buffered records in a journal file in spoolDir (true), so a process killed with
   * SIGKILL loses none of them: one write(2) per record, no fsync.
   */
  journal?: boolean;
}

/** UsageWriter's counters, for health checks and metrics. */
export interface UsageWriterStats {
  /** Records given to enqueue(). */
  enqueued: number;
  /** Rows inserted; duplicates the database skipped are not counted. */
  written: number;
  /** Records appended to the disk spool (a record spooled twice counts twice). */
  spooled: number;
  /** Records in memory, neither written nor on disk yet (those being appended to the spool included). */
  pending: number;
  /** Records the database refused for their content, kept in `rejected-*.jsonl`. */
  rejected: number;
  /** Records lost because memory was full while both the database and the disk failed. */
  dropped: number;
  /** Why database writes are failing now; cleared by the next successful write. */
  lastError?: string;
}
