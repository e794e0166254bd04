import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Logger } from 'nestjs-pino';
import { resolveAdminKey } from './config/admin-key.js';
import { InvalidEnvironmentError, parseEnv } from './config/env.schema.js';
import { SHORT_SECRET_LENGTH, shortSecrets } from './config/short-secrets.js';
import { createApp, SHUTDOWN_SIGNALS } from './create-app.js';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = parseEnv(process.env);
  // A GC heuristic, read by V8 at every full collection, so it can be set now.
  if (env.HEAP_GROWING_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${env.HEAP_GROWING_PERCENT}`);
  const adminKey = resolveAdminKey(env.ADMIN_API_KEY);
  if (adminKey.generated) {
    // Printed once, on purpose, outside the logger (which would scrub it).
    process.stdout.write(
      `${JSON.stringify({
        level: 40,
        time: Date.now(),
        msg: `ADMIN_API_KEY is not set; this run's admin key is ${adminKey.value} (set ADMIN_API_KEY to keep one across restarts)`,
      })}\n`,
    );
  }
  const app = await createApp({ env: process.env, adminKey });
  await app.listen({ port: env.PORT, host: env.HOST });
  // The port bound, which PORT=0 leaves to the system.
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const logger = app.get(Logger);
  for (const name of shortSecrets(env))
    logger.warn(
      `${name} is shorter than ${SHORT_SECRET_LENGTH} characters: easy to guess; use a longer one`,
      'Main',
    );
  logger.log(`Listening on http://${env.HOST}:${port}`, 'Main');
  const timeout = env.SHUTDOWN_TIMEOUT_MS;
  for (const signal of SHUTDOWN_SIGNALS) {
    // Nest closes on the signal; this only bounds how long a stuck close may take.
    process.once(signal, () => setTimeout(() => process.exit(1), timeout).unref());
  }
}

main().catch((error: Error) => {
  // Configuration mistakes get their message alone; it names the variable or the file and path.
  if (error instanceof InvalidEnvironmentError || error.name === 'AiConfigError') {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`The service failed to start: ${error.stack ?? error.message}\n`);
  }
  process.exit(1);
});
