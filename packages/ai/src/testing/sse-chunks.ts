/**
 * Splits a `*.chunks.txt` fixture into SSE events for `FakeReply` `sse`: one event per
 * block, blocks separated by a blank line (the wire's own framing).
 */
export function readSseChunks(text: string): string[] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0);
}
