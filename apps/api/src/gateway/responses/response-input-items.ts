import { RequestValidationError } from '../../http/zod-validation.js';
import { newItemId } from './response-ids.js';
import { withItemType } from './responses.schemas.js';

/** An item of a conversation as the Responses API shows it: input or output, with its `type`. */
export type ResponseItem = Record<string, unknown> & { type: string; id?: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The request's `input` as a list of items, the way the gateway stores them and lists
 * them (GET /v1/responses/{id}/input_items): a string is one user message; a message
 * without `type` gets `type: 'message'`; string content becomes one `input_text` part
 * (`output_text`, with empty annotations and logprobs, for the assistant); messages and
 * function calls and their outputs get `status: 'completed'` when they have none, and
 * every item but a reference an `id` when it has none. Anything in `input` that is not an
 * object is left out (a body that has such input is refused before it is stored).
 */
export function inputItemsOf(body: { input?: unknown }): ResponseItem[] {
  const { input } = body;
  if (typeof input === 'string') {
    return [
      {
        id: newItemId('msg'),
        type: 'message',
        role: 'user',
        status: 'completed',
        content: [{ type: 'input_text', text: input }],
      },
    ];
  }
  if (!Array.isArray(input)) return [];
  return input.map(withItemType).filter(isRecord).map(normalized);
}

function normalized(item: Record<string, unknown>): ResponseItem {
  const type = typeof item.type === 'string' ? item.type : 'item_reference';
  if (type === 'item_reference') return { ...item, type };
  const id = typeof item.id === 'string' && item.id ? item.id : newItemId(idPrefix(type));
  const out: ResponseItem = { ...item, type, id };
  if ((type === 'message' || type === 'function_call' || type === 'function_call_output') && !item.status) {
    out.status = 'completed';
  }
  if (type === 'message') out.content = messageContent(item.role, item.content);
  return out;
}

function idPrefix(type: string): 'msg' | 'fc' | 'rs' | 'item' {
  switch (type) {
    case 'message':
      return 'msg';
    case 'function_call':
      return 'fc';
    case 'reasoning':
      return 'rs';
    default:
      return 'item';
  }
}

/** A message's content as parts; an assistant's text parts as output_text, as in an answer. */
function messageContent(role: unknown, content: unknown): unknown {
  const assistant = role === 'assistant';
  if (typeof content === 'string') {
    return [assistant ? outputText(content) : { type: 'input_text', text: content }];
  }
  if (!assistant || !Array.isArray(content)) return content;
  return content.map((part) => {
    if (!isRecord(part)) return part;
    if (part.type === 'input_text' && typeof part.text === 'string') return outputText(part.text);
    if (part.type === 'output_text') return { annotations: [], logprobs: [], ...part };
    return part;
  });
}

const outputText = (text: string) => ({ type: 'output_text', text, annotations: [], logprobs: [] });

/** The ids of the `item_reference` items of the request's `input`, in order. */
export function itemReferences(body: { input?: unknown }): string[] {
  if (!Array.isArray(body.input)) return [];
  return body.input
    .map(withItemType)
    .filter(isRecord)
    .filter((item) => item.type === 'item_reference' && typeof item.id === 'string')
    .map((item) => item.id as string);
}

/**
 * `input` with each `item_reference` replaced by the stored item it names (from
 * `found`, by id): a list of items (from inputItemsOf) or the body's raw `input` (a
 * string, or anything not a list, comes back as it is). An id that is not in `found` is a
 * 400 naming the item (`input[i]`).
 */
export function withReferencesResolved(
  input: ResponseItem[],
  found: ReadonlyMap<string, Record<string, unknown>>,
): ResponseItem[];
export function withReferencesResolved(
  input: unknown,
  found: ReadonlyMap<string, Record<string, unknown>>,
): unknown;
export function withReferencesResolved(
  input: unknown,
  found: ReadonlyMap<string, Record<string, unknown>>,
): unknown {
  if (!Array.isArray(input)) return input;
  const unknown: string[] = [];
  const resolved = input.map((entry: unknown, index) => {
    const item = withItemType(entry);
    if (!isRecord(item) || item.type !== 'item_reference') return entry;
    const stored = typeof item.id === 'string' ? found.get(item.id) : undefined;
    if (!stored) unknown.push(`input[${index}]: no stored item has the id ${JSON.stringify(item.id)}`);
    return stored ?? entry;
  });
  if (unknown.length) throw new RequestValidationError(unknown);
  return resolved;
}
