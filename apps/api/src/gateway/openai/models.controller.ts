import { DEMO_OWNER, ModelNotFoundError, ProviderRegistry } from '@aigw/ai';
import { Controller, Get, Headers, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiZodQuery, zodPipe } from '../../http/zod-validation.js';
import { VirtualKeyGuard } from '../../keys/virtual-key.guard.js';
import {
  type AnthropicModelsQuery,
  anthropicModelPage,
  anthropicModelsQuerySchema,
} from './anthropic-models.js';
import { MODELS_CREATED, type ModelEntry } from './model-entry.js';

/** `anthropic-version`, optional: sent, the answer is in Anthropic's format. */
const ANTHROPIC_VERSION_HEADER = {
  name: 'anthropic-version',
  required: false,
  description: "Sent (as the Anthropic SDK does): the answer is in Anthropic's format",
};

/**
 * `GET /v1/models` and `GET /v1/models/{model}`: OpenAI's list and model formats, each entry
 * also carrying its provider and prices; in Anthropic's formats (`type: model`, `has_more`…)
 * when the request carries `anthropic-version`, as the Anthropic SDK's always does.
 */
@ApiTags('openai')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(VirtualKeyGuard)
export class ModelsController {
  constructor(private readonly registry: ProviderRegistry) {}

  @Get('models')
  @ApiOperation({ summary: 'List the models callers can name: provider/model ids and aliases' })
  @ApiZodQuery(anthropicModelsQuerySchema)
  @ApiHeader(ANTHROPIC_VERSION_HEADER)
  list(
    @Headers('anthropic-version') anthropicVersion: string | undefined,
    @Query(zodPipe(anthropicModelsQuerySchema)) query: AnthropicModelsQuery,
  ) {
    const entries = this.entries();
    if (anthropicVersion !== undefined) return anthropicModelPage(entries, query);
    return { object: 'list' as const, data: entries };
  }

  @Get('models/*')
  @ApiOperation({
    summary: 'One model callers can name (an alias, provider/model, or a catalog id), as in the list',
  })
  @ApiHeader(ANTHROPIC_VERSION_HEADER)
  @ApiParam({
    name: 'path',
    description: 'The model: a listed id (it may contain /), an alias or a catalog id',
  })
  retrieve(
    @Req() request: FastifyRequest,
    @Headers('anthropic-version') anthropicVersion: string | undefined,
  ) {
    // The wildcard's value (Fastify's `*`), decoded: `openai%2Fgpt-4o` and `openai/gpt-4o` alike.
    const entry = this.find((request.params as Record<string, string>)['*'] ?? '');
    return anthropicVersion !== undefined ? anthropicModelPage([entry], {}).data[0] : entry;
  }

  /** The entry named `requested`: listed under that id, or the listed model a catalog id resolves to. */
  private find(requested: string): ModelEntry {
    const entries = this.entries();
    const listed = entries.find((e) => e.id === requested);
    if (listed) return listed;
    // Throws ModelNotFoundError (404) for a name nothing resolves.
    const [target] = this.registry.resolve(requested).targets;
    const resolved = target && entries.find((e) => e.id === `${target.provider.name}/${target.model}`);
    if (!resolved)
      throw new ModelNotFoundError(
        `The model "${requested}" is not in the gateway's catalog; GET /v1/models lists the names to use.`,
      );
    return { ...resolved, id: requested };
  }

  private entries(): ModelEntry[] {
    const models = this.registry.listModels().map((m) => {
      // The demo provider's answers are canned: say so wherever a model can be picked.
      const demo = this.registry.get(m.provider).type === 'demo';
      return {
        id: `${m.provider}/${m.id}`,
        object: 'model' as const,
        created: MODELS_CREATED,
        owned_by: demo ? DEMO_OWNER : m.provider,
        provider: m.provider,
        ...(demo ? { demo: true } : {}),
        provider_model: m.id,
        context_window: m.contextWindow ?? null,
        capabilities: m.capabilities,
        // USD per 1M tokens as decimal strings; null: unpriced (calls are recorded without a cost).
        pricing: m.pricing
          ? {
              input_per_mtok: m.pricing.inputPerMTok,
              output_per_mtok: m.pricing.outputPerMTok,
              cached_input_per_mtok: m.pricing.cachedInputPerMTok ?? null,
              cache_write_per_mtok: m.pricing.cacheWritePerMTok ?? null,
              source: m.pricing.source,
            }
          : null,
      };
    });
    const routes = this.registry.listRoutes();
    const aliases = routes.map((r) => ({
      id: r.name,
      object: 'model' as const,
      created: MODELS_CREATED,
      owned_by: 'gateway',
      provider: 'route',
      route: { strategy: r.strategy, targets: r.targets.map((t) => `${t.provider}/${t.model}`) },
    }));
    // A route named like a model hides it (a call by that name takes the route): one entry per id.
    const names = new Set(routes.map((r) => r.name));
    return [...aliases, ...models.filter((m) => !names.has(m.id))];
  }
}
