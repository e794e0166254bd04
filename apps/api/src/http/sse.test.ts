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

/** A response whose buffer fills at the first write and never drains: a client that stopped reading. */
class StalledResponse extends SlowResponse {
  override write(chunk: string) {
    this.written.push(chunk);
    return false;
  }
  destroy() {
    this.destroyed = true;
    this.emit('close');
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
    await sendSse({ id: 'r1' } as FastifyRequest, reply, events(50), { stallTimeoutMs: 60_000 });
    expect(raw.written).toHaveLength(50);
    expect(raw.writableEnded).toBe(true);
    expect(warnings).toEqual([]);
    expect(raw.listenerCount('close')).toBe(0);
    expect(raw.listenerCount('drain')).toBe(0);
  });

  it('closes the connection of a client that stopped reading, once the stall timeout passes', async () => {
    const raw = new StalledResponse();
    const warnings: unknown[] = [];
    const request = { id: 'r2', log: { warn: (details: unknown) => warnings.push(details) } };
    let finished = false;
    async function* source() {
      try {
        yield* events(1000);
      } finally {
        finished = true;
      }
    }
    const reply = { hijack() {}, raw } as unknown as FastifyReply;
    await sendSse(request as unknown as FastifyRequest, reply, source(), { stallTimeoutMs: 30 });
    expect(raw.destroyed).toBe(true);
    expect(raw.written).toEqual(['data: 0\n\n']);
    // The events stop being read (the caller's stream ends, and records its row).
    expect(finished).toBe(true);
    expect(warnings).toEqual([{ stallTimeoutMs: 30 }]);
    expect(raw.listenerCount('close')).toBe(0);
    expect(raw.listenerCount('drain')).toBe(0);
  });
});
