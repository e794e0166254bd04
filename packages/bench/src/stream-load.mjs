import { Agent, request } from 'undici';

/**
 * Streams `total` chat completions with `concurrency` at a time and returns the time to
 * the first content token of each (ms): what a user waiting on a streamed answer feels.
 */
export async function streamTtft(url, { headers, body, total, concurrency, marker, agent }) {
  const dispatcher = agent ?? new Agent({ connections: concurrency + 8 });
  const ttfts = [];
  let errors = 0;
  let next = 0;
  async function worker() {
    while (next < total) {
      next++;
      const started = performance.now();
      try {
        const res = await request(url, { method: 'POST', headers, body, dispatcher });
        let seen = false;
        for await (const part of res.body) {
          if (!seen && part.toString().includes(marker)) {
            seen = true;
            ttfts.push(performance.now() - started);
          }
        }
        if (res.statusCode !== 200 || !seen) errors++;
      } catch {
        errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (!agent) await dispatcher.close();
  return { ttfts, errors };
}

/**
 * Opens `count` streams, `wave` at a time (each wave once the previous one has its
 * response heads), and keeps them open until `release` resolves; returns how many
 * opened. `progress.opened` counts them as they open (for a caller waiting on it).
 * Waves, not all at once: a burst of 1,000 connects overflows the listen queues (Node's
 * backlog is 511) and the dropped ones come back only after TCP's 1 s, 3 s, 7 s... retries,
 * which measures the kernel's retry timer rather than the gateway.
 */
export async function holdStreams(
  url,
  { headers, body, count, release, progress = { opened: 0 }, wave = 100 },
) {
  const dispatcher = new Agent({ connections: count + 8 });
  let opened = 0;
  let failed = 0;
  let released = false;
  const controllers = [];
  const hold = async (headed) => {
    const controller = new AbortController();
    controllers.push(controller);
    let headedYet = false;
    try {
      const res = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher,
        signal: controller.signal,
      });
      headedYet = true;
      if (res.statusCode === 200) progress.opened = ++opened;
      else failed++;
      headed();
      for await (const _ of res.body) {
        // keep reading until released
      }
    } catch {
      // Aborted on release; anything else before the head (a refused or reset connect) failed.
      if (!headedYet && !controller.signal.aborted) failed++;
    } finally {
      headed();
    }
  };
  const all = [];
  const releasing = release.then(() => {
    released = true;
  });
  for (let started = 0; started < count && !released; started += wave) {
    const heads = [];
    for (let i = started; i < Math.min(count, started + wave); i++) {
      heads.push(new Promise((headed) => all.push(hold(headed))));
    }
    await Promise.race([Promise.all(heads), releasing]);
  }
  await release;
  for (const c of controllers) c.abort();
  await Promise.allSettled(all);
  await dispatcher.close();
  return { opened, failed };
}

/** The middle of numbers (the mean of the two middle ones for an even count); NaNs left out. */
export function median(values) {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The q-quantile of numbers. */
export function quantile(values, q) {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * `total` requests one after another on one kept-alive connection; returns each one's
 * latency in ms with sub-millisecond precision (autocannon's histogram counts whole ms,
 * too coarse for a 0.5 ms target).
 */
export async function sequentialLatency(url, { headers, body, total, agent }) {
  const dispatcher = agent ?? new Agent({ connections: 1 });
  const times = [];
  let errors = 0;
  for (let i = 0; i < total; i++) {
    const started = performance.now();
    try {
      const res = await request(url, { method: 'POST', headers, body, dispatcher });
      await res.body.arrayBuffer();
      if (res.statusCode === 200) times.push(performance.now() - started);
      else errors++;
    } catch {
      errors++;
    }
  }
  if (!agent) await dispatcher.close();
  return { times, errors };
}
