import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppOptions } from './app.module.js';
import { parseEnv } from './config/env.schema.js';
import { serveDashboard } from './dashboard/serve-dashboard.js';
import { acceptEmptyBodies } from './http/empty-bodies.js';
import { clientErrorHandler, frameworkErrors } from './http/framework-errors.js';
import { answerMethodNotAllowed } from './http/method-not-allowed.js';
import { acceptMultipartUploads } from './http/multipart-uploads.js';
import { setupOpenApi } from './http/openapi.js';
import { exposeRequestIds } from './http/request-ids.js';
import { rememberResponses } from './http/response-of.js';
import { closeUnusedConnectionsOnShutdown } from './http/unused-connections.js';
import { createLogger, requestId } from './logging/create-logger.js';
import { RequestLogController } from './logging/request-log-controller.js';
import { secretsInEnv } from './logging/secret-scrubber.js';
import { traceRequests } from './tracing/request-spans.js';
import { TRACING } from './tracing/tracing.module.js';

/**
 * The signals that shut the service down gracefully. Not Nest's default list, which also
 * takes SIGUSR2 (and SIGQUIT, SIGTRAP...): Node's diagnostics use SIGUSR2
 * (`--report-on-signal`, `--heapsnapshot-signal`), and asking a live gateway for a heap
 * snapshot must not stop it.
 */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** Builds the whole service (not yet listening). Shared by `main.ts` and the tests. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const env = parseEnv(options.env);
  const logger = createLogger({
    level: env.LOG_LEVEL,
    secrets: [...secretsInEnv(options.env), options.adminKey.value],
    destination: options.logDestination,
  });
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new RequestLogController(),
    genReqId: requestId,
    bodyLimit: env.BODY_LIMIT_BYTES,
    return503OnClosing: true,
    frameworkErrors,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options, logger), adapter, {
    bufferLogs: true,
    abortOnError: false,
    // Fastify's own JSON parser, taking an empty body as none (acceptEmptyBodies), not Nest's.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  rememberResponses(adapter.getInstance());
  exposeRequestIds(adapter.getInstance());
  if (app.get(TRACING)) traceRequests(adapter.getInstance());
  // After the request id and the trace: a 405 answered in its onRequest hook has both.
  answerMethodNotAllowed(adapter.getInstance());
  acceptEmptyBodies(adapter.getInstance());
  // Audio uploads: read part by part by the routes that take them (see readAudioForm); 415 elsewhere.
  await acceptMultipartUploads(adapter.getInstance(), env.AUDIO_UPLOAD_LIMIT_BYTES);
  closeUnusedConnectionsOnShutdown(adapter.getInstance());
  setupOpenApi(app);
  await serveDashboard(app);
  app.flushLogs();
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS]);
  return app;
}
