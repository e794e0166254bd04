import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/**
 * Background responses (`background: true`) running in this process, each with the
 * signal that cancels it. A cancel reaches a run only on the replica running it; a
 * shutdown cancels the runs still going, which record themselves as cancelled.
 */
@Injectable()
export class BackgroundRuns implements BeforeApplicationShutdown {
  private readonly logger = new Logger('BackgroundResponses');
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();

  /** Runs `work` detached from the request that asked for it. */
  start(id: string, work: (signal: AbortSignal) => Promise<void>): void {
    const abort = new AbortController();
    const done = work(abort.signal)
      .catch((error: Error) => this.logger.error(`Background response ${id} failed: ${error.message}`))
      .finally(() => this.running.delete(id));
    this.running.set(id, { abort, done });
  }

  /** Cancels a run of this process; false when none with this id is running here. */
  cancel(id: string): boolean {
    const run = this.running.get(id);
    run?.abort.abort();
    return run !== undefined;
  }

  /** Waits until a run of this process has recorded its end (at once when none is running). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.done;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const runs = [...this.running.values()];
    for (const run of runs) run.abort.abort();
    await Promise.all(runs.map((run) => run.done));
  }
}
