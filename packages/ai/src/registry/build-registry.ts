import { ModelCatalog } from '../catalog/model-catalog.js';
import { decimalString } from '../catalog/price-database.js';
import type { AiConfigFile, ProviderConfig } from '../config/ai-config.schema.js';
import { AiConfigError } from '../config/load-ai-config.js';
import { ENV_PROVIDERS } from '../config/providers-from-env.js';
import { DEMO_PROVIDER_NAME } from '../providers/demo/demo-models.js';
import type { IAIProvider } from '../types/ai-provider.js';
import type { ProviderSettings } from '../types/provider-settings.js';
import { createProvider, ownModelsOf, priceProviderIdOf } from './create-provider.js';
import { ProviderRegistry, type RouteDefinition } from './provider-registry.js';

/** Where providers come from: the environment (zero-config), the config file, and extras. */
export interface RegistrySources {
  /** Providers enabled by environment keys (`providersFromEnv`). */
  envProviders?: Record<string, ProviderConfig>;
  /** The YAML config file; its providers override environment ones of the same name. */
  config?: AiConfigFile;
  /** Providers built in code (tests, custom providers): registered as they are. */
  custom?: IAIProvider[];
  /** Named in errors (the config file's path). */
  source?: string;
  /**
   * Where warnings go: providers' SDK warnings, and config entries skipped because they
   * name a built-in provider this environment does not enable (those go to the console
   * when no logger is given).
   */
  logger?: ProviderSettings['logger'];
  /**
   * Register the demo provider when no other provider is configured (zero-config first
   * run). Off by default here; AiModule turns it on unless `AI_DEMO_PROVIDER=false`.
   */
  demoWhenNoProvider?: boolean;
}

/**
 * Builds the catalog and the registry, with every reference checked. A model entry or
 * route target naming a provider that is not configured fails, unless the name is one
 * the environment can enable (`ENV_PROVIDERS`: openai, anthropic, … demo) and this
 * environment does not: then it is skipped with a warning, so one config file serves
 * deployments with different keys. A route whose every target is skipped is left out,
 * with a warning, and dropped from other routes' fallbacks.
 */
export function buildRegistry(sources: RegistrySources): ProviderRegistry {
  const where = sources.source ? `${sources.source}: ` : '';
  const warn = (message: string) =>
    sources.logger ? sources.logger.warn(`${where}${message}`) : console.warn(`${where}${message}`);
  const notEnabled = (provider: string) =>
    `provider "${provider}" is not enabled in this environment (set ${ENV_PROVIDERS[provider]} to enable it)`;
  const config = sources.config ?? { providers: {}, models: [], routes: {} };
  const catalog = new ModelCatalog();
  const registry = new ProviderRegistry(catalog);
  const configured = () =>
    registry
      .list()
      .map((p) => p.name)
      .join(', ') || 'none';
  const configs: Record<string, ProviderConfig> = { ...sources.envProviders, ...config.providers };
  if (sources.demoWhenNoProvider && Object.keys(configs).length === 0 && !sources.custom?.length) {
    configs[DEMO_PROVIDER_NAME] = { type: 'demo' };
  }
  for (const [name, providerConfig] of Object.entries(configs)) {
    catalog.addProvider({
      name,
      priceProviderId: priceProviderIdOf(providerConfig),
      models: ownModelsOf(providerConfig),
    });
    try {
      registry.register(createProvider(name, providerConfig, () => catalog.list(name), sources.logger));
    } catch (error) {
      throw new AiConfigError(`${where}${(error as Error).message}`);
    }
  }
  for (const provider of sources.custom ?? []) {
    catalog.addProvider({ name: provider.name });
    registry.register(provider);
  }
  // A built-in provider name this environment does not enable (not a typo).
  const skippable = (provider: string) => !registry.has(provider) && Object.hasOwn(ENV_PROVIDERS, provider);
  for (const [i, model] of config.models.entries()) {
    if (skippable(model.provider)) {
      warn(`models[${i}]: skipped "${model.provider}/${model.id}": ${notEnabled(model.provider)}`);
      continue;
    }
    if (!registry.has(model.provider)) {
      throw new AiConfigError(
        `${where}models[${i}].provider: no provider named "${model.provider}" (configured: ${configured()})`,
      );
    }
    const price = (v: number | string | undefined) =>
      v === undefined ? undefined : typeof v === 'number' ? decimalString(v) : v;
    catalog.override({
      provider: model.provider,
      id: model.id,
      inputPerMTok: price(model.inputPerMTok),
      outputPerMTok: price(model.outputPerMTok),
      cachedInputPerMTok: price(model.cachedInputPerMTok),
      cacheWritePerMTok: price(model.cacheWritePerMTok),
      cacheWrite1hPerMTok: price(model.cacheWrite1hPerMTok),
      webSearchPerThousand: price(model.webSearchPerThousand),
      inputAudioPerMTok: price(model.inputAudioPerMTok),
      inputImagePerMTok: price(model.inputImagePerMTok),
      outputImagePerMTok: price(model.outputImagePerMTok),
      outputAudioPerMTok: price(model.outputAudioPerMTok),
      perImage: perImagePrices(model.perImage, price),
      perMinute: price(model.perMinute),
      minimumSeconds: model.minimumSeconds,
      perMCharacters: price(model.perMCharacters),
      contextWindow: model.contextWindow,
      capabilities: model.capabilities,
    });
  }
  // Each route's targets, without those of providers this environment does not enable.
  const kept = new Map<string, RouteDefinition['targets']>();
  for (const [name, route] of Object.entries(config.routes)) {
    const targets: RouteDefinition['targets'] = [];
    const skipped = new Set<string>();
    for (const [i, t] of route.targets.entries()) {
      const target = typeof t === 'string' ? t : t.target;
      const slash = target.indexOf('/');
      const provider = target.slice(0, slash);
      if (skippable(provider)) {
        warn(`routes.${name}.targets[${i}]: skipped "${target}": ${notEnabled(provider)}`);
        skipped.add(provider);
        continue;
      }
      if (!registry.has(provider)) {
        throw new AiConfigError(
          `${where}routes.${name}.targets[${i}]: no provider named "${provider}" (configured: ${configured()})`,
        );
      }
      targets.push({
        provider,
        model: target.slice(slash + 1),
        weight: typeof t === 'string' ? 1 : (t.weight ?? 1),
      });
    }
    if (targets.length) {
      kept.set(name, targets);
      continue;
    }
    // A route with nothing left is left out (callers naming it get the unknown-model 404),
    // and so is its place in other routes' fallbacks.
    const enable = [...skipped].map((p) => `${p} (set ${ENV_PROVIDERS[p]})`).join(', ');
    warn(
      `routes.${name}: left out: every target names a provider that is not enabled in this environment; enable one of: ${enable}`,
    );
  }
  for (const [name, targets] of kept) {
    const route = config.routes[name] as AiConfigFile['routes'][string];
    registry.addRoute({
      name,
      strategy: route.strategy,
      targets,
      timeoutMs: route.timeoutMs,
      requestTimeoutMs: route.requestTimeoutMs,
      retries: route.retries,
      fallbacks: route.fallbacks?.filter((fallback) => kept.has(fallback)),
    });
  }
  return registry;
}

// A YAML `perImage` as quality/size keys: one price is any/any ("*" + "/" + "*"); a bare
// size (1024x1024, auto) is any quality at that size, a bare quality (hd) any size.
function perImagePrices(
  value: number | string | Record<string, number | string> | undefined,
  price: (v: number | string) => string | undefined,
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object') return { '*/*': price(value) as string };
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      const full = key.includes('/') ? key : /^(\d+x\d+|auto)$/.test(key) ? `*/${key}` : `${key}/*`;
      return [full === '*' ? '*/*' : full, price(v) as string];
    }),
  );
}
