// Summaries of repeated measurements.

/** The value at percentile `p` (0..100) of `values`, by nearest rank. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const median = (values) => percentile(values, 50);

/** Median and range of one figure over the rounds: what the table prints. */
export function summary(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), values };
}

/**
 * Runs `round(index)` `rounds` times. Each round measures every variant once, in an order that
 * rotates from round to round, so that drift in the machine's load (other developers' builds on
 * a shared machine) falls on every variant alike.
 */
export async function interleaved(rounds, variants, measure) {
  const results = Object.fromEntries(variants.map((variant) => [variant, []]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(round + k) % variants.length];
      results[variant].push(await measure(variant, round));
    }
  }
  return results;
}
