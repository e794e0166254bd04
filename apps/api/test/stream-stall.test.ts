import { once } from 'node:events';
import { connect } from 'node:net';
import { openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Gateway, startGateway } from './support/gateway.js';
import { waitForUsageRows } from './support/wait-for-rows.js';

const STALL_MS = 300;

describe('a streaming client that stops reading without hanging up', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startGateway({ STREAM_STALL_TIMEOUT_MS: String(STALL_MS) });
    // ~24 MB of text in 16 KB chunks: more than the socket buffers between the gateway
    // and a client that reads nothing can hold, so the gateway's writes back up.
    gateway.openai.handler = openAIFake({
      text: 'lorem ipsum dolor sit amet '.repeat(900_000),
      chunkSize: 16_384,
    });
  }, 30_000);

  afterAll(async () => {
    await gateway.close();
  });

  it('is disconnected after STREAM_STALL_TIMEOUT_MS; the upstream call is cancelled and its row says so', async () => {
    const { key } = await gateway.issueKey('stella-stalls');
    const body = JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'Write a very long story.' }],
    });
    const { port } = new URL(gateway.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    // The client sends its request and then never reads a byte.
    socket.pause();
    socket.write(
      [
        'POST /v1/chat/completions HTTP/1.1',
        `host: 127.0.0.1:${port}`,
        `authorization: Bearer ${key}`,
        'content-type: application/json',
        `content-length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ].join('\r\n'),
    );
    const rows = await waitForUsageRows(gateway, { userId: 'stella-stalls' }, { tries: 200 });

    expect(rows).toHaveLength(1);
    // Cut by the gateway after the stall (the upstream, held back, would never finish),
    // with the text sent until then estimated.
    expect(rows[0]).toMatchObject({
      stream: true,
      isSuccess: false,
      errorCode: 'aborted',
      usageSource: 'estimated',
    });
    expect(rows[0]?.completionTokens).toBeGreaterThan(0);
    expect(rows[0]?.latencyMs).toBeGreaterThanOrEqual(STALL_MS);
    expect(gateway.running.logs.text).toContain('stream closed: the client stopped reading');

    // The client's connection is closed: reading on, it gets a partial stream and no [DONE].
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.resume();
    await once(socket, 'close');
    expect(received).not.toContain('data: [DONE]');
  }, 30_000);
});
