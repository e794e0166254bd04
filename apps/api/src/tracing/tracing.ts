import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Env } from '../config/env.schema.js';

/** The tracer's name: the spans the gateway makes. */
export const TRACER_NAME = 'aigw';

/**
 * OpenTelemetry tracing, on when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is
 * set: the SDK (`@opentelemetry/sdk-node`) with its OTLP/HTTP exporter, batching spans. No
 * instrumentation patches modules: the gateway makes its own spans (one per request, one
 * per provider attempt), and W3C `traceparent` is continued.
 */
export class Tracing {
  private constructor(
    private readonly sdk: NodeSDK,
    private readonly processor: BatchSpanProcessor,
  ) {}

  /** Starts tracing when the environment asks for it; undefined otherwise. */
  static start(
    env: Pick<
      Env,
      'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_SERVICE_NAME'
    >,
  ): Tracing | undefined {
    const url =
      env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      (env.OTEL_EXPORTER_OTLP_ENDPOINT
        ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces`
        : undefined);
    if (!url) return undefined;
    const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 1000 });
    const sdk = new NodeSDK({
      serviceName: env.OTEL_SERVICE_NAME,
      spanProcessors: [processor],
      instrumentations: [],
      // Only traces: no metrics or logs pipelines (metrics are Prometheus at /metrics).
      metricReader: undefined,
      logRecordProcessors: [],
    });
    sdk.start();
    return new Tracing(sdk, processor);
  }

  /** Sends the spans ended so far. */
  async flush(): Promise<void> {
    await this.processor.forceFlush();
  }

  /** Flushes, stops the SDK and frees the global API for a later start (tests start several apps). */
  async shutdown(): Promise<void> {
    await this.sdk.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  }
}
