import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Who uses a spool folder now: `owner.json` in it. */
interface Owner {
  pid: number;
  host: string;
  id: string;
}

const OWNER_FILE = 'owner.json';

/** Whether a process with this pid runs on this machine (signal 0 checks without sending). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims a spool folder for this process: a folder holds one process's journal and spool,
 * and another process starting on it would replay, then delete, files the first still
 * writes. Refuses (throws) when `owner.json` names another process still running on this
 * machine; takes over from one that has stopped (killed or not), or from a container's
 * earlier life (the same pid). Returns a function that gives the folder up.
 */
export async function claimSpoolDir(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, OWNER_FILE);
  const me: Owner = { pid: process.pid, host: hostname(), id: randomBytes(6).toString('hex') };
  let owner: Owner | undefined;
  try {
    owner = JSON.parse(await readFile(path, 'utf8')) as Owner;
  } catch {
    owner = undefined;
  }
  if (owner && owner.host === me.host && owner.pid !== me.pid && running(owner.pid)) {
    throw new Error(
      `The usage spool folder ${dir} is in use by process ${owner.pid} on this machine. ` +
        'Give each process its own folder (USAGE_SPOOL_DIR), or remove its owner.json if that process is not a gateway.',
    );
  }
  await writeFile(path, JSON.stringify(me));
  return async () => {
    // Only our own claim: a process that took over after us keeps its own.
    const now = await readFile(path, 'utf8').catch(() => '');
    if (now.includes(`"id":"${me.id}"`)) await rm(path, { force: true });
  };
}
