import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { AiConfigError, loadAiConfig, parseAiConfig } from './load-ai-config.js';
import { providersFromEnv } from './providers-from-env.js';

const SPEC_EXAMPLE = `
providers:
  local:
    type: openai-compatible
    baseUrl: http://127.0.0.1:11434/v1
    apiKey: \${LOCAL_KEY}
    preset: ollama
models:
  - provider: local
    id: llama3.2
    inputPerMTok: 0.10
    outputPerMTok: 0.20
    cachedInputPerMTok: 0.05
    cacheWritePerMTok: 0.125
routes:
  smart:
    strategy: failover
    timeoutMs: 30000
    retries: 1
    targets:
      - anthropic/claude-sonnet-4-5
      - local/llama3.2
`;

describe('parseAiConfig', () => {
  it('reads the example from the spec, expanding ${ENV}', () => {
    const config = parseAiConfig(SPEC_EXAMPLE, 'ai.config.yaml', { LOCAL_KEY: 'local-secret' });
    expect(config.providers.local).toEqual({
      type: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: 'local-secret',
      preset: 'ollama',
    });
    expect(config.models[0]).toMatchObject({ id: 'llama3.2', inputPerMTok: 0.1, cacheWritePerMTok: 0.125 });
    expect(config.routes.smart).toMatchObject({
      strategy: 'failover',
      retries: 1,
      targets: ['anthropic/claude-sonnet-4-5', 'local/llama3.2'],
    });
  });

  it('names the file and the variable when ${ENV} is unset, and honours ${ENV:-default}', () => {
    expect(() => parseAiConfig(SPEC_EXAMPLE, 'ai.config.yaml', {})).toThrow(
      'ai.config.yaml: providers.local.apiKey: ${LOCAL_KEY} is not set in the environment',
    );
    const config = parseAiConfig(
      SPEC_EXAMPLE.replace('${LOCAL_KEY}', '${LOCAL_KEY:-}'),
      'ai.config.yaml',
      {},
    );
    expect(config.providers.local?.apiKey).toBe('');
  });

  it.each([
    [
      'providers:\n  x:\n    type: openaii\n',
      'providers.x.type: must be openai, anthropic, openai-compatible or demo',
    ],
    ['providers:\n  x:\n    type: openai\n    baseUrl: not a url\n', 'providers.x.baseUrl: must be a URL'],
    [
      'providers:\n  x:\n    type: openai-compatible\n    preset: olama\n',
      'providers.x.preset: must be one of openrouter, deepseek, groq, gemini, ollama, vllm',
    ],
    ['models:\n  - provider: x\n    id: m\n    inputPerMTok: cheap\n', 'models[0].inputPerMTok'],
    ['routes:\n  smart:\n    targets: []\n', 'routes.smart.targets: needs at least one target'],
    ['routes:\n  smart:\n    targets: [gpt-4o]\n', 'routes.smart.targets[0]: must be "provider/model"'],
    [
      'routes:\n  smart:\n    strategy: random\n    targets: [a/b]\n',
      'routes.smart.strategy: must be failover or loadbalance',
    ],
    ['providerz: {}\n', 'providerz'],
    ['providers: [\n', 'not valid YAML'],
  ])('rejects %j with the path and what is wrong', (text, message) => {
    expect(() => parseAiConfig(text, 'conf.yaml', {})).toThrow(AiConfigError);
    expect(() => parseAiConfig(text, 'conf.yaml', {})).toThrow(message);
  });
});

describe('loadAiConfig', () => {
  it('reads AI_CONFIG, and fails clearly when it names a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aigw-conf-'));
    try {
      const file = join(dir, 'gateway.yaml');
      await writeFile(file, SPEC_EXAMPLE);
      expect(loadAiConfig({ AI_CONFIG: file, LOCAL_KEY: 'k' }).config.routes.smart).toBeDefined();
      expect(() => loadAiConfig({ AI_CONFIG: join(dir, 'nope.yaml') })).toThrow(
        /AI_CONFIG names a file that does not exist/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('providersFromEnv (zero config)', () => {
  it('enables each provider whose key is set, with its base URL override and preset', () => {
    expect(
      providersFromEnv({
        OPENAI_API_KEY: 'sk-o',
        OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
        ANTHROPIC_API_KEY: 'sk-a',
        GROQ_API_KEY: 'gsk',
        OLLAMA_BASE_URL: 'http://127.0.0.1:11434/v1',
        DEEPSEEK_API_KEY: '',
      }),
    ).toEqual({
      openai: { type: 'openai', apiKey: 'sk-o', baseUrl: 'http://127.0.0.1:1/v1' },
      anthropic: { type: 'anthropic', apiKey: 'sk-a', baseUrl: undefined },
      groq: { type: 'openai-compatible', apiKey: 'gsk', baseUrl: undefined, preset: 'groq' },
      ollama: {
        type: 'openai-compatible',
        preset: 'ollama',
        baseUrl: 'http://127.0.0.1:11434/v1',
        apiKey: undefined,
      },
    });
  });
});
