#!/usr/bin/env node
// Writes openai-openapi.schemas.json: the schemas of OpenAI's OpenAPI document that the
// tests validate against (ROOTS) and every schema they reference, nothing else.
// Usage: node trim-openai-spec.mjs <path to the full openai-openapi.json>
// The full document is openai/openai-openapi's openapi.json; SOURCE.md names its commit.
import { readFileSync, writeFileSync } from 'node:fs';

const ROOTS = [
  // Chat Completions, embeddings, models, errors
  'CreateChatCompletionRequest',
  'CreateChatCompletionResponse',
  'CreateChatCompletionStreamResponse',
  'CreateEmbeddingRequest',
  'CreateEmbeddingResponse',
  'ListModelsResponse',
  'Model',
  'ErrorResponse',
  // Responses
  'CreateResponse',
  'Response',
  'ResponseStreamEvent',
  'ResponseItemList',
  'TokenCountsBody',
  'TokenCountsResource',
  // Images and audio
  'CreateImageRequest',
  'ImagesResponse',
  'CreateSpeechRequest',
  'CreateTranscriptionRequest',
  'CreateTranscriptionResponseJson',
  'CreateTranscriptionResponseVerboseJson',
  'CreateTranslationRequest',
  'CreateTranslationResponseJson',
  'CreateTranslationResponseVerboseJson',
];

const source = process.argv[2];
if (!source) {
  console.error('usage: node trim-openai-spec.mjs <openai-openapi.json>');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(source, 'utf8'));
const all = spec.components.schemas;
const kept = {};
const pending = [...ROOTS];
while (pending.length > 0) {
  const name = pending.pop();
  if (name in kept) continue;
  if (!(name in all)) throw new Error(`No schema ${name} in ${source}`);
  kept[name] = all[name];
  for (const match of JSON.stringify(all[name]).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
    pending.push(decodeURIComponent(match[1]));
  }
}
const sorted = Object.fromEntries(
  Object.keys(kept)
    .sort()
    .map((k) => [k, kept[k]]),
);
const out = new URL('./openai-openapi.schemas.json', import.meta.url);
writeFileSync(out, `${JSON.stringify({ info: spec.info, components: { schemas: sorted } })}\n`);
console.log(`${Object.keys(sorted).length} of ${Object.keys(all).length} schemas written to ${out.pathname}`);
