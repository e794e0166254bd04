import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Env } from '../config/env.schema.js';
import { TraceContextInterceptor } from './trace-context.interceptor.js';
import { Tracing } from './tracing.js';

/** Injection token of the app's Tracing, or null when tracing is off. */
export const TRACING = Symbol('TRACING');

/** OpenTelemetry tracing (off unless an OTLP endpoint is set); flushed and stopped last at shutdown. */
@Global()
@Module({})
export class TracingModule implements OnApplicationShutdown {
  constructor(@Inject(TRACING) private readonly tracing: Tracing | null) {}

  static forRoot(env: Env): DynamicModule {
    const tracing = Tracing.start(env) ?? null;
    return {
      module: TracingModule,
      providers: [
        { provide: TRACING, useValue: tracing },
        ...(tracing ? [{ provide: APP_INTERCEPTOR, useClass: TraceContextInterceptor }] : []),
      ],
      exports: [TRACING],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tracing?.shutdown();
  }
}
