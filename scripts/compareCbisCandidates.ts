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
import { frocCurve, peakCandidates, sensitivityAtFalsePositives } from '../main/evaluation/froc.js';
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

/** Sensitivity at each rate of false positives per image, counted by `mammo evaluate`'s FROC code. */
function froc(images: CachedImage[], options: Partial<PeakOptions>): number[] {
  const curve = frocCurve(
    images.map((image) => ({
      findings: peakCandidates(findMapPeaks(image.grid, image.rows, image.columns, 1, options)),
      lesions: image.boxes,
    })),
  );
  return RATES.map((rate) => sensitivityAtFalsePositives(curve, rate));
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
