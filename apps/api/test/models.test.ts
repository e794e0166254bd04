import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { type Gateway, startGateway } from './support/gateway.js';
import { openAISpecErrors } from './support/openai-spec/openai-spec.js';

/** The model list and one model, through both official SDKs unchanged. */
describe('GET /v1/models and /v1/models/{model}', () => {
  let gateway: Gateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  beforeAll(async () => {
    gateway = await startGateway();
    const { key } = await gateway.issueKey('lister');
    openai = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: key, baseURL: gateway.url, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('retrieves one model (OpenAI SDK): by its listed id, or by a catalog id; an unknown one is a 404', async () => {
    const listed = await openai.models.retrieve('openai/gpt-4o-mini');
    expect(openAISpecErrors('Model', listed)).toEqual([]);
    expect(listed).toMatchObject({
      id: 'openai/gpt-4o-mini',
      object: 'model',
      provider: 'openai',
      pricing: { input_per_mtok: '0.15', output_per_mtok: '0.6' },
    });
    // The list's entry, field for field.
    const all = await openai.models.list();
    expect(all.data.find((m) => m.id === 'openai/gpt-4o-mini')).toEqual(listed);
    // A catalog id resolves as a call would, and keeps the name asked for.
    expect(await openai.models.retrieve('gpt-4o-mini')).toEqual({ ...listed, id: 'gpt-4o-mini' });
    // The raw path with its slash, as curl sends it.
    const raw = await fetch(`${gateway.url}/v1/models/openai/gpt-4o-mini`, {
      headers: { authorization: `Bearer ${openai.apiKey}` },
    });
    expect(await raw.json()).toEqual(listed);
    const unknown = await openai.models.retrieve('no-such-model').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as InstanceType<typeof OpenAI.NotFoundError>).message).toMatch(/no-such-model/);
  });

  it('documents both routes in /docs: the model as the path parameter, anthropic-version optional', async () => {
    type Parameter = { name: string; in: string; required?: boolean };
    const doc = (await (await fetch(`${gateway.url}/docs/json`)).json()) as {
      paths: Record<string, { get?: { parameters?: Parameter[] } }>;
    };
    const one = doc.paths['/v1/models/{path}']?.get?.parameters ?? [];
    expect(one).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'path', in: 'path', required: true }),
        expect.objectContaining({ name: 'anthropic-version', in: 'header', required: false }),
      ]),
    );
    expect(one.filter((p) => p.in === 'path')).toHaveLength(1);
    const list = doc.paths['/v1/models']?.get?.parameters ?? [];
    expect(list.find((p) => p.name === 'anthropic-version')?.required).toBe(false);
  });

  it("lists and retrieves in Anthropic's format for the Anthropic SDK, paged by limit and after_id", async () => {
    const ids = (await openai.models.list()).data.map((m) => m.id);
    expect(ids.length).toBeGreaterThan(7);
    const seen: string[] = [];
    for await (const model of anthropic.models.list({ limit: 3 })) {
      // Every field of the SDK's ModelInfo, Anthropic's capabilities unknown (the gateway's beside).
      expect(model).toMatchObject({
        type: 'model',
        display_name: model.id,
        created_at: '2023-11-14T22:13:20Z',
        capabilities: null,
        max_tokens: null,
        lifecycle: 'active',
        deprecated_at: null,
        retires_at: null,
        line: null,
      });
      expect(model.max_input_tokens === null || typeof model.max_input_tokens === 'number').toBe(true);
      seen.push(model.id);
    }
    expect(seen).toEqual(ids);
    const page = await anthropic.models.list({ limit: 2 });
    expect(page.has_more).toBe(true);
    expect([page.first_id, page.last_id]).toEqual(ids.slice(0, 2));
    const before = await anthropic.models.list({ limit: 2, before_id: ids[3] });
    expect(before.data.map((m) => m.id)).toEqual(ids.slice(1, 3));
    expect(before.has_more).toBe(true);

    const one = await anthropic.models.retrieve('openai/gpt-4o-mini');
    expect(one).toMatchObject({
      type: 'model',
      id: 'openai/gpt-4o-mini',
      provider: 'openai',
      gateway_capabilities: expect.objectContaining({ streaming: true }),
    });
    const unknown = await anthropic.models.retrieve('no-such-model').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    // In Anthropic's error format, as the SDK reads it.
    expect((unknown as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: expect.stringMatching(/no-such-model/) },
    });
  });
});
