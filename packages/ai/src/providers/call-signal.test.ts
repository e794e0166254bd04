import { describe, expect, it } from '@jest/globals';
import { callSignal } from './call-signal.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('callSignal', () => {
  it("is the caller's own signal when no timeout applies", () => {
    const caller = new AbortController();
    const call = callSignal({ signal: caller.signal });
    expect(call.signal).toBe(caller.signal);
    expect(call.aborted).toBe(false);
    caller.abort();
    expect(call.aborted).toBe(true);
    expect(call.timedOut).toBe(false);
    expect(callSignal({}).signal).toBeUndefined();
  });

  it("fires on the caller's abort, with the caller's reason, and is not a timeout", () => {
    const caller = new AbortController();
    const call = callSignal({ signal: caller.signal }, 60_000);
    expect(call.signal).not.toBe(caller.signal);
    expect(call.signal?.aborted).toBe(false);
    const reason = new Error('client went away');
    caller.abort(reason);
    expect(call.signal?.aborted).toBe(true);
    expect(call.signal?.reason).toBe(reason);
    expect(call.aborted).toBe(true);
    expect(call.timedOut).toBe(false);
    call.release();
  });

  it('starts aborted when the caller already aborted', () => {
    const caller = new AbortController();
    caller.abort();
    const call = callSignal({ signal: caller.signal }, 60_000);
    expect(call.signal?.aborted).toBe(true);
    expect(call.aborted).toBe(true);
    call.release();
  });

  it("fires on the timeout with a TimeoutError, the request's timeoutMs before the default", async () => {
    const caller = new AbortController();
    const call = callSignal({ signal: caller.signal, timeoutMs: 20 }, 60_000);
    await sleep(60);
    expect(call.signal?.aborted).toBe(true);
    expect((call.signal?.reason as DOMException | undefined)?.name).toBe('TimeoutError');
    expect(call.timedOut).toBe(true);
    expect(call.aborted).toBe(false);
    // A caller's abort after the timeout makes it a cancelled call, as before.
    caller.abort();
    expect(call.aborted).toBe(true);
    expect(call.timedOut).toBe(false);
    call.release();
  });

  it('times a call without a caller signal by the default timeout', async () => {
    const call = callSignal({}, 20);
    expect(call.signal).toBeDefined();
    await sleep(60);
    expect(call.timedOut).toBe(true);
  });

  it('once released, neither the timer nor the caller fires it', async () => {
    const caller = new AbortController();
    const call = callSignal({ signal: caller.signal, timeoutMs: 20 });
    call.release();
    await sleep(60);
    expect(call.signal?.aborted).toBe(false);
    expect(call.timedOut).toBe(false);
    caller.abort();
    expect(call.signal?.aborted).toBe(false);
  });
});
