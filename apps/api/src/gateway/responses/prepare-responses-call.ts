import type { AiWireRequest, NativeBody } from '@aigw/ai';
import { NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { zodPipe } from '../../http/zod-validation.js';
import { nativeBodyOf, positiveInt } from '../wire/read-wire-body.js';
import { convertResponsesRequest } from './convert-responses-request.js';
import { decodeReasoning } from './reasoning-content.js';
import { inputItemsOf, itemReferences, withReferencesResolved } from './response-input-items.js';
import type { ResponseStore, StoredItem, StoredResponse } from './response-store.js';
import { responsesRequestSchema } from './responses.schemas.js';

const validate = zodPipe(responsesRequestSchema);

/** A Responses request made ready for AiService, with what the gateway keeps of it. */
export interface PreparedResponsesCall {
  call: AiWireRequest;
  /** This turn's input items, references resolved, each with an id (what input_items lists). */
  inputItems: StoredItem[];
  /** The response this one continues, if any. */
  previous?: StoredResponse;
  /** What the translation could not carry (filled once a target needed one). */
  warnings(): string[];
}

/**
 * Reads a Responses request for AiService. Its `previous_response_id` and `item_reference`
 * inputs must name this user's kept responses and items (else a 404 / 400). A provider
 * that speaks the format and kept those itself gets the body as it is; another one gets
 * the history written out in `input` (and no `previous_response_id`); a provider of
 * another format gets the translation, checked against the full schema first.
 */
export async function prepareResponsesCall(
  body: Record<string, unknown>,
  model: string,
  request: FastifyRequest,
  store: ResponseStore,
  userId: string,
  signal: AbortSignal,
): Promise<PreparedResponsesCall> {
  const previousId = typeof body.previous_response_id === 'string' ? body.previous_response_id : undefined;
  const history = previousId ? await store.history(previousId, userId) : undefined;
  if (previousId && !history)
    throw new NotFoundException(`Previous response with id '${previousId}' not found.`);
  const previous = history?.chain.at(-1);
  const references = itemReferences(body);
  const found = await store.findItems(references, userId);
  const input = withReferencesResolved(body.input, new Map([...found].map(([id, f]) => [id, f.item])));
  const resolved = { ...body, input };
  const inputItems = inputItemsOf(resolved);

  const asReceived = nativeBodyOf('openai-responses', body, request);
  // The history written out, for a provider of this format that does not keep it: no ids
  // (ours, or another provider's) for it to look up.
  const written: NativeBody = {
    ...asReceived,
    body: withoutPrevious({ ...body, input: forAnotherProvider([...(history?.items ?? []), ...inputItems]) }),
  };
  const keptBy = (provider: string, item?: { provider: string | null; storedUpstream: boolean }) =>
    item?.storedUpstream === true && item.provider === provider;
  let warnings: string[] = [];
  const call: AiWireRequest = {
    model,
    native: asReceived,
    nativeFor: (provider) =>
      (!previous || keptBy(provider, previous)) && references.every((id) => keptBy(provider, found.get(id)))
        ? asReceived
        : written,
    translate: () => {
      const converted = convertResponsesRequest(
        validate.transform(resolved, { type: 'body' }),
        history?.items ?? [],
        signal,
      );
      warnings = converted.warnings;
      return converted;
    },
    maxTokens: positiveInt(body.max_output_tokens),
    signal,
    requestType: 'responses',
  };
  return { call, inputItems, ...(previous ? { previous } : {}), warnings: () => warnings };
}

function withoutPrevious(body: Record<string, unknown>): Record<string, unknown> {
  const { previous_response_id: _previous, ...rest } = body;
  return rest;
}

/**
 * Earlier items as input for a provider that did not make them: without the ids it does
 * not know, and without reasoning only the gateway can read (another provider's thinking).
 */
function forAnotherProvider(items: StoredItem[]): StoredItem[] {
  return items
    .filter((item) => !(item.type === 'reasoning' && decodeReasoning(item.encrypted_content) !== undefined))
    .map(({ id: _id, status: _status, ...rest }) => rest as StoredItem);
}
