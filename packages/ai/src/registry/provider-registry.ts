import type { ModelCatalog } from '../catalog/model-catalog.js';
import { ModelNotFoundError } from '../errors/errors.js';
import type { IAIProvider } from '../types/ai-provider.js';
import type { ModelInfo } from '../types/model-info.js';

/** One place a request can go: a provider and its own model id. */
export interface RouteTarget {
  provider: IAIProvider;
  model: string;
  weight: number;
}

/** An alias from config: ordered (or weighted) targets. */
export interface RouteDefinition {
  name: string;
  strategy: 'failover' | 'loadbalance';
  targets: { provider: string; model: string; weight: number }[];
  timeoutMs?: number;
  requestTimeoutMs?: number;
  retries?: number;
  fallbacks?: string[];
}

/** What a requested model name resolved to. */
export interface ResolvedModel {
  /** The name as the caller gave it. */
  requested: string;
  /** Where to send it, in order; one entry unless it names a route. */
  targets: RouteTarget[];
  /** The route, when the name was an alias. */
  route?: RouteDefinition;
}

/** Thrown when a name matches no provider. Lists what exists. */
export class NoSuchProviderError extends ModelNotFoundError {}

/**
 * The providers of this process, by name, and the resolution of a requested model
 * name: an alias (route), `provider/model`, or a catalog id.
 */
export class ProviderRegistry {
  private readonly providers = new Map<string, IAIProvider>();
  private readonly routes = new Map<string, RouteDefinition>();

  constructor(readonly catalog: ModelCatalog) {}

  register(provider: IAIProvider): this {
    if (this.providers.has(provider.name))
      throw new Error(`A provider named "${provider.name}" is already registered`);
    this.providers.set(provider.name, provider);
    return this;
  }

  /** Adds an alias; its targets must name registered providers. */
  addRoute(route: RouteDefinition): this {
    for (const target of route.targets) this.get(target.provider);
    if (this.providers.has(route.name)) throw new Error(`Route "${route.name}" has the name of a provider`);
    this.routes.set(route.name, route);
    return this;
  }

  get(name: string): IAIProvider {
    const provider = this.providers.get(name);
    if (!provider) {
      throw new NoSuchProviderError(
        `No provider named "${name}". Configured providers: ${this.names().join(', ') || 'none (set a provider key such as OPENAI_API_KEY)'}`,
      );
    }
    return provider;
  }

  has(name: string): boolean {
    return this.providers.has(name);
  }

  list(): IAIProvider[] {
    return [...this.providers.values()];
  }

  listRoutes(): RouteDefinition[] {
    return [...this.routes.values()];
  }

  /** Every model callers can name: the catalog's models of registered providers. */
  listModels(): ModelInfo[] {
    return this.list().flatMap((p) => p.listModels());
  }

  /** Resolves an alias, `provider/model` or a catalog id; throws ModelNotFoundError saying how to find valid names. */
  resolve(requested: string): ResolvedModel {
    const name = requested.trim();
    const route = this.routes.get(name);
    if (route) {
      const targets = route.targets.map((t) => ({
        provider: this.get(t.provider),
        model: t.model,
        weight: t.weight,
      }));
      return { requested, targets, route };
    }
    const slash = name.indexOf('/');
    if (slash > 0 && this.providers.has(name.slice(0, slash))) {
      const provider = this.get(name.slice(0, slash));
      return { requested, targets: [{ provider, model: name.slice(slash + 1), weight: 1 }] };
    }
    // A catalog id: the first registered provider that lists it, then one whose prices know it.
    const listed = this.list().find((p) => this.catalog.get(p.name, name));
    const priced = listed ?? this.list().find((p) => this.catalog.pricing(p.name, name));
    if (priced) return { requested, targets: [{ provider: priced, model: name, weight: 1 }] };
    throw new ModelNotFoundError(this.unknownModelMessage(requested));
  }

  private unknownModelMessage(requested: string): string {
    const aliases = [...this.routes.keys()];
    const providers = this.names();
    if (!providers.length) {
      return `Unknown model "${requested}": no provider is configured. Set a key such as OPENAI_API_KEY or ANTHROPIC_API_KEY, or add providers to the AI config file.`;
    }
    return [
      `Unknown model "${requested}".`,
      aliases.length ? `Aliases: ${aliases.join(', ')}.` : '',
      'Use a model id from GET /v1/models,',
      `or "provider/model" with a configured provider (${providers.join(', ')}).`,
    ]
      .filter(Boolean)
      .join(' ');
  }

  private names(): string[] {
    return [...this.providers.keys()];
  }
}
