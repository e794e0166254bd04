import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { computeCost } from '../cost/compute-cost.js';
import { convertAnthropicUsage } from '../providers/anthropic/convert-anthropic-usage.js';
import { buildRegistry } from '../registry/build-registry.js';
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
    [
      'models:\n  - provider: x\n    id: m\n    webSearchPerThousand: ten\n',
      'models[0].webSearchPerThousand',
    ],
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

describe('model prices from the config file', () => {
  it('prices 1-hour cache writes and web searches at cacheWrite1hPerMTok and webSearchPerThousand', () => {
    const yaml = `
providers:
  anthropic: { type: anthropic, apiKey: sk-a }
models:
  - provider: anthropic
    id: claude-sonnet-4-5
    cacheWrite1hPerMTok: 6.5
    webSearchPerThousand: '12'
`;
    const config = parseAiConfig(yaml, 'ai.config.yaml', {});
    const pricing = buildRegistry({ config }).catalog.pricing('anthropic', 'claude-sonnet-4-5');
    // The rest comes from the database: input $3, reads $0.30, 5-minute writes $3.75, output $15.
    expect(pricing).toMatchObject({
      cacheWritePerMTok: '3.75',
      cacheWrite1hPerMTok: '6.5',
      source: 'config',
    });
    const usage = convertAnthropicUsage({
      input_tokens: 100,
      cache_read_input_tokens: 3000,
      cache_creation_input_tokens: 2000,
      cache_creation: { ephemeral_5m_input_tokens: 1200, ephemeral_1h_input_tokens: 800 },
      output_tokens: 50,
      server_tool_use: { web_search_requests: 3, web_fetch_requests: 0 },
    });
    // Per 1M: 100*3 + 3000*0.3 + 1200*3.75 + 800*6.5 + 50*15 = 300 + 900 + 4500 + 5200 + 750
    // = 11650 → $0.01165; + 3 searches * $12 / 1000 = $0.036; total $0.04765.
    expect(computeCost(usage, pricing)).toMatchObject({
      usd: '0.047650000000',
      pricing: { cacheWrite1hPerMTok: '6.5', webSearchPerThousand: '12' },
    });
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
