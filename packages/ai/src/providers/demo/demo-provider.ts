import {
  AbortedError,
  BadRequestError,
  ModelNotFoundError,
  RateLimitError,
  TimeoutError,
  UpstreamError,
} from '../../errors/errors.js';
import type { IAIProvider, ProviderHealth } from '../../types/ai-provider.js';
import type { ToolCall } from '../../types/chat-message.js';
import type { ChatRequest } from '../../types/chat-request.js';
import type { ChatResult } from '../../types/chat-result.js';
import type { ChatStreamPart } from '../../types/chat-stream-part.js';
import type { EmbedRequest, EmbedResult } from '../../types/embedding.js';
import type { FinishReason } from '../../types/finish-reason.js';
import type { ModelInfo } from '../../types/model-info.js';
import type { TokenUsage } from '../../types/token-usage.js';
import { estimatePromptTokens, estimateTextTokens } from '../../usage/estimate-tokens.js';
import { tokenizer } from '../../usage/tokenizer.js';
import { type CallSignal, callSignal } from '../call-signal.js';
import { demoEmbedding } from './demo-embedding.js';
import { DEMO_MODELS, DEMO_PROVIDER_NAME } from './demo-models.js';
import { demoDeltas, demoReply, requestedFailure } from './demo-reply.js';
import { fnv1a } from './fnv1a.js';

/** How the demo provider paces its answers, so latency and time to first token look real. */
export interface DemoProviderOptions {
  name?: string;
  displayName?: string;
  /** The catalog's models of this provider (default: DEMO_MODELS). */
  models?: () => ModelInfo[];
  /** Before the first token (default 80 ms). */
  firstTokenDelayMs?: number;
  /** Between stream deltas (default 15 ms); a plain chat waits as long as its stream would. */
  deltaDelayMs?: number;
}

/**
 * A local, deterministic provider for trying the gateway with no provider key: chat
 * (plain and streamed, tools, JSON output), embeddings and a health check, all answered
 * in-process. Replies are a function of the prompt; usage is counted with the same
 * tokenizer the gateway estimates with, and reported by this provider as its own, so
 * rows are `reported` and priced from the demo price table. A prompt containing
 * `[demo-error]` (or `[demo-error:429]`, any 4xx/5xx) fails the way an upstream would,
 * so failures, fallbacks and breakers can be tried offline too.
 */
export class DemoProvider implements IAIProvider {
  readonly name: string;
  readonly displayName: string;
  readonly type = 'demo';
  private readonly models: () => ModelInfo[];
  private readonly firstTokenDelayMs: number;
  private readonly deltaDelayMs: number;

  constructor(options: DemoProviderOptions = {}) {
    this.name = options.name ?? DEMO_PROVIDER_NAME;
    this.displayName = options.displayName ?? 'Demo (local, no model)';
    this.models = options.models ?? (() => DEMO_MODELS.map((m) => ({ ...m, provider: this.name })));
    this.firstTokenDelayMs = options.firstTokenDelayMs ?? 80;
    this.deltaDelayMs = options.deltaDelayMs ?? 15;
  }

  listModels(): ModelInfo[] {
    return this.models();
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const call = callSignal(request);
    try {
      const answer = this.answer(request);
      await this.wait(this.firstTokenDelayMs + answer.deltas.length * this.deltaDelayMs, call);
      return {
        provider: this.name,
        model: request.model,
        id: answer.id,
        text: answer.text,
        toolCalls: answer.toolCalls,
        finishReason: answer.finishReason,
        usage: answer.usage,
        warnings: [],
      };
    } finally {
      call.release();
    }
  }

  async *chatStream(request: ChatRequest): AsyncIterable<ChatStreamPart> {
    const call = callSignal(request);
    try {
      const answer = this.answer(request);
      await this.wait(this.firstTokenDelayMs, call);
      yield { type: 'start', id: answer.id, model: request.model };
      for (const [i, delta] of answer.deltas.entries()) {
        if (i > 0) await this.wait(this.deltaDelayMs, call);
        yield { type: 'text-delta', delta };
      }
      for (const [index, toolCall] of answer.toolCalls.entries()) {
        yield { type: 'tool-call-start', index, id: toolCall.id, name: toolCall.name };
        yield { type: 'tool-call-delta', index, argumentsDelta: toolCall.arguments };
      }
      yield { type: 'finish', finishReason: answer.finishReason, usage: answer.usage };
    } finally {
      call.release();
    }
  }

  async embed(request: EmbedRequest): Promise<EmbedResult> {
    const model = this.model(request.model, 'embeddings');
    const call = callSignal(request);
    try {
      await this.wait(this.firstTokenDelayMs / 2, call);
    } finally {
      call.release();
    }
    const input = request.input.reduce((sum, text) => sum + estimateTextTokens(text), 0);
    return {
      provider: this.name,
      model: model.id,
      embeddings: request.input.map((text) => demoEmbedding(text, request.dimensions)),
      usage: usage(input, 0),
    };
  }

  async healthCheck(): Promise<ProviderHealth> {
    return { ok: true, latencyMs: 0 };
  }

  /** Everything about the answer, decided before any waiting: it depends on the request only. */
  private answer(request: ChatRequest) {
    this.model(request.model, 'chat');
    const failure = requestedFailure(request.messages);
    if (failure !== undefined) throw this.failure(failure);
    const toolCalls = this.toolCalls(request);
    let text = toolCalls.length ? '' : demoReply(request);
    let finishReason: FinishReason = toolCalls.length
      ? { unified: 'tool-calls', raw: 'tool_calls' }
      : { unified: 'stop', raw: 'stop' };
    if (request.maxTokens !== undefined && estimateTextTokens(text) > request.maxTokens) {
      const { decode, encode } = tokenizer();
      text = decode(encode(text).slice(0, request.maxTokens));
      finishReason = { unified: 'length', raw: 'length' };
    }
    const output =
      estimateTextTokens(text) +
      toolCalls.reduce((sum, c) => sum + estimateTextTokens(c.name) + estimateTextTokens(c.arguments), 0);
    const input = estimatePromptTokens(request.messages, request.tools);
    return {
      id: `demo-${fnvHex(JSON.stringify([request.model, request.messages]))}`,
      text,
      deltas: demoDeltas(text),
      toolCalls,
      finishReason,
      usage: usage(input, output),
    };
  }

  /** A tool call when the request demands one; the arguments are an empty object. */
  private toolCalls(request: ChatRequest): ToolCall[] {
    const tools = request.tools ?? [];
    const choice = request.toolChoice;
    if (!tools.length || choice === undefined || choice === 'auto' || choice === 'none') return [];
    const tool = choice === 'required' ? tools[0] : tools.find((t) => t.name === choice.name);
    if (!tool) throw new BadRequestError(`${this.name}: tool_choice names no tool of the request`);
    return [{ id: `call_demo_${fnvHex(tool.name)}`, name: tool.name, arguments: '{}' }];
  }

  private model(id: string, use: 'chat' | 'embeddings'): ModelInfo {
    const model = this.models().find((m) => m.id === id);
    const ids = this.models()
      .filter((m) => m.capabilities[use])
      .map((m) => `${this.name}/${m.id}`)
      .join(', ');
    if (!model)
      throw new ModelNotFoundError(`The demo provider has no model "${id}"; it offers ${ids}`, {
        provider: this.name,
        status: 404,
      });
    if (!model.capabilities[use])
      throw new BadRequestError(`${this.name}/${id} does not do ${use}; use ${ids}`, {
        provider: this.name,
        status: 400,
      });
    return model;
  }

  private failure(status: number) {
    const message = `${this.name}: simulated failure ${status} (the prompt asked for it with [demo-error])`;
    const extra = { provider: this.name, status };
    if (status === 429) return new RateLimitError(message, { ...extra, retryAfterMs: 1000 });
    if (status >= 400 && status < 500) return new BadRequestError(message, extra);
    return new UpstreamError(message, extra);
  }

  /** Waits, unless the call is cancelled or times out first. */
  private async wait(ms: number, call: CallSignal): Promise<void> {
    this.throwIfStopped(call);
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      call.signal?.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        call.signal?.removeEventListener('abort', done);
        resolve();
      }
    });
    this.throwIfStopped(call);
  }

  private throwIfStopped(call: CallSignal): void {
    if (call.timedOut) throw new TimeoutError(`${this.name}: the call timed out`, { provider: this.name });
    if (call.aborted) throw new AbortedError(undefined, { provider: this.name });
  }
}

function usage(input: number, output: number): TokenUsage {
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
    source: 'reported',
  };
}

const fnvHex = (text: string) => fnv1a(text).toString(16).padStart(8, '0');
