import autocannon from 'autocannon';
import { cpuMs } from './process-stats.mjs';

/**
 * Drives `url` with autocannon (POST of a JSON `body`) and reports requests/s, p50/p99,
 * errors and, when `pid` is given, that server process's CPU per request (from /proc).
 */
export async function measuredLoad(url, { body, headers = {}, connections, duration, pid }) {
  const before = pid ? cpuMs(pid) : 0;
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    connections,
    duration,
    timeout: 10,
  });
  const cpu = pid ? cpuMs(pid) - before : Number.NaN;
  const total = result.requests.total;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuPerRequestMs: cpu / Math.max(1, total),
    errors: result.errors + result.timeouts + result.non2xx,
    ok: total - result.non2xx,
  };
}
