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
  type RecordedRequest,
} from './fake-upstream.js';
export { readSseChunks } from './sse-chunks.js';
