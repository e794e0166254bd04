import type { ProviderSettings } from '../../types/provider-settings.js';
import { OpenAIChatProvider } from '../openai/openai-chat-provider.js';
import { GENERIC_OPENAI_COMPATIBLE, type OpenAICompatiblePreset } from './presets.js';

/** Any server speaking the OpenAI API: OpenRouter, DeepSeek, Groq, Gemini, Ollama, vLLM... */
export class OpenAICompatibleProvider extends OpenAIChatProvider {
  constructor(settings: ProviderSettings, preset: OpenAICompatiblePreset = GENERIC_OPENAI_COMPATIBLE) {
    super(
      {
        ...settings,
        displayName: settings.displayName ?? preset.displayName,
        baseUrl: settings.baseUrl || preset.baseUrl,
      },
      { type: 'openai-compatible', ...preset.dialect },
    );
  }
}
