import { AiRuntime } from '@aigw/ai';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';

/** The longest an admin read waits for this process's buffered usage rows to be written. */
export const FLUSH_BEFORE_READ_MS = 2000;

/**
 * Writes the usage rows this process holds in its buffer before an admin read of usage, so
 * a call answered here is in the next summary or log page read here (read-your-writes;
 * other replicas write theirs within USAGE_FLUSH_INTERVAL_MS). Waits at most
 * FLUSH_BEFORE_READ_MS: with the database down the read fails on its own, and the rows stay
 * safe on disk.
 */
@Injectable()
export class WrittenUsageFirst implements NestInterceptor {
  constructor(private readonly runtime: AiRuntime) {}

  async intercept(_context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const writer = this.runtime.writer;
    // Nothing held here (or all of it already on disk while the database is down): read at once.
    if (writer && writer.stats().pending > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, FLUSH_BEFORE_READ_MS);
      });
      await Promise.race([writer.flush().catch(() => undefined), timeout]);
      clearTimeout(timer);
    }
    return next.handle();
  }
}
