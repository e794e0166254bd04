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

describe('route targets and models of built-in providers this environment does not enable', () => {
  const build = (routes: NonNullable<Parameters<typeof buildRegistry>[0]['config']>['routes']) => {
    const warnings: string[] = [];
    const registry = buildRegistry({
      source: 'ai.config.yaml',
      envProviders: { openai: { type: 'openai', apiKey: 'sk-o' } },
      config: {
        providers: { local: { type: 'openai-compatible', preset: 'ollama' } },
        models: [
          { provider: 'anthropic', id: 'claude-sonnet-4-5', inputPerMTok: 2 },
          { provider: 'local', id: 'llama3.2', inputPerMTok: 0.1 },
        ],
        routes,
      },
      logger: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    });
    return { registry, warnings };
  };

  it('skips them with a warning; the alias routes to the remaining targets and lists only those', () => {
    const { registry, warnings } = build({
      smart: {
        strategy: 'loadbalance',
        targets: [
          'anthropic/claude-sonnet-4-5',
          { target: 'local/llama3.2', weight: 3 },
          'groq/llama-3.3-70b-versatile',
          'openai/gpt-4o',
        ],
      },
    });
    expect(warnings).toEqual([
      'ai.config.yaml: models[0]: skipped "anthropic/claude-sonnet-4-5": provider "anthropic" is not enabled in this environment (set ANTHROPIC_API_KEY to enable it)',
      'ai.config.yaml: routes.smart.targets[0]: skipped "anthropic/claude-sonnet-4-5": provider "anthropic" is not enabled in this environment (set ANTHROPIC_API_KEY to enable it)',
      'ai.config.yaml: routes.smart.targets[2]: skipped "groq/llama-3.3-70b-versatile": provider "groq" is not enabled in this environment (set GROQ_API_KEY to enable it)',
    ]);
    expect(registry.resolve('smart').targets.map((t) => [t.provider.name, t.model, t.weight])).toEqual([
      ['local', 'llama3.2', 3],
      ['openai', 'gpt-4o', 1],
    ]);
    // What GET /v1/models shows: the route's targets and the models of registered providers.
    expect(registry.listRoutes().map((r) => r.targets.map((t) => `${t.provider}/${t.model}`))).toEqual([
      ['local/llama3.2', 'openai/gpt-4o'],
    ]);
    expect(registry.listModels().some((m) => m.provider === 'anthropic' || m.provider === 'groq')).toBe(
      false,
    );
    expect(() => registry.resolve('anthropic/claude-sonnet-4-5')).toThrow(ModelNotFoundError);
  });

  it('still fails at start on a provider name that is neither configured nor built in (a typo)', () => {
    expect(() =>
      build({ smart: { strategy: 'failover', targets: ['anthropc/claude-sonnet-4-5', 'local/llama3.2'] } }),
    ).toThrow(
      new AiConfigError(
        'ai.config.yaml: routes.smart.targets[0]: no provider named "anthropc" (configured: openai, local)',
      ),
    );
  });

  it('leaves out a route whose every target is skipped, with a warning naming what to enable, and drops it from fallbacks', () => {
    const { registry, warnings } = build({
      cheap: {
        strategy: 'failover',
        targets: [
          'anthropic/claude-haiku-4-5',
          'gemini/gemini-2.5-pro',
          'anthropic/claude-3-5-haiku',
          'vllm/m',
        ],
      },
      smart: { strategy: 'failover', targets: ['local/llama3.2'], fallbacks: ['cheap'] },
    });
    expect(warnings.at(-1)).toBe(
      'ai.config.yaml: routes.cheap: left out: every target names a provider that is not enabled in this environment; enable one of: anthropic (set ANTHROPIC_API_KEY), gemini (set GEMINI_API_KEY), vllm (set VLLM_BASE_URL)',
    );
    expect(registry.listRoutes().map((r) => [r.name, r.fallbacks ?? []])).toEqual([['smart', []]]);
    expect(() => registry.resolve('cheap')).toThrow(ModelNotFoundError);
    expect(registry.resolve('smart').targets.map((t) => t.model)).toEqual(['llama3.2']);
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

  it('counts an empty key as no key', () => {
    expect(() =>
      buildRegistry({
        config: { providers: { a: { type: 'anthropic', apiKey: '' } }, models: [], routes: {} },
      }),
    ).toThrow(/providers\.a\.apiKey: required for an anthropic provider/);
    expect(() =>
      buildRegistry({
        config: {
          providers: { g: { type: 'openai-compatible', preset: 'groq', apiKey: '' } },
          models: [],
          routes: {},
        },
      }),
    ).toThrow(/providers\.g\.apiKey: required for Groq/);
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
