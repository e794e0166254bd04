import { DEMO_PROVIDER_NAME } from '../providers/demo/demo-models.js';
import type { ProviderConfig } from './ai-config.schema.js';
import { demoProviderSetting } from './demo-provider-setting.js';

const KEYED: [string, string, ProviderConfig['type'], ProviderConfig['preset']][] = [
  ['openai', 'OPENAI', 'openai', undefined],
  ['anthropic', 'ANTHROPIC', 'anthropic', undefined],
  ['openrouter', 'OPENROUTER', 'openai-compatible', 'openrouter'],
  ['gemini', 'GEMINI', 'openai-compatible', 'gemini'],
  ['deepseek', 'DEEPSEEK', 'openai-compatible', 'deepseek'],
  ['groq', 'GROQ', 'openai-compatible', 'groq'],
];
const LOCAL = [
  ['ollama', 'OLLAMA'],
  ['vllm', 'VLLM'],
] as const;

/**
 * The providers the environment can enable, by their fixed names, with what enables
 * each. A config file may name one that this environment does not enable (see
 * buildRegistry), so one file serves deployments with different keys.
 */
export const ENV_PROVIDERS: Readonly<Record<string, string>> = Object.fromEntries([
  ...KEYED.map(([name, prefix]) => [name, `${prefix}_API_KEY`]),
  ...LOCAL.map(([name, prefix]) => [name, `${prefix}_BASE_URL`]),
  [DEMO_PROVIDER_NAME, 'AI_DEMO_PROVIDER=true'],
]);

/**
 * Zero-config: a provider is enabled when its key (or, for local servers, its base URL)
 * is in the environment. Names are what `provider/model` uses. `AI_DEMO_PROVIDER=true`
 * adds the demo provider (with no real provider it is added anyway: see buildRegistry).
 */
export function providersFromEnv(env: Record<string, string | undefined>): Record<string, ProviderConfig> {
  const providers: Record<string, ProviderConfig> = {};
  const value = (name: string) => env[name]?.trim() || undefined;
  for (const [name, prefix, type, preset] of KEYED) {
    const apiKey = value(`${prefix}_API_KEY`);
    if (!apiKey) continue;
    providers[name] = { type, apiKey, baseUrl: value(`${prefix}_BASE_URL`), ...(preset ? { preset } : {}) };
  }
  for (const [name, prefix] of LOCAL) {
    const baseUrl = value(`${prefix}_BASE_URL`);
    if (!baseUrl) continue;
    providers[name] = {
      type: 'openai-compatible',
      preset: name,
      baseUrl,
      apiKey: value(`${prefix}_API_KEY`),
    };
  }
  if (demoProviderSetting(env) === 'on') providers[DEMO_PROVIDER_NAME] = { type: 'demo' };
  return providers;
}
