import { median, quantile } from './stream-load.mjs';

/**
 * Measures several servers in alternating rounds instead of one after the other. On a
 * shared 2-vCPU machine the scheduler's state drifts by tenths of a millisecond from
 * one minute to the next; measured in turns, every server meets the same drift, and the
 * differences between them (paired round by round) hold still where absolute figures
 * do not. Each round takes the servers in a new random order, so none always goes
 * first or always follows the same one. `measure(server)` runs one
 * batch and returns `{ times, errors }` (ms).
 *
 * Returns, per server: every sample, the median of its per-round p50s, the p99 of all
 * samples, and the median of (its round p50 − the baseline server's round p50).
 */
export async function interleaved(servers, { rounds, baseline, measure }) {
  const names = Object.keys(servers);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const roundP50s = Object.fromEntries(names.map((n) => [n, []]));
  const errors = Object.fromEntries(names.map((n) => [n, 0]));
  for (let round = 0; round < rounds; round++) {
    for (const name of shuffled(names)) {
      const batch = await measure(servers[name]);
      samples[name].push(...batch.times);
      roundP50s[name].push(quantile(batch.times, 0.5));
      errors[name] += batch.errors;
    }
  }
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        times: samples[name],
        p50: median(roundP50s[name]),
        p99: quantile(samples[name], 0.99),
        added: median(roundP50s[name].map((p, i) => p - roundP50s[baseline][i])),
        errors: errors[name],
      },
    ]),
  );
}

/** A copy of `items` in a random (Fisher–Yates) order. */
function shuffled(items) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
