import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AiModuleOptions } from './ai-module-options.js';

/** `forRoot` / `forRootAsync` with one options token (NestJS's ConfigurableModuleBuilder). */
export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<AiModuleOptions>()
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
