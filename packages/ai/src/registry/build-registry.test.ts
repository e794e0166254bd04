import { describe, expect, it } from '@jest/globals';
import { AiConfigError } from '../config/load-ai-config.js';
import { ModelNotFoundError } from '../errors/errors.js';
import { buildRegistry } from './build-registry.js';

const registry = () =>
  buildRegistry({
    envProviders: {
      openai: { type: 'openai', apiKey: 'sk-o' },
      anthropic: { type: 'anthropic', apiKey: 'sk-a' },
      openrouter: { type: 'openai-compatible', preset: 'openrouter', apiKey: 'sk-or' },
    },
    config: {
      providers: {
        local: { type: 'openai-compatible', preset: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1' },
      },
      models: [{ provider: 'local', id: 'llama3.2', inputPerMTok: 0.1, outputPerMTok: 0.2 }],
      routes: {
        smart: {
          strategy: 'failover',
          targets: ['anthropic/claude-sonnet-4-5', { target: 'local/llama3.2', weight: 2 }],
        },
      },
    },
  });

describe('ProviderRegistry.resolve', () => {
  const r = registry();

  it('resolves an alias to its ordered targets', () => {
    const resolved = r.resolve('smart');
    expect(resolved.route?.name).toBe('smart');
    expect(resolved.targets.map((t) => [t.provider.name, t.model, t.weight])).toEqual([
      ['anthropic', 'claude-sonnet-4-5', 1],
      ['local', 'llama3.2', 2],
    ]);
  });

  it('resolves provider/model, keeping slashes inside the model id', () => {
    const resolved = r.resolve('openrouter/meta-llama/llama-3.1-70b-instruct');
    expect(resolved.targets[0]?.provider.name).toBe('openrouter');
    expect(resolved.targets[0]?.model).toBe('meta-llama/llama-3.1-70b-instruct');
  });

  it('resolves a catalog id to the provider that lists it, and a dated snapshot through its prices', () => {
    expect(r.resolve('gpt-4o-mini').targets[0]?.provider.name).toBe('openai');
    expect(r.resolve('claude-sonnet-4-5').targets[0]?.provider.name).toBe('anthropic');
    expect(r.resolve('llama3.2').targets[0]?.provider.name).toBe('local');
    expect(r.resolve('gpt-4o-2024-08-06').targets[0]?.provider.name).toBe('openai');
  });

  it('lists what exists when nothing matches', () => {
    expect(() => r.resolve('gpt-17')).toThrow(ModelNotFoundError);
    expect(() => r.resolve('gpt-17')).toThrow(
      /Aliases: smart\..*GET \/v1\/models.*\(openai, anthropic, openrouter, local\)/,
    );
    expect(() => r.get('azure')).toThrow(
      /No provider named "azure"\. Configured providers: openai, anthropic, openrouter, local/,
    );
  });

  it('says which keys to set when no provider is configured', () => {
    expect(() => buildRegistry({}).resolve('gpt-4o')).toThrow(
      /no provider is configured\. Set a key such as OPENAI_API_KEY/,
    );
  });

  it('lists catalog models with prices for each provider', () => {
    const models = r.listModels();
    expect(models.find((m) => m.provider === 'local' && m.id === 'llama3.2')?.pricing).toMatchObject({
      inputPerMTok: '0.1',
    });
    expect(models.filter((m) => m.provider === 'anthropic').length).toBeGreaterThan(2);
  });
});

describe('buildRegistry errors', () => {
  it('names the route target whose provider does not exist', () => {
    expect(() =>
      buildRegistry({
        source: 'ai.config.yaml',
        config: { providers: {}, models: [], routes: { x: { strategy: 'failover', targets: ['nope/m'] } } },
      }),
    ).toThrow(
      new AiConfigError('ai.config.yaml: routes.x.targets[0]: no provider named "nope" (configured: none)'),
    );
  });

  it('names a model entry whose provider does not exist', () => {
    expect(() =>
      buildRegistry({
        source: 'f.yaml',
        config: { providers: {}, models: [{ provider: 'ghost', id: 'm' }], routes: {} },
      }),
    ).toThrow(/f\.yaml: models\[0\]\.provider: no provider named "ghost"/);
  });

  it('requires a base URL for a generic compatible server and a key for a keyed preset', () => {
    expect(() =>
      buildRegistry({ config: { providers: { x: { type: 'openai-compatible' } }, models: [], routes: {} } }),
    ).toThrow(/providers\.x\.baseUrl: required/);
    expect(() =>
      buildRegistry({
        config: { providers: { g: { type: 'openai-compatible', preset: 'groq' } }, models: [], routes: {} },
      }),
    ).toThrow(/providers\.g\.apiKey: required for Groq/);
  });
});
