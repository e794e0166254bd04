import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { memoryLogger, spoolFiles, tempSpoolDir, usageRecord } from './__fixtures__/usage-fixtures.js';
import type { UsageRecord } from './usage-record.js';
import { UsageSpool } from './usage-spool.js';

// The disk side alone; the writer tests cover it with a real database.
describe('UsageSpool', () => {
  let tmp: Awaited<ReturnType<typeof tempSpoolDir>>;
  beforeEach(async () => {
    tmp = await tempSpoolDir();
  });
  afterEach(async () => {
    await tmp.remove();
  });

  const ids = (records: UsageRecord[]) => records.map((r) => r.requestId);

  it('replays files oldest first, deleting each only once written', async () => {
    const spool = new UsageSpool(tmp.dir, memoryLogger(), 3);
    await spool.append([usageRecord('a'), usageRecord('b')]);
    await spool.append([usageRecord('c'), usageRecord('d')]); // the file is full after 3+ lines
    await spool.append([usageRecord('e')]);
    expect(await spoolFiles(tmp.dir)).toHaveLength(2);
    expect(spool.hasRecords).toBe(true);

    const seen: string[][] = [];
    const replayed = await spool.replay(async (records) => {
      seen.push(ids(records));
    });
    expect(replayed).toBe(5);
    expect(seen).toEqual([['a', 'b', 'c', 'd'], ['e']]);
    expect(await spoolFiles(tmp.dir)).toEqual([]);
    expect(spool.hasRecords).toBe(false);
  });

  it('keeps a file whose write failed, and hands it over again next time', async () => {
    const spool = new UsageSpool(tmp.dir, memoryLogger());
    await spool.append([usageRecord('x'), usageRecord('y')]);
    await expect(
      spool.replay(async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    expect(await spoolFiles(tmp.dir)).toHaveLength(1);

    // A new process finds it on disk.
    const restarted = new UsageSpool(tmp.dir, memoryLogger());
    expect(await restarted.list()).toHaveLength(1);
    const seen: string[] = [];
    await restarted.replay(async (records) => {
      seen.push(...ids(records));
    });
    expect(seen).toEqual(['x', 'y']);
    expect(await spoolFiles(tmp.dir)).toEqual([]);
  });

  it('puts records appended during a replay in a new file, left for the next replay', async () => {
    const spool = new UsageSpool(tmp.dir, memoryLogger());
    await spool.append([usageRecord('old')]);
    const seen: string[] = [];
    await spool.replay(async (records) => {
      seen.push(...ids(records));
      await spool.append([usageRecord('new')]);
    });
    expect(seen).toEqual(['old']);
    expect(spool.hasRecords).toBe(true);
    await spool.replay(async (records) => {
      seen.push(...ids(records));
    });
    expect(seen).toEqual(['old', 'new']);
  });
});
