import { Module } from '@nestjs/common';
import { ProviderRegistry } from '../registry/provider-registry.js';
import { ConfigurableModuleClass } from './ai.module-definition.js';
import { AiRuntime } from './ai-runtime.js';
import { AiService } from './ai-service.js';

/**
 * `AiModule.forRoot({ prisma })` (or `forRootAsync`) registers the providers from the
 * environment and the YAML config, and exports AiService and the ProviderRegistry.
 * Global by default.
 */
@Module({
  providers: [
    AiRuntime,
    { provide: AiService, useFactory: (runtime: AiRuntime) => runtime.service, inject: [AiRuntime] },
    { provide: ProviderRegistry, useFactory: (runtime: AiRuntime) => runtime.registry, inject: [AiRuntime] },
  ],
  exports: [AiService, ProviderRegistry, AiRuntime],
})
export class AiModule extends ConfigurableModuleClass {}
