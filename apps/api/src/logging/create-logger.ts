import type { IncomingMessage } from 'node:http';
import { uuidv7 } from '@aigw/ai';
import { type DestinationStream, type Level, type Logger, pino } from 'pino';
import { SecretScrubber } from './secret-scrubber.js';

/** How the service logs: level, where lines go (stdout by default), and which values to hide. */
export interface LoggingOptions {
  level: Level | 'silent';
  secrets: Iterable<string | undefined>;
  destination?: DestinationStream;
}

/**
 * The one pino logger of the process: Fastify logs requests through it and Nest's
 * Logger writes to it (nestjs-pino). Every finished line passes the secret scrubber.
 */
export function createLogger(options: LoggingOptions): Logger {
  const scrubber = new SecretScrubber(options.secrets);
  return pino(
    {
      level: options.level,
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
        censor: '[redacted]',
      },
      hooks: { streamWrite: (line: string) => scrubber.scrub(line) },
    },
    options.destination ?? process.stdout,
  );
}

/**
 * Our own id for every request (UUIDv7): it becomes the usage rows' requestId, which
 * must be unique, so a caller's `x-request-id` is logged beside it, never used for it.
 */
export function requestId(_req: IncomingMessage): string {
  return uuidv7();
}
