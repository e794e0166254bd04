import { BadRequestError } from '../../errors/errors.js';

/**
 * OpenAI options whose absence would change the shape of the answer the caller reads
 * (log probabilities, audio, web search results): Anthropic cannot give them, so the call is refused.
 */
const ANSWER_SHAPING = new Map<string, (value: unknown) => boolean>([
  ['logprobs', (value) => value === true],
  ['top_logprobs', (value) => typeof value === 'number' && value > 0],
  ['audio', (value) => value != null],
  ['modalities', (value) => Array.isArray(value) && value.includes('audio')],
  ['web_search_options', (value) => value != null],
]);

/**
 * Judges the options meant for OpenAI (`providerOptions.openai`, where the Chat
 * Completions route puts the fields it does not map) for an Anthropic call: throws a
 * BadRequestError naming a field the answer depends on; the others become one warning.
 */
export function checkOpenAIOptions(provider: string, options: Record<string, unknown> | undefined): string[] {
  const fields = Object.entries(options ?? {}).filter(([, value]) => value !== undefined && value !== null);
  for (const [field, value] of fields) {
    if (ANSWER_SHAPING.get(field)?.(value)) {
      throw new BadRequestError(
        `${provider}: ${field} is not supported by Anthropic models; remove it or choose another model`,
        { provider },
      );
    }
  }
  // An answer-shaping field left at its default (logprobs: false) changes nothing.
  const ignored = fields.filter(([field]) => !ANSWER_SHAPING.has(field));
  return ignored.length
    ? [`OpenAI settings not supported by Anthropic were not sent: ${ignored.map(([f]) => f).join(', ')}`]
    : [];
}
