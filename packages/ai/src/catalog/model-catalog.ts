import type { ModelCapabilities, ModelInfo, ModelPricing } from '../types/model-info.js';
import { BUILTIN_MODELS, DEFAULT_CHAT_CAPABILITIES } from './builtin-models.js';
import { AUDIO_MINIMUM_SECONDS, MEDIA_PRICES } from './media-prices.js';
import { lookupPriceDatabase } from './price-database.js';

/** The prices a config entry may set, each a decimal string (see ModelPricing). */
const PRICE_FIELDS = [
  'inputPerMTok',
  'outputPerMTok',
  'cachedInputPerMTok',
  'cacheWritePerMTok',
  'cacheWrite1hPerMTok',
  'webSearchPerThousand',
  'inputAudioPerMTok',
  'inputImagePerMTok',
  'outputImagePerMTok',
  'outputAudioPerMTok',
  'perMinute',
  'perMCharacters',
] as const satisfies readonly (keyof ModelPricing)[];

/** A model entry from the YAML config: adds a model or overrides a known one's prices. */
export type ModelOverride = { [K in (typeof PRICE_FIELDS)[number]]?: string } & {
  provider: string;
  id: string;
  /** USD per image by `quality/size` (see ModelPricing.perImage). */
  perImage?: Record<string, string>;
  /** Seconds billed at least per request at the per-minute price. */
  minimumSeconds?: number;
  contextWindow?: number;
  capabilities?: Partial<ModelCapabilities>;
};

/** A registered provider as the catalog sees it: its name and where its prices live. */
export interface CatalogProvider {
  name: string;
  /** Provider id in the price database (`openai`, `anthropic`, `google`...), if any. */
  priceProviderId?: string;
  /** Models with their own prices, listed as they are (the demo provider's price table). */
  models?: Omit<ModelInfo, 'provider'>[];
}

/**
 * Every known model per registered provider, with capabilities, context window and
 * prices. Built-in models get prices from the bundled price database; config entries
 * add models or override prices. A model id the catalog does not list is still priced
 * when the price database knows it (e.g. a dated snapshot), else it is unpriced.
 */
export class ModelCatalog {
  private readonly models = new Map<string, Map<string, ModelInfo>>();
  private readonly providers = new Map<string, CatalogProvider>();

  /** Adds a provider with its own models, and the built-in models of its price-database id. */
  addProvider(provider: CatalogProvider): void {
    this.providers.set(provider.name, provider);
    const byId = this.models.get(provider.name) ?? new Map<string, ModelInfo>();
    this.models.set(provider.name, byId);
    for (const model of provider.models ?? []) byId.set(model.id, { ...model, provider: provider.name });
    for (const builtin of BUILTIN_MODELS[provider.priceProviderId ?? ''] ?? []) {
      const found = lookupPrices(provider.priceProviderId as string, builtin.id);
      byId.set(builtin.id, {
        provider: provider.name,
        id: builtin.id,
        capabilities: builtin.capabilities,
        contextWindow: builtin.contextWindow ?? found?.contextWindow,
        pricing: found?.pricing,
      });
    }
  }

  /** Adds or overrides a model from config. Prices given here win over the database. */
  override(entry: ModelOverride): ModelInfo {
    const byId = this.models.get(entry.provider);
    if (!byId) throw new Error(`models: provider "${entry.provider}" is not configured`);
    const known = byId.get(entry.id) ?? this.priced(entry.provider, entry.id);
    const pricing = overridePricing(known?.pricing, entry);
    const info: ModelInfo = {
      provider: entry.provider,
      id: entry.id,
      capabilities: { ...(known?.capabilities ?? DEFAULT_CHAT_CAPABILITIES), ...entry.capabilities },
      contextWindow: entry.contextWindow ?? known?.contextWindow,
      pricing,
    };
    byId.set(entry.id, info);
    return info;
  }

  /** The listed models of one provider, or of all. */
  list(provider?: string): ModelInfo[] {
    if (provider) return [...(this.models.get(provider)?.values() ?? [])];
    return [...this.models.values()].flatMap((m) => [...m.values()]);
  }

  /** A listed model. */
  get(provider: string, id: string): ModelInfo | undefined {
    return this.models.get(provider)?.get(id);
  }

  /** Listed models with this id, across providers (for resolving a bare catalog id). */
  findById(id: string): ModelInfo[] {
    return [...this.models.values()].map((m) => m.get(id)).filter((m): m is ModelInfo => !!m);
  }

  /** The prices for a call to `id` at `provider`: listed, else the price database, else none. */
  pricing(provider: string, id: string): ModelPricing | undefined {
    return this.get(provider, id)?.pricing ?? this.priced(provider, id)?.pricing;
  }

  /** Info for any model id of a provider, listed or not (unlisted ones get default capabilities). */
  describe(provider: string, id: string): ModelInfo {
    return (
      this.get(provider, id) ??
      this.priced(provider, id) ?? { provider, id, capabilities: DEFAULT_CHAT_CAPABILITIES }
    );
  }

  private priced(provider: string, id: string): ModelInfo | undefined {
    const priceId = this.providers.get(provider)?.priceProviderId;
    const found = priceId ? lookupPrices(priceId, id) : undefined;
    if (!found) return undefined;
    return {
      provider,
      id,
      capabilities: DEFAULT_CHAT_CAPABILITIES,
      contextWindow: found.contextWindow,
      pricing: found.pricing,
    };
  }
}

/** A model's prices from the price database, else from the bundled media prices. */
function lookupPrices(
  priceProviderId: string,
  id: string,
): { pricing: ModelPricing; contextWindow?: number } | undefined {
  const found = lookupPriceDatabase(priceProviderId, id);
  const minimumSeconds = AUDIO_MINIMUM_SECONDS[priceProviderId];
  if (found?.pricing.perMinute !== undefined && minimumSeconds) {
    return { ...found, pricing: { ...found.pricing, minimumSeconds } };
  }
  if (found) return found;
  const media = MEDIA_PRICES[priceProviderId]?.[id];
  return media ? { pricing: media } : undefined;
}

function overridePricing(known: ModelPricing | undefined, entry: ModelOverride): ModelPricing | undefined {
  const changed = PRICE_FIELDS.some((field) => entry[field] !== undefined) || entry.perImage !== undefined;
  // A model priced only per image, minute or character bills no tokens.
  const unitPriced = [entry.perImage, entry.perMinute, entry.perMCharacters].some((v) => v !== undefined);
  const input = entry.inputPerMTok ?? known?.inputPerMTok ?? (unitPriced ? '0' : undefined);
  const output = entry.outputPerMTok ?? known?.outputPerMTok ?? (unitPriced ? '0' : undefined);
  if (input === undefined || output === undefined) return undefined;
  const pricing: ModelPricing = {
    ...known,
    inputPerMTok: input,
    outputPerMTok: output,
    source: changed ? 'config' : (known?.source ?? 'config'),
  };
  for (const field of PRICE_FIELDS) {
    const value = entry[field];
    if (value !== undefined) pricing[field] = value;
  }
  if (entry.minimumSeconds !== undefined) pricing.minimumSeconds = entry.minimumSeconds;
  if (entry.perImage) pricing.perImage = { ...known?.perImage, ...entry.perImage };
  // Tiers from the database no longer apply once the config sets its own base prices.
  if (changed || !known?.tiers) delete pricing.tiers;
  return pricing;
}
