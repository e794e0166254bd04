import {
  AIError,
  type CallInfo,
  type CallInterceptor,
  type ChatRequest,
  type ChatResult,
  type ChatStreamPart,
  type EmbedRequest,
  type EmbedResult,
  type MediaRequest,
  type MediaResult,
  type TokenUsage,
} from '@aigw/ai';
import { type Attributes, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { TRACER_NAME } from './tracing.js';

/** What a finished attempt reports on its span. */
interface Outcome {
  model?: string;
  usage?: TokenUsage;
  costUsd?: string | null;
  text?: string;
}

/**
 * One CLIENT span per provider attempt, a child of its request's span, with the GenAI
 * semantic conventions' attributes (`gen_ai.operation.name`, `gen_ai.provider.name`,
 * `gen_ai.request.model`, `gen_ai.response.model`, `gen_ai.usage.input_tokens` /
 * `output_tokens`) and its cost (`aigw.cost_usd`). A failure is recorded on the span.
 * Prompt and completion text only with `captureContent`
 * (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT).
 */
export class GenAiSpans implements CallInterceptor {
  private readonly tracer = trace.getTracer(TRACER_NAME);

  constructor(private readonly captureContent = false) {}

  async wrapChat(
    call: CallInfo,
    request: ChatRequest,
    next: (r: ChatRequest) => Promise<ChatResult>,
  ): Promise<ChatResult> {
    return this.tracer.startActiveSpan(...this.open(call, 'chat', request), async (span) => {
      try {
        const result = await next(request);
        this.close(span, {
          model: result.model,
          usage: result.usage,
          costUsd: result.cost?.usd,
          text: result.text,
        });
        return result;
      } catch (error) {
        this.fail(span, error);
        throw error;
      }
    });
  }

  async *wrapStream(
    call: CallInfo,
    request: ChatRequest,
    next: (r: ChatRequest) => AsyncIterable<ChatStreamPart>,
  ): AsyncIterable<ChatStreamPart> {
    const [name, options] = this.open(call, 'chat', request);
    const span = this.tracer.startSpan(name, options);
    let model: string | undefined;
    let text = '';
    let ended = false;
    try {
      for await (const part of next(request)) {
        if (part.type === 'start') model = part.model;
        else if (part.type === 'text-delta' && this.captureContent) text += part.delta;
        else if (part.type === 'finish') {
          ended = true;
          this.close(span, { model, usage: part.usage, costUsd: part.cost?.usd, text });
        }
        yield part;
      }
    } catch (error) {
      if (!ended) this.fail(span, error);
      ended = true;
      throw error;
    } finally {
      // A stream the caller stopped reading: the span says so and ends.
      if (!ended) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'the stream was cut before its end' });
        span.end();
      }
    }
  }

  async wrapEmbed(
    call: CallInfo,
    request: EmbedRequest,
    next: (r: EmbedRequest) => Promise<EmbedResult>,
  ): Promise<EmbedResult> {
    return this.tracer.startActiveSpan(...this.open(call, 'embeddings'), async (span) => {
      try {
        const result = await next(request);
        this.close(span, { usage: result.usage, costUsd: result.cost?.usd });
        return result;
      } catch (error) {
        this.fail(span, error);
        throw error;
      }
    });
  }

  async wrapMedia(
    call: CallInfo,
    request: MediaRequest,
    next: (r: MediaRequest) => Promise<MediaResult>,
  ): Promise<MediaResult> {
    return this.tracer.startActiveSpan(...this.open(call, MEDIA_OPERATIONS[request.kind]), async (span) => {
      let result: MediaResult;
      try {
        result = await next(request);
      } catch (error) {
        this.fail(span, error);
        throw error;
      }
      // The span ends once the answer has been read (speech comes in pieces).
      const outcome = result.outcome.then((used) => {
        if (used.units) span.setAttribute(`aigw.${used.units.unit}s`, used.units.quantity);
        if (used.error === undefined) this.close(span, { usage: used.usage, costUsd: used.cost?.usd });
        else this.fail(span, used.error);
        return used;
      });
      return { ...result, outcome };
    });
  }

  private open(
    call: CallInfo,
    operation: 'chat' | 'embeddings' | MediaOperation,
    request?: ChatRequest,
  ): [string, { kind: SpanKind; attributes: Attributes }] {
    const attributes: Attributes = {
      'gen_ai.operation.name': operation,
      'gen_ai.provider.name': call.provider.name,
      'gen_ai.request.model': call.model,
      'aigw.requested_model': call.requestedModel,
      'aigw.request_id': call.requestId,
      'aigw.attempt': call.attempt,
      'aigw.stream': call.stream,
    };
    if (request?.maxTokens !== undefined) attributes['gen_ai.request.max_tokens'] = request.maxTokens;
    if (this.captureContent && request?.messages)
      attributes['gen_ai.input.messages'] = JSON.stringify(request.messages);
    return [`${operation} ${call.model}`, { kind: SpanKind.CLIENT, attributes }];
  }

  private close(span: Span, outcome: Outcome): void {
    if (outcome.model) span.setAttribute('gen_ai.response.model', outcome.model);
    const input = outcome.usage?.inputTokens.total;
    const output = outcome.usage?.outputTokens.total;
    if (input !== undefined) span.setAttribute('gen_ai.usage.input_tokens', input);
    if (output !== undefined) span.setAttribute('gen_ai.usage.output_tokens', output);
    // A decimal string, exactly as on the usage row (unset when the price is unknown).
    if (outcome.costUsd) span.setAttribute('aigw.cost_usd', outcome.costUsd);
    if (this.captureContent && outcome.text)
      span.setAttribute(
        'gen_ai.output.messages',
        JSON.stringify([{ role: 'assistant', content: outcome.text }]),
      );
    span.end();
  }

  private fail(span: Span, error: unknown): void {
    span.recordException(error as Error);
    span.setAttribute('error.type', error instanceof AIError ? error.code : 'internal_error');
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    span.end();
  }
}

/** The operation names of media calls (the GenAI conventions name none for most: ours, namespaced). */
type MediaOperation = 'generate_content' | 'aigw.transcription' | 'aigw.translation' | 'aigw.speech';

const MEDIA_OPERATIONS: Record<MediaRequest['kind'], MediaOperation> = {
  image: 'generate_content',
  transcription: 'aigw.transcription',
  translation: 'aigw.translation',
  speech: 'aigw.speech',
};
