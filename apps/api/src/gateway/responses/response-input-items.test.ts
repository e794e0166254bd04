import { describe, expect, it } from '@jest/globals';
import { openAISpecErrors } from '../../../test/support/openai-spec/openai-spec.js';
import { RequestValidationError } from '../../http/zod-validation.js';
import { newItemId, newResponseId } from './response-ids.js';
import {
  inputItemsOf,
  itemReferences,
  type ResponseItem,
  withReferencesResolved,
} from './response-input-items.js';

describe('response ids', () => {
  it('are a prefix and 32 hex digits, new every time', () => {
    expect(newResponseId()).toMatch(/^resp_[0-9a-f]{32}$/);
    for (const prefix of ['msg', 'fc', 'rs', 'item'] as const) {
      expect(newItemId(prefix)).toMatch(new RegExp(`^${prefix}_[0-9a-f]{32}$`));
    }
    expect(new Set(Array.from({ length: 100 }, newResponseId)).size).toBe(100);
  });
});

describe('inputItemsOf', () => {
  it('makes a string one user message with an id', () => {
    const items = inputItemsOf({ input: 'Hello' });
    expect(items).toEqual([
      {
        id: expect.stringMatching(/^msg_[0-9a-f]{32}$/),
        type: 'message',
        role: 'user',
        status: 'completed',
        content: [{ type: 'input_text', text: 'Hello' }],
      },
    ]);
    expect(inputItemsOf({})).toEqual([]);
  });

  it('gives every item its type, an id, a status and content parts, as input_items lists them', () => {
    const items = inputItemsOf({
      input: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Weather?' }] },
        { role: 'assistant', content: 'Checking.' },
        {
          type: 'message',
          role: 'assistant',
          id: 'msg_kept',
          content: [{ type: 'input_text', text: 'Again.' }],
        },
        { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
        { type: 'reasoning', summary: [], encrypted_content: 'aigw:W10' },
        { id: 'msg_referenced' },
        { type: 'item_reference', id: 'fc_referenced' },
      ],
    });
    expect(items).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        role: 'developer',
        status: 'completed',
        content: [{ type: 'input_text', text: 'Be brief.' }],
      },
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        role: 'user',
        status: 'completed',
        content: [{ type: 'input_text', text: 'Weather?' }],
      },
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Checking.', annotations: [], logprobs: [] }],
      },
      {
        id: 'msg_kept',
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Again.', annotations: [], logprobs: [] }],
      },
      {
        id: expect.stringMatching(/^fc_/),
        type: 'function_call',
        status: 'completed',
        call_id: 'call_1',
        name: 'weather',
        arguments: '{}',
      },
      {
        id: expect.stringMatching(/^item_/),
        type: 'function_call_output',
        status: 'completed',
        call_id: 'call_1',
        output: 'sunny',
      },
      { id: expect.stringMatching(/^rs_/), type: 'reasoning', summary: [], encrypted_content: 'aigw:W10' },
      { id: 'msg_referenced', type: 'item_reference' },
      { id: 'fc_referenced', type: 'item_reference' },
    ]);
    // What GET /v1/responses/{id}/input_items lists must be the spec's items.
    for (const item of items.filter((i) => i.type !== 'item_reference')) {
      expect(openAISpecErrors('ItemResource', item)).toEqual([]);
    }
  });

  it('lists the item references, and resolves them from the stored items', () => {
    const body = {
      input: [{ role: 'user', content: 'Hi' }, { id: 'msg_1' }, { type: 'item_reference', id: 'fc_1' }],
    };
    expect(itemReferences(body)).toEqual(['msg_1', 'fc_1']);
    expect(itemReferences({ input: 'Hi' })).toEqual([]);

    const stored: ResponseItem[] = [
      { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [] },
      { id: 'fc_1', type: 'function_call', call_id: 'c', name: 'f', arguments: '{}', status: 'completed' },
    ];
    const found = new Map(stored.map((item) => [item.id as string, item]));
    expect(withReferencesResolved(inputItemsOf(body), found).slice(1)).toEqual(stored);
    // The body's raw input works too (a string has nothing to resolve).
    expect(withReferencesResolved(body.input, found)).toEqual([body.input[0], ...stored]);
    expect(withReferencesResolved('Hi', found)).toBe('Hi');
  });

  it('refuses a reference to an item it does not have, naming it', () => {
    const input = inputItemsOf({ input: [{ role: 'user', content: 'Hi' }, { id: 'msg_gone' }] });
    expect(() => withReferencesResolved(input, new Map())).toThrow(RequestValidationError);
    expect(() => withReferencesResolved(input, new Map())).toThrow(
      'input[1]: no stored item has the id "msg_gone"',
    );
  });
});
