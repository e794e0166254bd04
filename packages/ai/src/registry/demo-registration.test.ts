import { describe, expect, it } from '@jest/globals';
import { demoProviderSetting } from '../config/demo-provider-setting.js';
import { providersFromEnv } from '../config/providers-from-env.js';
import { buildRegistry } from './build-registry.js';

describe('the demo provider in the registry', () => {
  it('is registered when asked to stand in for missing providers and none is configured', () => {
    const registry = buildRegistry({ demoWhenNoProvider: true });
    expect(registry.list().map((p) => [p.name, p.type])).toEqual([['demo', 'demo']]);
    expect(registry.resolve('demo/demo-chat').targets[0]?.provider.name).toBe('demo');
    expect(registry.resolve('demo-chat').targets[0]?.model).toBe('demo-chat');
    expect(registry.catalog.pricing('demo', 'demo-chat')).toEqual({
      inputPerMTok: '0.5',
      outputPerMTok: '1.5',
      cachedInputPerMTok: '0.05',
      source: 'demo',
    });
    expect(registry.listModels().map((m) => `${m.provider}/${m.id}`)).toEqual([
      'demo/demo-chat',
      'demo/demo-embed',
    ]);
  });

  it('is off as soon as a real provider is configured, and off by default', () => {
    const withKey = buildRegistry({
      demoWhenNoProvider: true,
      envProviders: providersFromEnv({ OPENAI_API_KEY: 'sk-test-0123456789' }),
    });
    expect(withKey.list().map((p) => p.name)).toEqual(['openai']);
    expect(buildRegistry({}).list()).toEqual([]);
  });

  it('joins real providers when AI_DEMO_PROVIDER=true', () => {
    const env = { OPENAI_API_KEY: 'sk-test-0123456789', AI_DEMO_PROVIDER: 'true' };
    expect(Object.keys(providersFromEnv(env))).toEqual(['openai', 'demo']);
    expect(
      buildRegistry({ envProviders: providersFromEnv(env) })
        .list()
        .map((p) => p.name),
    ).toEqual(['openai', 'demo']);
  });

  it('reads AI_DEMO_PROVIDER as on, off or auto', () => {
    expect(demoProviderSetting({ AI_DEMO_PROVIDER: 'TRUE' })).toBe('on');
    expect(demoProviderSetting({ AI_DEMO_PROVIDER: '1' })).toBe('on');
    expect(demoProviderSetting({ AI_DEMO_PROVIDER: 'no' })).toBe('off');
    expect(demoProviderSetting({ AI_DEMO_PROVIDER: '' })).toBe('auto');
    expect(demoProviderSetting({})).toBe('auto');
  });

  it('can be configured in the YAML file as type demo, with its own prices overridable', () => {
    const registry = buildRegistry({
      config: {
        providers: { sandbox: { type: 'demo' } },
        models: [{ provider: 'sandbox', id: 'demo-chat', inputPerMTok: 1, outputPerMTok: 2 }],
        routes: {},
      },
    });
    expect(registry.get('sandbox').type).toBe('demo');
    expect(registry.catalog.pricing('sandbox', 'demo-chat')).toMatchObject({
      inputPerMTok: '1',
      outputPerMTok: '2',
    });
  });
});
