export {
  type AnthropicFakeOptions,
  type AnthropicFakeToolCall,
  anthropicError,
  anthropicFake,
  anthropicMessage,
  anthropicSseEvent,
  anthropicStreamErrorEvent,
  anthropicStreamEvents,
  DEFAULT_ANTHROPIC_USAGE,
} from './anthropic-fake.js';
export {
  type FakeHandler,
  type FakeReply,
  FakeUpstream,
  type RecordedFile,
  type RecordedRequest,
} from './fake-upstream.js';
export {
  DEFAULT_OPENAI_USAGE,
  type OpenAIFakeOptions,
  openAIError,
  openAIFake,
} from './openai-fake.js';
export {
  DEFAULT_TRANSCRIPTION_TEXT,
  type OpenAIMediaFakeOptions,
  openAIMediaFake,
  SPEECH_CONTENT_TYPES,
  TINY_PNG_BASE64,
} from './openai-media-fake.js';
export {
  DEFAULT_OPENAI_RESPONSES_USAGE,
  type OpenAIResponsesFakeOptions,
  openAIResponsesFake,
} from './openai-responses-fake.js';
export { readSseChunks } from './sse-chunks.js';
export { type SineWavOptions, sinePcm, sineWav, wavDurationSeconds } from './wav.js';
