import type { FinishReason } from '@aigw/ai';
import type { ResponsesRequest } from './responses.schemas.js';
import type { ResponsesUsage } from './responses-usage.js';

/** What a Response carries besides the answer: its id and time, the model asked for, the request. */
export interface ResponseShell {
  id: string;
  /** Unix time in seconds. */
  createdAt: number;
  /** The model name the caller asked for. */
  model: string;
  body: ResponsesRequest;
  previousResponseId?: string;
}

/** The state of a Response: its status, its output items, and how it ended. */
export interface ResponseState {
  status: 'queued' | 'in_progress' | 'completed' | 'incomplete' | 'failed' | 'cancelled';
  output: Record<string, unknown>[];
  usage?: ResponsesUsage | undefined;
  error?: { code: string; message: string };
  incompleteDetails?: { reason: 'max_output_tokens' | 'content_filter' };
}

/**
 * A full Responses API `Response`: the state given, with the request's settings echoed
 * as OpenAI does (its defaults where the request has none: `parallel_tool_calls` true,
 * `store` true, `truncation` disabled, a `text` format of `text`, `tool_choice` auto;
 * `temperature` and `top_p` null, as the model's own defaults are not known here).
 * `usage` is left out while there is none (the spec has no null for it).
 */
export function responseOf(shell: ResponseShell, state: ResponseState): Record<string, unknown> {
  const body = shell.body;
  const text = body.text && typeof body.text === 'object' ? body.text : {};
  return {
    id: shell.id,
    object: 'response',
    created_at: shell.createdAt,
    status: state.status,
    background: body.background ?? false,
    completed_at: state.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: body.max_tool_calls ?? null,
    model: shell.model,
    output: state.output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: shell.previousResponseId ?? body.previous_response_id ?? null,
    reasoning: body.reasoning ?? null,
    store: body.store ?? true,
    temperature: body.temperature ?? null,
    text: { ...text, format: text.format ?? { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools.map(echoedTool) : [],
    top_p: body.top_p ?? null,
    truncation: body.truncation ?? 'disabled',
    ...(state.usage ? { usage: state.usage } : {}),
    ...(typeof body.user === 'string' ? { user: body.user } : {}),
    ...(typeof body.safety_identifier === 'string' ? { safety_identifier: body.safety_identifier } : {}),
    ...(typeof body.prompt_cache_key === 'string' ? { prompt_cache_key: body.prompt_cache_key } : {}),
    metadata: body.metadata ?? {},
  };
}

/** A function tool as a Response lists it: `parameters` and `strict` always there (null when unset). */
function echoedTool(tool: Record<string, unknown>): Record<string, unknown> {
  if (tool.type !== 'function') return tool;
  return { ...tool, parameters: tool.parameters ?? null, strict: tool.strict ?? null };
}

/** How an answer that finished for this reason ends its Response. */
export function finishStateOf(
  reason: FinishReason,
): Pick<ResponseState, 'status' | 'error' | 'incompleteDetails'> {
  switch (reason.unified) {
    case 'length':
      return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
    case 'content-filter':
      return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
    case 'error':
      return { status: 'failed', error: { code: 'server_error', message: finishErrorMessage(reason) } };
    default:
      return { status: 'completed' };
  }
}

/** What a Response says of a model that stopped with an error. */
export function finishErrorMessage(reason: FinishReason): string {
  return `The model's answer ended with an error${reason.raw ? ` (${reason.raw})` : ''}.`;
}
