import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/create-app.js';
import { LogCapture } from './log-capture.js';

export const TEST_ADMIN_KEY = 'sk-admin-test-0123456789abcdef';

/** A running app on a random loopback port, with its logs captured. */
export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  logs: LogCapture;
  close(): Promise<void>;
}

/**
 * Starts the real app over real HTTP with exactly this environment (nothing from process.env),
 * with a spool folder of its own unless `env` names one: test files run in several processes
 * at once, and a spool folder belongs to one running process.
 */
export async function startApp(
  env: Record<string, string | undefined>,
  options: { migrateRetryMs?: number; clock?: () => number } = {},
): Promise<RunningApp> {
  const logs = new LogCapture();
  const spool = 'USAGE_SPOOL_DIR' in env ? undefined : await mkdtemp(join(tmpdir(), 'aigw-test-spool-'));
  const app = await createApp({
    env: { LOG_LEVEL: 'info', ...(spool ? { USAGE_SPOOL_DIR: spool } : {}), ...env },
    adminKey: { value: env.ADMIN_API_KEY ?? TEST_ADMIN_KEY, generated: false },
    logDestination: logs,
    migrateRetryMs: options.migrateRetryMs,
    clock: options.clock,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const close = async () => {
    await app.close();
    if (spool) await rm(spool, { recursive: true, force: true });
  };
  return { app, url: `http://127.0.0.1:${port}`, logs, close };
}
