import type { ChatResult, ReasoningPart } from '@aigw/ai';
import { newItemId } from './response-ids.js';
import { functionCallItem, messageItem, reasoningItem } from './response-output-items.js';
import { finishStateOf, type ResponseShell, responseOf } from './response-shell.js';
import { toResponsesUsage } from './responses-usage.js';

export type { ResponseShell } from './response-shell.js';

/**
 * Our ChatResult as a Responses API `Response`: a reasoning item (when the model
 * reasoned), a message item (when it wrote text), then a function call item per tool
 * call, each with a new id. A `length` finish is `incomplete` (`max_output_tokens`), a
 * content filter `incomplete` (`content_filter`), an `error` finish `failed`. Equal to the
 * final event of toResponseEvents for the same answer, ids and times aside.
 */
export function toResponseObject(result: ChatResult, shell: ResponseShell): Record<string, unknown> {
  const output: Record<string, unknown>[] = [];
  const reasoning: ReasoningPart[] =
    result.reasoningParts ?? (result.reasoning ? [{ type: 'reasoning', text: result.reasoning }] : []);
  if (reasoning.length) output.push(reasoningItem(newItemId('rs'), reasoning));
  if (result.text) output.push(messageItem(newItemId('msg'), result.text, 'completed'));
  for (const call of result.toolCalls) {
    output.push(
      functionCallItem(
        newItemId('fc'),
        { callId: call.id, name: call.name, arguments: call.arguments },
        'completed',
      ),
    );
  }
  return responseOf(shell, {
    ...finishStateOf(result.finishReason),
    output,
    usage: toResponsesUsage(result.usage),
  });
}

/** A Response with no answer yet (or none to come): `queued` or `in_progress`, or `cancelled`. */
export function toResponseStub(
  shell: ResponseShell,
  status: 'queued' | 'in_progress' | 'cancelled',
): Record<string, unknown> {
  return responseOf(shell, { status, output: [] });
}
