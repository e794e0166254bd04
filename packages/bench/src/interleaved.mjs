import { quantile } from './stream-load.mjs';

/**
 * Measures several servers in alternating rounds instead of one after the other. On a
 * shared 2-vCPU machine the scheduler's state drifts by tenths of a millisecond from
 * one minute to the next; measured in turns, every server meets the same drift, and the
 * differences between them (paired round by round) hold still where absolute figures
 * do not. `measure(server)` runs one batch and returns its samples (ms).
 *
 * Returns, per server: every sample, the median of its per-round p50s, and the median
 * of (its round p50 − the baseline server's round p50).
 */
export async function interleaved(servers, { rounds, baseline, measure }) {
  const names = Object.keys(servers);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const roundP50s = Object.fromEntries(names.map((n) => [n, []]));
  const errors = Object.fromEntries(names.map((n) => [n, 0]));
  for (let round = 0; round < rounds; round++) {
    // A different server goes first each round, so none always follows the same one.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
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
        p50: quantile(roundP50s[name], 0.5),
        p99: quantile(samples[name], 0.99),
        added: quantile(
          roundP50s[name].map((p, i) => p - roundP50s[baseline][i]),
          0.5,
        ),
        errors: errors[name],
      },
    ]),
  );
}
