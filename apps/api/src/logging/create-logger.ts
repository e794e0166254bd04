import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
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

/** A caller's `x-request-id` when it is a sane token, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}
