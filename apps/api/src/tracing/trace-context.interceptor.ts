import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { requestTraceContext } from './request-spans.js';

/**
 * Runs each handler inside its request's span, so the spans of the provider calls it
 * makes (GenAiSpans), streams included, are that span's children.
 */
@Injectable()
export class TraceContextInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const ctx = requestTraceContext(execution.switchToHttp().getRequest<FastifyRequest>().raw);
    if (!ctx) return next.handle();
    return new Observable((subscriber) => context.with(ctx, () => next.handle().subscribe(subscriber)));
  }
}
