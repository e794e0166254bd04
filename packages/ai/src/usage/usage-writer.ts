import type { PrismaClient } from '@aigw/db';
import { describeError } from './describe-error.js';
import { claimSpoolDir } from './spool-owner.js';
import { JournalTicket, UsageJournal } from './usage-journal.js';
import type { UsageRecord } from './usage-record.js';
import { UsageSpool } from './usage-spool.js';
import type { UsageLogger, UsageWriterOptions, UsageWriterStats } from './usage-writer-options.js';
import { writeUsageBatch } from './write-usage-batch.js';

/**
 * Gets usage rows into PostgreSQL, never losing or doubling one: enqueue() buffers (mirrored
 * in a local journal file that outlives a killed process), batches go in with one
 * `INSERT … ON CONFLICT DO NOTHING` each, and while the database fails the records wait in an
 * fsync'd disk spool that is replayed once writes work again.
 */
export class UsageWriter {
  private readonly prisma: PrismaClient;
  private readonly spool: UsageSpool;
  private readonly journal: UsageJournal | undefined;
  private releaseSpool: (() => Promise<void>) | undefined;
  private readonly logger: UsageLogger;
  private readonly batchSize: number;
  private readonly maxBufferedRecords: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly closeTimeoutMs: number;
  private readonly timer: NodeJS.Timeout;
  private buffer: UsageRecord[] = [];
  /** The buffered batch being written: close() spools it if that write hangs. */
  private writing: UsageRecord[] = [];
  private writingTicket = new JournalTicket([]);
  /** Records taken from memory whose spool append has not finished yet. */
  private spooling = 0;
  private flushing: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private overflowing = false;
  /** Consecutive failed database writes; above 0 the database is considered down. */
  private failures = 0;
  private retryAt = 0;
  private diskFailing = false;
  private lastError: string | undefined;
  private readonly counts = { enqueued: 0, written: 0, spooled: 0, rejected: 0, dropped: 0 };

  constructor(options: UsageWriterOptions) {
    this.prisma = options.prisma;
    this.logger = options.logger ?? { warn: (m) => console.warn(m), error: (m) => console.error(m) };
    this.spool = new UsageSpool(options.spoolDir, this.logger);
    this.journal = options.journal === false ? undefined : new UsageJournal(options.spoolDir, this.logger);
    this.batchSize = options.batchSize ?? 500;
    this.maxBufferedRecords = options.maxBufferedRecords ?? 100_000;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
    this.timer = setInterval(() => this.tick(), options.flushIntervalMs ?? 200);
    // The writer alone must not keep the process alive; close() flushes at shutdown.
    this.timer.unref();
  }

  /**
   * Claims the spool folder (refused when another running process uses it), then picks up
   * spool and journal files an earlier process left; they are written in the background
   * (flush() waits).
   */
  async start(): Promise<void> {
    this.releaseSpool ??= await claimSpoolDir(this.spool.dir);
    const leftover = await this.spool.list(this.journal?.prefix);
    if (leftover.length === 0) return;
    this.logger.warn(`Usage writer: replaying ${leftover.length} spool file(s) from ${this.spool.dir}`);
    void this.runFlush(false);
  }

  /**
   * Buffers one record and returns at once: no database work on the request path, and on
   * disk only a write(2) to the journal (no fsync).
   */
  enqueue(record: UsageRecord): void {
    this.counts.enqueued++;
    this.buffer.push(record);
    this.journal?.append(record);
    if (this.closing) {
      // After close() no flush will come: straight to disk, for the next start.
      void this.spoolRecords(this.take());
    } else if (this.buffer.length >= this.batchSize && !this.flushing) {
      void this.runFlush(false);
    }
  }

  /** Writes what is buffered now, and the spool, even while backing off; what fails is on disk after. */
  async flush(): Promise<void> {
    // A running flush may have taken its batch before the latest records: let it end first.
    while (this.flushing) await this.flushing;
    await this.runFlush(true);
  }

  /** Stops the timer and flushes, waiting at most closeTimeoutMs; what is left goes to the spool. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** Counters for health checks and metrics. */
  stats(): UsageWriterStats {
    const pending = this.buffer.length + this.writing.length + this.spooling;
    return {
      ...this.counts,
      pending,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.timer);
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timeout = setTimeout(() => resolve(true), this.closeTimeoutMs);
    });
    const late = await Promise.race([this.flush().then(() => false), timedOut]);
    clearTimeout(timeout);
    if (late) this.logger.warn(`Usage writer: flush still running after ${this.closeTimeoutMs} ms`);
    // A hung write's batch too: should that write still land, the replay skips the duplicates.
    const rest = this.take();
    const unsaved = {
      records: this.writing.concat(rest.records),
      ticket: this.writingTicket.concat(rest.ticket),
    };
    // Counted as being spooled now, not also as being written.
    this.writing = [];
    this.writingTicket = new JournalTicket([]);
    await this.spoolRecords(unsaved);
    await this.spool.close();
    this.journal?.close();
    await this.releaseSpool?.().catch(() => undefined);
  }

  private tick(): void {
    if (this.flushing) {
      // A write that hangs must not let memory grow without bound: park the excess on disk.
      if (this.buffer.length >= this.maxBufferedRecords && !this.overflowing) {
        this.overflowing = true;
        void this.spoolRecords(this.take()).finally(() => {
          this.overflowing = false;
        });
      }
      return;
    }
    if (this.buffer.length > 0 || (this.spool.hasRecords && Date.now() >= this.retryAt)) {
      void this.runFlush(false);
    }
  }

  /** At most one flush at a time: a caller while one runs gets that one. */
  private runFlush(force: boolean): Promise<void> {
    this.flushing ??= this.drain(force)
      .catch((error: unknown) => this.logger.error(`Usage writer: flush failed: ${describeError(error)}`))
      .finally(() => {
        this.flushing = undefined;
        // A full batch that came in meanwhile goes now; the rest waits for the timer.
        if (!this.closing && this.failures === 0 && this.buffer.length >= this.batchSize) {
          void this.runFlush(false);
        }
      });
    return this.flushing;
  }

  private async drain(force: boolean): Promise<void> {
    if (this.failures > 0 && !force && Date.now() < this.retryAt) {
      // Backing off: new records wait on disk, safe from a crash, until the next attempt.
      await this.spoolRecords(this.take());
      return;
    }
    try {
      // Oldest first; the first statement doubles as the probe after an outage.
      if (this.spool.hasRecords) await this.spool.replay((records) => this.writeAll(records));
      // Only what is buffered now: records enqueued meanwhile go to the next flush.
      let left = this.buffer.length;
      while (left > 0) {
        const batch = this.take(Math.min(left, this.batchSize));
        // Parked on disk meanwhile (a hung write let the buffer overflow): nothing left here.
        if (batch.records.length === 0) break;
        this.writing = batch.records;
        this.writingTicket = batch.ticket;
        left -= this.writing.length;
        await this.writeBatch(this.writing);
        this.journal?.settle(batch.ticket);
        this.writing = [];
        this.writingTicket = new JournalTicket([]);
      }
    } catch (error) {
      this.failed(error);
      // Kept on disk rather than in memory, so a crash during the outage loses nothing;
      // the retry replays them from there.
      const rest = this.take();
      const unsaved = {
        records: this.writing.concat(rest.records),
        ticket: this.writingTicket.concat(rest.ticket),
      };
      this.writing = [];
      this.writingTicket = new JournalTicket([]);
      await this.spoolRecords(unsaved);
    }
  }

  private async writeAll(records: UsageRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += this.batchSize) {
      await this.writeBatch(records.slice(i, i + this.batchSize));
    }
  }

  private async writeBatch(records: readonly UsageRecord[]): Promise<void> {
    this.counts.written += await writeUsageBatch(this.prisma, records, (record, error) =>
      this.reject(record, error),
    );
    this.recovered();
  }

  private async reject(record: UsageRecord, error: unknown): Promise<void> {
    this.counts.rejected++;
    const reason = describeError(error);
    this.logger.error(
      `Usage writer: row refused (requestId ${record?.requestId}, attempt ${record?.attempt}), ` +
        `kept in ${this.spool.dir}/rejected-*.jsonl: ${reason}`,
    );
    await this.spool.reject({ reason, record }).catch((diskError: unknown) => {
      // The log is then all that is left of it: log the whole row.
      this.logger.error(
        `Usage writer: could not keep it (${describeError(diskError)}): ${JSON.stringify(record)}`,
      );
    });
  }

  /** The n oldest buffered records (all by default), with their journal ticket. */
  private take(n = this.buffer.length): { records: UsageRecord[]; ticket: JournalTicket } {
    return {
      records: this.buffer.splice(0, n),
      ticket: this.journal?.take(n) ?? new JournalTicket([]),
    };
  }

  private async spoolRecords({
    records,
    ticket,
  }: {
    records: UsageRecord[];
    ticket: JournalTicket;
  }): Promise<void> {
    if (records.length === 0) return;
    this.spooling += records.length;
    try {
      await this.spool.append(records);
      this.journal?.settle(ticket);
      this.counts.spooled += records.length;
      if (this.diskFailing) this.logger.warn('Usage writer: the disk spool works again');
      this.diskFailing = false;
    } catch (error) {
      if (!this.diskFailing)
        this.logger.error(`Usage writer: cannot write the spool: ${describeError(error)}`);
      this.diskFailing = true;
      // Back in memory, oldest first; only when memory is full too is anything given up
      // (in memory: the journal keeps what it holds of them, for the next start).
      this.buffer = records.concat(this.buffer);
      this.journal?.putBack(ticket);
      const excess = this.buffer.length - this.maxBufferedRecords;
      if (excess > 0) {
        this.take(excess);
        this.counts.dropped += excess;
        this.logger.error(`Usage writer: database and disk both failing, dropped ${excess} oldest record(s)`);
      }
    } finally {
      this.spooling -= records.length;
    }
  }

  private failed(error: unknown): void {
    this.failures++;
    const ceiling = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.min(this.failures - 1, 30));
    // Jitter, so many gateway instances do not all retry at once after a shared outage.
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.retryAt = Date.now() + delay;
    this.lastError = describeError(error);
    const message =
      `Usage writer: database write failed (${this.failures} in a row), spooling to disk, ` +
      `retry in ${delay} ms: ${this.lastError}`;
    if (this.failures === 1) this.logger.error(message);
    else this.logger.warn(message);
  }

  private recovered(): void {
    if (this.failures === 0) return;
    this.logger.warn(`Usage writer: database writes work again after ${this.failures} failure(s)`);
    this.failures = 0;
    this.retryAt = 0;
    this.lastError = undefined;
  }
}
