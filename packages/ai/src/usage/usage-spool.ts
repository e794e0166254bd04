import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { UsageRecord } from './usage-record.js';
import type { UsageLogger } from './usage-writer-options.js';

/** Spool files, and journal files a process left (UsageJournal): both replayed alike. */
const SPOOL_FILE = /^(spool|journal)-.+\.jsonl$/;

/**
 * Usage records waiting for the database, on local disk: `spool-*.jsonl` files, one record a
 * line, fsync'd before append() resolves. Names sort oldest first. A spool directory belongs
 * to one process at a time: another one would replay, then delete, files this one appends to.
 */
export class UsageSpool {
  /** Spool files holding records not yet replayed (this process's and earlier ones'). */
  private readonly files = new Set<string>();
  private active: { name: string; handle: FileHandle; lines: number } | undefined;
  /** File operations run one at a time; replay() does not hold the queue while writing rows. */
  private queue: Promise<unknown> = Promise.resolve();
  private seq = 0;
  private dirReady = false;

  constructor(
    readonly dir: string,
    private readonly logger: UsageLogger,
    private readonly maxLinesPerFile = 10_000,
  ) {}

  /** True when records wait on disk. */
  get hasRecords(): boolean {
    return this.files.size > 0;
  }

  /**
   * The spool files on disk, oldest first, including those (and the journal files) an earlier
   * process left; names starting with `ownPrefix` (this process's journal) are not taken.
   */
  list(ownPrefix?: string): Promise<string[]> {
    return this.exclusive(async () => {
      await this.ensureDir();
      for (const name of await readdir(this.dir)) {
        if (SPOOL_FILE.test(name) && !(ownPrefix && name.startsWith(ownPrefix))) this.files.add(name);
      }
      return [...this.files].sort();
    });
  }

  /** Appends records to the current spool file; resolves once they are fsync'd. */
  append(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return this.exclusive(async () => {
      const file = this.active ?? (await this.openNext());
      try {
        await file.handle.appendFile(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
        await file.handle.sync();
      } catch (error) {
        // The file may now end in a torn line: never append after it.
        await this.seal();
        throw error;
      }
      file.lines += records.length;
      if (file.lines >= this.maxLinesPerFile) await this.seal();
    });
  }

  /**
   * Hands each spool file's records to `write`, oldest file first, and deletes a file only
   * once `write` has resolved for all of it. Stops at, and rethrows, the first failure.
   */
  async replay(write: (records: UsageRecord[]) => Promise<void>): Promise<number> {
    // Sealed first, so appends made while replaying go to a new file (replayed next time).
    const names = await this.exclusive(async () => {
      await this.seal();
      return [...this.files].sort();
    });
    let replayed = 0;
    for (const name of names) {
      const records = await this.read(name);
      await write(records);
      await this.exclusive(() => rm(join(this.dir, name), { force: true }));
      this.files.delete(name);
      replayed += records.length;
    }
    return replayed;
  }

  /** Keeps what the database refused, with the reason, in `rejected-<date>.jsonl` for a human. */
  reject(entry: { reason: string; record?: unknown; line?: string }): Promise<void> {
    return this.exclusive(async () => {
      await this.ensureDir();
      const name = `rejected-${new Date().toISOString().slice(0, 10)}.jsonl`;
      const handle = await open(join(this.dir, name), 'a');
      try {
        await handle.appendFile(`${JSON.stringify({ rejectedAt: new Date().toISOString(), ...entry })}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  /** Closes the current spool file (its records stay on disk). */
  close(): Promise<void> {
    return this.exclusive(() => this.seal());
  }

  private async read(name: string): Promise<UsageRecord[]> {
    const text = await readFile(join(this.dir, name), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    const records: UsageRecord[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as UsageRecord);
      } catch {
        // Only a crash or failed append mid-line leaves this, before the records were
        // acknowledged as on disk (so they were still in memory); kept for a human anyway.
        this.logger.warn(`Usage spool ${name}: unreadable line moved to the rejected file`);
        await this.reject({ reason: 'unreadable spool line', line });
      }
    }
    return records;
  }

  private async openNext(): Promise<NonNullable<UsageSpool['active']>> {
    await this.ensureDir();
    // Time first so names sort oldest first; the counter and random part keep them unique.
    const stamp = `${String(Date.now()).padStart(15, '0')}-${String(this.seq++).padStart(6, '0')}`;
    const name = `spool-${stamp}-${randomBytes(4).toString('hex')}.jsonl`;
    const handle = await open(join(this.dir, name), 'ax');
    this.files.add(name);
    // The new directory entry must survive a power cut too, not only the file's bytes.
    await syncDir(this.dir);
    this.active = { name, handle, lines: 0 };
    return this.active;
  }

  private async seal(): Promise<void> {
    const file = this.active;
    this.active = undefined;
    await file?.handle.close().catch(() => {});
  }

  private async ensureDir(): Promise<void> {
    if (this.dirReady) return;
    await mkdir(this.dir, { recursive: true });
    this.dirReady = true;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }
}

async function syncDir(dir: string): Promise<void> {
  // Some platforms cannot fsync a directory; the file's own fsync still holds there.
  const handle = await open(dir, 'r').catch(() => undefined);
  await handle?.sync().catch(() => {});
  await handle?.close();
}
