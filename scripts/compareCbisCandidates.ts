/**
 * Compares candidate (peak) settings on the maps cached by scripts/cacheCbisMaps.ts: lesion
 * sensitivity at 0.25-4 false positives per image, a lesion hit when a peak lies inside its box
 * (as `mammo evaluate` counts it). Choose on the training patients' maps; report the chosen setting
 * once on validation.
 *
 *   npx tsx scripts/compareCbisCandidates.ts FILE.json [--only "smoothingMm=1,suppressionRadiusMm=8"]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findMapPeaks, PEAK_DEFAULTS, type PeakOptions } from '../main/inference/mapPeaks.js';

interface CachedImage {
  name: string;
  patientId: string;
  devFold: number;
  rows: number;
  columns: number;
  boxes: { left: number; top: number; width: number; height: number }[];
  grid: number[];
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { only: { type: 'string' } },
});
const cache = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as {
  model: string;
  flip: boolean;
  images: CachedImage[];
};
const RATES = [0.25, 0.5, 1, 2, 4];

/** Sensitivity at each rate of false positives per image. */
function froc(images: CachedImage[], options: Partial<PeakOptions>): number[] {
  const candidates: { score: number; hits: number[] | null }[] = [];
  let lesionCount = 0;
  for (const image of images) {
    const ids = image.boxes.map(() => lesionCount++);
    for (const peak of findMapPeaks(image.grid, image.rows, image.columns, 1, options)) {
      const row = peak.row + 0.5;
      const column = peak.column + 0.5;
      const hits = image.boxes.flatMap((b, k) =>
        row >= b.top && row <= b.top + b.height && column >= b.left && column <= b.left + b.width
          ? [ids[k]!]
          : [],
      );
      candidates.push({ score: peak.score, hits: hits.length ? hits : null });
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  const found = new Set<number>();
  const result = RATES.map(() => 0);
  let falsePositives = 0;
  for (const c of candidates) {
    if (c.hits) c.hits.forEach((h) => found.add(h));
    else falsePositives++;
    RATES.forEach((rate, k) => {
      if (falsePositives <= rate * images.length) result[k] = found.size / Math.max(1, lesionCount);
    });
  }
  return result;
}

const variants: Partial<PeakOptions>[] = values.only
  ? [Object.fromEntries(values.only.split(',').map((kv) => [kv.split('=')[0], Number(kv.split('=')[1])]))]
  : [1, 2, 3, 4, 6].flatMap((smoothingMm) =>
      [8, 12, 16, 24].map((suppressionRadiusMm) => ({ smoothingMm, suppressionRadiusMm })),
    );
console.log(`model ${cache.model}${cache.flip ? ' (flip TTA)' : ''}: ${cache.images.length} images`);
console.log(`setting                         ${RATES.map((r) => `@${r}`.padStart(6)).join('')}`);
for (const variant of variants) {
  const label = Object.entries({ ...PEAK_DEFAULTS, ...variant })
    .filter(([k]) => k === 'smoothingMm' || k === 'suppressionRadiusMm')
    .map(([k, v]) => `${k.replace('Mm', '')}=${v}`)
    .join(' ');
  console.log(
    `${label.padEnd(32)}${froc(cache.images, variant)
      .map((s) => s.toFixed(3).padStart(6))
      .join('')}`,
  );
}
