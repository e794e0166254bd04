// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the YAML under test writes ${VAR} references
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

  it('leaves out a field that is exactly one unset ${ENV}, and honours ${ENV:-default}', () => {
    const config = parseAiConfig(SPEC_EXAMPLE, 'ai.config.yaml', {});
    expect(config.providers.local).toEqual({
      type: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:11434/v1',
      preset: 'ollama',
    });
    expect('apiKey' in (config.providers.local ?? {})).toBe(false);
    // An empty variable counts as unset.
    expect(
      parseAiConfig(SPEC_EXAMPLE, 'ai.config.yaml', { LOCAL_KEY: '' }).providers.local,
    ).not.toHaveProperty('apiKey');
    const withDefault = parseAiConfig(
      SPEC_EXAMPLE.replace('${LOCAL_KEY}', '${LOCAL_KEY:-}'),
      'ai.config.yaml',
      {},
    );
    expect(withDefault.providers.local?.apiKey).toBe('');
    const custom = parseAiConfig(
      SPEC_EXAMPLE.replace('${LOCAL_KEY}', '${LOCAL_KEY:-sk-default}'),
      'ai.config.yaml',
      {},
    );
    expect(custom.providers.local?.apiKey).toBe('sk-default');
  });

  it('still fails with the file, the path and the variable when an unset ${ENV} is inside a longer string', () => {
    const yaml = 'providers:\n  x:\n    type: openai-compatible\n    baseUrl: http://${HOST}:8080/v1\n';
    expect(() => parseAiConfig(yaml, 'ai.config.yaml', {})).toThrow(
      new AiConfigError(
        'ai.config.yaml: providers.x.baseUrl: ${HOST} is not set in the environment (use ${HOST:-default} for a default)',
      ),
    );
    expect(parseAiConfig(yaml, 'ai.config.yaml', { HOST: 'gpu-1' }).providers.x?.baseUrl).toBe(
      'http://gpu-1:8080/v1',
    );
  });

  it.each([
    // Required by the schema.
    ['providers:\n  x:\n    type: ${TYPE}\n', 'providers.x.type: ${TYPE} is not set in the environment'],
    ['models:\n  - provider: x\n    id: ${MODEL}\n', 'models[0].id: ${MODEL} is not set in the environment'],
    [
      "routes:\n  r:\n    targets: ['${TARGET}']\n",
      'routes.r.targets[0]: ${TARGET} is not set in the environment',
    ],
    [
      'routes:\n  r:\n    targets:\n      - target: ${TARGET}\n',
      'routes.r.targets[0]: ${TARGET} is not set in the environment',
    ],
    // Required by the provider's type.
    [
      'providers:\n  a:\n    type: anthropic\n    apiKey: ${ANTHROPIC_KEY}\n',
      'ai.config.yaml: providers.a.apiKey: ${ANTHROPIC_KEY} is not set in the environment (use ${ANTHROPIC_KEY:-default} for a default); required for an anthropic provider',
    ],
    [
      'providers:\n  o:\n    type: openai\n    apiKey: ${OPENAI_KEY}\n',
      'providers.o.apiKey: ${OPENAI_KEY} is not set in the environment (use ${OPENAI_KEY:-default} for a default); required for an openai provider',
    ],
    [
      'providers:\n  g:\n    type: openai-compatible\n    preset: groq\n    apiKey: ${GROQ_KEY}\n',
      'providers.g.apiKey: ${GROQ_KEY} is not set in the environment (use ${GROQ_KEY:-default} for a default); required for Groq',
    ],
    [
      'providers:\n  c:\n    type: openai-compatible\n    baseUrl: ${C_URL}\n',
      'providers.c.baseUrl: ${C_URL} is not set in the environment (use ${C_URL:-default} for a default); required for an openai-compatible provider without a preset',
    ],
  ])('fails at start when an unset ${ENV} is a required value: %j', (text, message) => {
    expect(() => parseAiConfig(text, 'ai.config.yaml', {})).toThrow(AiConfigError);
    expect(() => parseAiConfig(text, 'ai.config.yaml', {})).toThrow(message);
  });

  it('leaves out an optional base URL or header whose ${ENV} is unset (the preset and no header apply)', () => {
    const config = parseAiConfig(
      'providers:\n  o:\n    type: openai\n    apiKey: sk-o\n    baseUrl: ${OPENAI_BASE_URL}\n    headers:\n      x-team: ${TEAM}\n',
      'ai.config.yaml',
      {},
    );
    expect(config.providers.o).toEqual({ type: 'openai', apiKey: 'sk-o', headers: {} });
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

describe('the example from the spec, in an environment without its keys', () => {
  it('starts with LOCAL_KEY and ANTHROPIC_API_KEY unset: smart routes to local only, with a warning', () => {
    const env = {};
    const warnings: string[] = [];
    const registry = buildRegistry({
      envProviders: providersFromEnv(env),
      config: parseAiConfig(SPEC_EXAMPLE, 'ai.config.yaml', env),
      source: 'ai.config.yaml',
      logger: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    });
    expect(registry.list().map((p) => p.name)).toEqual(['local']);
    expect(registry.resolve('smart').targets.map((t) => `${t.provider.name}/${t.model}`)).toEqual([
      'local/llama3.2',
    ]);
    expect(registry.listRoutes()).toEqual([
      expect.objectContaining({
        name: 'smart',
        strategy: 'failover',
        timeoutMs: 30000,
        retries: 1,
        targets: [{ provider: 'local', model: 'llama3.2', weight: 1 }],
      }),
    ]);
    expect(warnings).toEqual([
      'ai.config.yaml: routes.smart.targets[0]: skipped "anthropic/claude-sonnet-4-5": provider "anthropic" is not enabled in this environment (set ANTHROPIC_API_KEY to enable it)',
    ]);
    expect(registry.catalog.pricing('local', 'llama3.2')).toMatchObject({ inputPerMTok: '0.1' });
  });

  it('uses both targets once ANTHROPIC_API_KEY is set', () => {
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test' };
    const registry = buildRegistry({
      envProviders: providersFromEnv(env),
      config: parseAiConfig(SPEC_EXAMPLE, 'ai.config.yaml', env),
    });
    expect(registry.resolve('smart').targets.map((t) => t.provider.name)).toEqual(['anthropic', 'local']);
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
