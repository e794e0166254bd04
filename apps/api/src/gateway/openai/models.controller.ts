import { DEMO_OWNER, ProviderRegistry } from '@aigw/ai';
import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { VirtualKeyGuard } from '../../keys/virtual-key.guard.js';

// A fixed creation time: the catalog does not know when providers released models.
const CREATED = 1_700_000_000;

/** `GET /v1/models`: OpenAI's list format; each entry also carries its provider and prices. */
@ApiTags('openai')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(VirtualKeyGuard)
export class ModelsController {
  constructor(private readonly registry: ProviderRegistry) {}

  @Get('models')
  @ApiOperation({ summary: 'List the models callers can name: provider/model ids and aliases' })
  list() {
    const models = this.registry.listModels().map((m) => {
      // The demo provider's answers are canned: say so wherever a model can be picked.
      const demo = this.registry.get(m.provider).type === 'demo';
      return {
        id: `${m.provider}/${m.id}`,
        object: 'model' as const,
        created: CREATED,
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
    const aliases = this.registry.listRoutes().map((r) => ({
      id: r.name,
      object: 'model' as const,
      created: CREATED,
      owned_by: 'gateway',
      provider: 'route',
      route: { strategy: r.strategy, targets: r.targets.map((t) => `${t.provider}/${t.model}`) },
    }));
    return { object: 'list' as const, data: [...aliases, ...models] };
  }
}
