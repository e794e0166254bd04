import { AiService, type ChatResult } from '@aigw/ai';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestValidationError } from '../../http/zod-validation.js';
import type { Caller } from '../../keys/caller.js';
import { keepSlotsUntil } from '../../limits/caller-limiter.js';
import { callerContext } from '../wire/caller-context.js';
import { prepareResponsesCall } from './prepare-responses-call.js';
import { ResponseStore, type StoredItem, type StoredResponse } from './response-store.js';
import { type ResponseShell, toResponseObject, toResponseStub } from './to-response-object.js';

/** A background response of this process: what cancels it, and when it has recorded its end. */
interface Run {
  abort: AbortController;
  done: Promise<void>;
}

/**
 * Background responses (`background: true`): kept as queued and returned at once, then run
 * by the gateway itself (the provider gets the request without `background`, so limits,
 * budgets, failover and usage rows apply as to any call), their end recorded for GET. A
 * cancel aborts the call on the replica running it; a shutdown cancels the runs still going.
 */
@Injectable()
export class BackgroundResponses implements BeforeApplicationShutdown {
  private readonly logger = new Logger('BackgroundResponses');
  private readonly running = new Map<string, Run>();

  constructor(
    private readonly ai: AiService,
    private readonly store: ResponseStore,
  ) {}

  /** Keeps the request's response as queued, starts its call, and returns the queued response. */
  async start(
    body: Record<string, unknown>,
    shell: ResponseShell,
    caller: Caller,
    request: FastifyRequest,
  ): Promise<Record<string, unknown>> {
    if (body.store === false) {
      throw new RequestValidationError(['background: needs store (a background response is kept)']);
    }
    if (body.stream === true) {
      throw new RequestValidationError([
        'stream: a background response is not streamed by the gateway; leave stream out and poll GET /v1/responses/{id}',
      ]);
    }
    const { background: _background, ...sent } = body;
    const abort = new AbortController();
    // Prepared now, so a bad reference or an unknown previous response is this request's 4xx.
    const prepared = await prepareResponsesCall(
      sent,
      shell.model,
      request,
      this.store,
      caller.userId,
      abort.signal,
    );
    const queued = { ...toResponseStub(shell, 'queued'), background: true };
    await this.store.save({
      id: shell.id,
      userId: caller.userId,
      apiKeyId: caller.apiKeyId,
      requestId: String(request.id),
      provider: null,
      requestedModel: shell.model,
      status: 'queued',
      previousResponseId: prepared.previous?.id ?? null,
      storedUpstream: false,
      background: true,
      response: queued,
      inputItems: prepared.inputItems,
      outputItems: [],
    });
    const context = callerContext(caller, request);
    const done = this.run(shell, queued, () => this.ai.chat(prepared.call, context), abort.signal)
      .catch((error: Error) => this.logger.error(`Background response ${shell.id} failed: ${error.message}`))
      .finally(() => this.running.delete(shell.id));
    this.running.set(shell.id, { abort, done });
    // The run is the call in flight: it holds the key's and team's maxParallel slots to its end.
    keepSlotsUntil(request, done);
    return queued;
  }

  /**
   * Cancels a background response still queued or running: a run of this replica records
   * its own end; one of another replica (or lost with a replica that stopped) is marked here.
   */
  async cancel(stored: StoredResponse): Promise<void> {
    if (stored.status !== 'queued' && stored.status !== 'in_progress') return;
    const run = this.running.get(stored.id);
    if (run) {
      run.abort.abort();
      await run.done;
      return;
    }
    await this.store.transition(stored.id, ['queued', 'in_progress'], {
      status: 'cancelled',
      response: { ...stored.response, status: 'cancelled' },
    });
  }

  /** Stops a run of this process without waiting (its response is being deleted). */
  stop(id: string): void {
    this.running.get(id)?.abort.abort();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const runs = [...this.running.values()];
    for (const run of runs) run.abort.abort();
    await Promise.all(runs.map((run) => run.done));
  }

  /** The call, and its end recorded, unless the response was cancelled (or deleted) first. */
  private async run(
    shell: ResponseShell,
    queued: Record<string, unknown>,
    call: () => Promise<ChatResult>,
    signal: AbortSignal,
  ): Promise<void> {
    const running = { status: 'in_progress', response: { ...queued, status: 'in_progress' } };
    if (!(await this.store.transition(shell.id, ['queued'], running))) return;
    let result: ChatResult;
    try {
      result = await call();
    } catch (error) {
      const status = signal.aborted ? 'cancelled' : 'failed';
      const failure = signal.aborted
        ? {}
        : { error: { code: 'server_error', message: (error as Error).message } };
      await this.store.transition(shell.id, ['in_progress'], {
        status,
        response: { ...queued, status, ...failure },
      });
      return;
    }
    const answered = result.native
      ? (JSON.parse(result.native.body.toString('utf8')) as Record<string, unknown>)
      : toResponseObject(result, shell);
    // The caller knows the response by the gateway's id, whoever answered.
    const response: Record<string, unknown> = { ...answered, id: shell.id, background: true };
    await this.store.transition(
      shell.id,
      ['in_progress'],
      { status: String(response.status ?? 'completed'), response, provider: result.provider },
      Array.isArray(response.output) ? (response.output as StoredItem[]) : [],
    );
  }
}
