/** A small seeded generator (mulberry32), so confidence intervals are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ConfidenceInterval {
  low: number;
  high: number;
}

/**
 * Percentile bootstrap over clusters (patients): each replicate draws patients with replacement,
 * so both images of a patient move together. Replicates where the statistic is NaN are dropped.
 */
export function bootstrapInterval<T>(
  clusters: readonly (readonly T[])[],
  statistic: (sample: T[]) => number,
  options: { replicates?: number; seed?: number; level?: number } = {},
): ConfidenceInterval {
  return (
    bootstrapIntervals(clusters, (sample) => [statistic(sample)], options)[0] ?? {
      low: Number.NaN,
      high: Number.NaN,
    }
  );
}

/**
 * {@link bootstrapInterval} of several statistics of the same replicates (e.g. a FROC curve's
 * sensitivities at several false-positive rates, computed once per replicate). The same seed draws
 * the same replicates, so each interval equals the one {@link bootstrapInterval} gives alone.
 */
export function bootstrapIntervals<T>(
  clusters: readonly (readonly T[])[],
  statistics: (sample: T[]) => readonly number[],
  { replicates = 1000, seed = 1, level = 0.95 } = {},
): ConfidenceInterval[] {
  const random = seededRandom(seed);
  const values: number[][] = [];
  for (let r = 0; r < replicates; r++) {
    const sample: T[] = [];
    for (let i = 0; i < clusters.length; i++)
      sample.push(...clusters[Math.floor(random() * clusters.length)]!);
    statistics(sample).forEach((value, k) => {
      values[k] ??= [];
      if (!Number.isNaN(value)) values[k].push(value);
    });
  }
  return values.map((v) => percentileInterval(v, level));
}

function percentileInterval(values: number[], level: number): ConfidenceInterval {
  values.sort((a, b) => a - b);
  if (values.length === 0) return { low: Number.NaN, high: Number.NaN };
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.floor(q * values.length)))]!;
  return { low: at((1 - level) / 2), high: at(1 - (1 - level) / 2) };
}
