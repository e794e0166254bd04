import { getEventListeners } from 'node:events';
import { expect } from '@jest/globals';
import type { ChatRequest } from '../../types/chat-request.js';
import type { IAIProvider } from '../../types/index.js';

/**
 * A timed call must let go of its caller's signal however it ends: answered, streamed to
 * the end, stopped by its reader, or failed (`failNext` makes the next call fail). Each
 * call is given `request` with the caller's signal and a timeout.
 */
export async function expectCallerSignalLetGo(
  provider: IAIProvider,
  request: ChatRequest,
  failNext: () => void,
): Promise<void> {
  const caller = new AbortController();
  const timed = (): ChatRequest => ({ ...request, signal: caller.signal, timeoutMs: 60_000 });
  const held = () => getEventListeners(caller.signal, 'abort').length;
  await provider.chat(timed());
  expect(held()).toBe(0);
  for await (const _ of provider.chatStream(timed())) {
    // read to the end
  }
  expect(held()).toBe(0);
  for await (const _ of provider.chatStream(timed())) break;
  expect(held()).toBe(0);
  failNext();
  await expect(provider.chat(timed())).rejects.toThrow();
  expect(held()).toBe(0);
}
