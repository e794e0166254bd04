import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { tempSpoolDir } from './__fixtures__/usage-fixtures.js';
import { claimSpoolDir } from './spool-owner.js';

describe('claimSpoolDir', () => {
  let spool: Awaited<ReturnType<typeof tempSpoolDir>> | undefined;
  afterEach(async () => {
    await spool?.remove();
  });

  it('refuses a folder another running process holds, takes over from one that stopped, and gives it up', async () => {
    spool = await tempSpoolDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const owner = join(spool.dir, 'owner.json');
    try {
      await writeFile(owner, JSON.stringify({ pid: other.pid, host: hostname(), id: 'other' }));
      await expect(claimSpoolDir(spool.dir)).rejects.toThrow(
        new RegExp(`is in use by process ${other.pid} on this machine`),
      );
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    // Killed: its folder is ours now (its files are replayed by the writer).
    const release = await claimSpoolDir(spool.dir);
    expect(JSON.parse(await readFile(owner, 'utf8'))).toMatchObject({ pid: process.pid });
    // A second claim by this same process (a container's pid after a restart) is no conflict.
    const again = await claimSpoolDir(spool.dir);
    await release(); // not its claim any more: kept
    expect(JSON.parse(await readFile(owner, 'utf8'))).toMatchObject({ pid: process.pid });
    await again();
    await expect(readFile(owner, 'utf8')).rejects.toThrow();
  });
});
