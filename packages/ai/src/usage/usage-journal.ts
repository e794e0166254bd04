import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from './describe-error.js';
import type { UsageRecord } from './usage-record.js';
import type { UsageLogger } from './usage-writer-options.js';

/** A journal file: its records not yet in the database or the spool are `pending`. */
interface JournalFile {
  readonly name: string;
  fd: number | undefined;
  pending: number;
}

/** Consecutive buffered records from one journal file (none: records the journal does not hold). */
interface Run {
  readonly file: JournalFile | undefined;
  count: number;
  /** Settled or put back: it counts no more (a batch may be both written late and spooled). */
  done?: boolean;
}

/** Which journal files hold a batch of records taken from the buffer. */
export class JournalTicket {
  constructor(readonly runs: Run[]) {}

  /** This ticket and `other`'s runs, in that order. */
  concat(other: JournalTicket): JournalTicket {
    return new JournalTicket([...this.runs, ...other.runs]);
  }
}

/**
 * The usage writer's memory buffer, mirrored on local disk: enqueue() writes each record to a
 * `journal-*.jsonl` file before it returns (write(2), no fsync: the bytes are the kernel's,
 * so a process killed even with SIGKILL leaves them, though a power cut may not). The next
 * start replays leftover journal files like spool files (writes are idempotent). A file is
 * deleted once all its records are in the database or in the fsync'd spool.
 *
 * The buffer is first in, first out, so the journal tracks it as runs of records per file:
 * take(n) hands the n oldest records' runs over as a ticket, settle(ticket) marks them saved.
 */
export class UsageJournal {
  /** Names of this process's own files start with this: never replayed by itself. */
  readonly prefix = `journal-${String(Date.now()).padStart(15, '0')}-${randomBytes(4).toString('hex')}-`;
  private active: JournalFile | undefined;
  private readonly runs: Run[] = [];
  private seq = 0;
  private failing = false;
  private dirReady = false;

  constructor(
    readonly dir: string,
    private readonly logger: UsageLogger,
  ) {}

  /** Writes the record to the current journal file (synchronously), as the newest buffered one. */
  append(record: UsageRecord): void {
    let file: JournalFile | undefined;
    try {
      file = this.active ?? this.open();
      writeAll(file.fd as number, Buffer.from(`${JSON.stringify(record)}\n`));
      file.pending++;
      if (this.failing) this.logger.warn('Usage journal: writing works again');
      this.failing = false;
    } catch (error) {
      // Still buffered in memory, as it would be without a journal; only a crash loses it now.
      if (!this.failing)
        this.logger.error(`Usage journal: cannot write ${this.dir}: ${describeError(error)}`);
      this.failing = true;
      file = undefined;
      // The file may end in a torn line now: never append after it (its records stay on disk).
      this.seal();
    }
    const last = this.runs.at(-1);
    if (last && last.file === file) last.count++;
    else this.runs.push({ file, count: 1 });
  }

  /** The n oldest buffered records' runs; later records go to a new file. */
  take(n: number): JournalTicket {
    this.seal();
    const taken: Run[] = [];
    while (n > 0 && this.runs.length > 0) {
      const run = this.runs[0] as Run;
      const count = Math.min(n, run.count);
      taken.push({ file: run.file, count });
      run.count -= count;
      if (run.count === 0) this.runs.shift();
      n -= count;
    }
    return new JournalTicket(taken);
  }

  /** Records taken but not saved, back at the front of the buffer (oldest first). */
  putBack(ticket: JournalTicket): void {
    const back = ticket.runs.map((run) => {
      // One already settled elsewhere is safe: its records no longer keep a file.
      const file = run.done ? undefined : run.file;
      run.done = true;
      return { file, count: run.count };
    });
    this.runs.unshift(...back);
  }

  /** The ticket's records are in the database or the spool: files with none left go. */
  settle(ticket: JournalTicket): void {
    for (const run of ticket.runs) {
      if (run.done) continue;
      run.done = true;
      if (!run.file) continue;
      run.file.pending -= run.count;
      if (run.file.pending === 0 && run.file !== this.active) this.remove(run.file);
    }
  }

  /** Closes the current file; its records stay on disk until settled. */
  close(): void {
    this.seal();
  }

  private open(): JournalFile {
    if (!this.dirReady) {
      mkdirSync(this.dir, { recursive: true });
      this.dirReady = true;
    }
    const name = `${this.prefix}${String(this.seq++).padStart(9, '0')}.jsonl`;
    this.active = { name, fd: openSync(join(this.dir, name), 'ax'), pending: 0 };
    return this.active;
  }

  private seal(): void {
    const file = this.active;
    if (!file) return;
    this.active = undefined;
    this.closeFd(file);
    if (file.pending === 0) this.remove(file);
  }

  private remove(file: JournalFile): void {
    this.closeFd(file);
    try {
      rmSync(join(this.dir, file.name), { force: true });
    } catch (error) {
      this.logger.warn(`Usage journal: cannot delete ${file.name}: ${describeError(error)}`);
    }
  }

  private closeFd(file: JournalFile): void {
    if (file.fd === undefined) return;
    try {
      closeSync(file.fd);
    } catch {
      // Already closed or gone: nothing to keep.
    }
    file.fd = undefined;
  }
}

/** Writes all of `bytes` (write(2) may take fewer than asked, say on a full disk). */
function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) {
    const written = writeSync(fd, bytes, offset, bytes.length - offset);
    if (written <= 0) throw new Error('the disk took no more bytes');
    offset += written;
  }
}
