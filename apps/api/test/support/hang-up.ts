import type { FakeUpstream } from '@aigw/ai/testing';
import type { Gateway } from './gateway.js';
import { waitForUsageRows } from './wait-for-rows.js';

/**
 * Sends one non-streaming call as a new user whose upstream would answer only after
 * 3 s, hangs up as soon as the upstream has the call, and returns that user's usage
 * rows once any are written (or none, after 2.5 s).
 */
export async function hangUpDuringCall(
  gateway: Gateway,
  call: {
    userId: string;
    upstream: FakeUpstream;
    path: string;
    headers: (key: string) => Record<string, string>;
    body: unknown;
  },
) {
  const { key } = await gateway.issueKey(call.userId);
  call.upstream.enqueue({ kind: 'json', delayMs: 3000, body: {} });
  const seen = call.upstream.requests.length;
  const abort = new AbortController();
  const pending = fetch(`${gateway.url}${call.path}`, {
    method: 'POST',
    signal: abort.signal,
    headers: { 'content-type': 'application/json', ...call.headers(key) },
    body: JSON.stringify(call.body),
  }).catch((error: unknown) => error);
  let answered: unknown;
  void pending.then((outcome) => {
    answered = outcome;
  });
  while (call.upstream.requests.length === seen) {
    if (answered !== undefined) {
      call.upstream.queue.length = 0;
      const what = answered instanceof Response ? `status ${answered.status}` : String(answered);
      throw new Error(`the gateway answered before calling the upstream: ${what}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  abort.abort();
  await pending;
  return waitForUsageRows(gateway, { userId: call.userId });
}
