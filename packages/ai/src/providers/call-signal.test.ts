import { getEventListeners } from 'node:events';
import { describe, expect, it } from '@jest/globals';
import { callSignal } from './call-signal.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;
const pendingTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

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

  it("starts aborted, with the caller's reason, when the caller already aborted", () => {
    const caller = new AbortController();
    const reason = new Error('gone before the call');
    caller.abort(reason);
    const call = callSignal({ signal: caller.signal }, 60_000);
    expect(call.signal?.aborted).toBe(true);
    expect(call.signal?.reason).toBe(reason);
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

  it("puts one listener on a caller's signal however many calls follow it, and tells them all", () => {
    const caller = new AbortController();
    const calls = Array.from({ length: 20 }, () => callSignal({ signal: caller.signal }, 60_000));
    expect(listeners(caller.signal)).toBe(1);
    calls[0]?.release();
    expect(listeners(caller.signal)).toBe(1);
    caller.abort();
    expect(calls.map((call) => call.signal?.aborted)).toEqual([false, ...Array(19).fill(true)]);
    for (const call of calls) call.release();
    expect(listeners(caller.signal)).toBe(0);
  });

  it("leaves nothing on the caller's signal once every call is released, or once a call timed out", async () => {
    const caller = new AbortController();
    const calls = [1, 2, 3].map(() => callSignal({ signal: caller.signal }, 60_000));
    for (const call of calls) call.release();
    expect(listeners(caller.signal)).toBe(0);
    // Following again after that is a new listener, and works.
    const again = callSignal({ signal: caller.signal, timeoutMs: 20 });
    expect(listeners(caller.signal)).toBe(1);
    await sleep(60);
    expect(again.timedOut).toBe(true);
    expect(listeners(caller.signal)).toBe(0);
  });

  it('does not keep the process alive while a call is pending', () => {
    const before = pendingTimers();
    const call = callSignal({}, 60_000);
    expect(pendingTimers()).toBe(before);
    call.release();
  });

  it('treats a timeout longer than a Node timer can wait as none', async () => {
    const call = callSignal({}, 2 ** 32);
    await sleep(30);
    expect(call.signal?.aborted).toBe(false);
    call.release();
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
