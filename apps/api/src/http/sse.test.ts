import { EventEmitter } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendSse } from './sse.js';

/** A response whose every write fills the buffer, then drains on the next turn. */
class SlowResponse extends EventEmitter {
  written: string[] = [];
  destroyed = false;
  writableEnded = false;
  writableFinished = false;
  writeHead() {
    return this;
  }
  write(chunk: string) {
    this.written.push(chunk);
    setImmediate(() => this.emit('drain'));
    return false;
  }
  end() {
    this.writableEnded = true;
    this.writableFinished = true;
  }
}

async function* events(count: number) {
  for (let i = 0; i < count; i++) yield `data: ${i}\n\n`;
}

describe('sendSse', () => {
  it('waits out backpressure on every event without piling up listeners', async () => {
    const raw = new SlowResponse();
    const warnings: string[] = [];
    raw.on('newListener', () => {
      if (raw.listenerCount('close') > 1 || raw.listenerCount('drain') > 1)
        warnings.push('listeners piled up');
    });
    const reply = { hijack() {}, raw } as unknown as FastifyReply;
    await sendSse({ id: 'r1' } as FastifyRequest, reply, events(50));
    expect(raw.written).toHaveLength(50);
    expect(raw.writableEnded).toBe(true);
    expect(warnings).toEqual([]);
    expect(raw.listenerCount('close')).toBe(0);
    expect(raw.listenerCount('drain')).toBe(0);
  });
});
