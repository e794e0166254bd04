import type { LimitStore } from '../limit-store.js';
import { MemoryLimitStore } from '../memory-limit-store.js';

/** A limit store under test, and how its test lets time pass. */
export interface LimitStoreSubject {
  store: LimitStore;
  wait: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Both stores for `describe.each`: the memory store on a fake clock that `wait` moves at
 * once, and a Redis store (from `connectRedis`) in real time, since its scripts read the
 * server's clock: its windows and TTLs must be long enough for a stalled event loop (up
 * to a second or so on a loaded machine) not to matter.
 */
export function limitStoreSubjects(connectRedis: () => LimitStore): [string, () => LimitStoreSubject][] {
  return [
    [
      'in memory',
      () => {
        let now = Date.now();
        return {
          store: new MemoryLimitStore(() => now),
          wait: async (ms) => {
            now += ms;
          },
        };
      },
    ],
    ['in Redis', () => ({ store: connectRedis(), wait: sleep })],
  ];
}
