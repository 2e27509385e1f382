/**
 * Compares candidate (peak) settings on the maps cached by scripts/cacheCbisMaps.ts: lesion
 * sensitivity at 0.25-4 false positives per image, a lesion hit when a peak lies inside its box
 * (as `mammo evaluate` counts it). Choose on the training patients' maps; report the chosen setting
 * once on validation.
 *
 *   npx tsx scripts/compareCbisCandidates.ts FILE.json [--only "smoothingMm=1,suppressionRadiusMm=8"] [--misses]
 *
 * --misses: for the card's setting, where the masses are missed: the share whose first peak inside
 * the box is among the image's top K, and the same by box size (models/EXPERIMENTS.md, E31).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { frocCurve, peakCandidates, sensitivityAtFalsePositives } from '../main/evaluation/froc.js';
import { findMapPeaks, PEAK_DEFAULTS, type PeakOptions } from '../main/inference/mapPeaks.js';
import { CBIS_ESTIMATED_SPACING_MM } from '../main/studies/cbis/squarePixels.js';

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
  options: { only: { type: 'string' }, misses: { type: 'boolean', default: false } },
});
const cache = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as {
  model: string;
  gridMm: number;
  flip: boolean;
  images: CachedImage[];
};
/**
 * A cached cell's side in mm: whole pixels of the square image, so 5 x 0.19 = 0.95 mm for a 1 mm
 * grid (as `findMapPeaks` rounds its own grid), not the nominal 1 mm.
 */
const cellMm = Math.round(cache.gridMm / CBIS_ESTIMATED_SPACING_MM) * CBIS_ESTIMATED_SPACING_MM;
const RATES = [0.25, 0.5, 1, 2, 4];

/** Sensitivity at each rate of false positives per image, counted by `mammo evaluate`'s FROC code. */
function froc(images: CachedImage[], options: Partial<PeakOptions>): number[] {
  const curve = frocCurve(
    images.map((image) => ({
      findings: peakCandidates(findMapPeaks(image.grid, image.rows, image.columns, cellMm, options)),
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

/**
 * Each mass's box size (geometric mean of its sides, mm) and the rank of the first peak inside it,
 * with the product's peak settings.
 */
function firstHitRanks(images: CachedImage[]): { sizeMm: number; rank: number }[] {
  return images.flatMap((image) => {
    const peaks = findMapPeaks(image.grid, image.rows, image.columns, cellMm);
    return image.boxes.map((box) => {
      const rank = peaks.findIndex(
        (p) =>
          p.column >= box.left &&
          p.column <= box.left + box.width &&
          p.row >= box.top &&
          p.row <= box.top + box.height,
      );
      return {
        sizeMm: Math.sqrt(box.width * box.height) * cellMm,
        rank: rank < 0 ? Number.POSITIVE_INFINITY : rank,
      };
    });
  });
}

if (values.misses) {
  const ranks = firstHitRanks(cache.images);
  const share = (subset: typeof ranks, top: number) =>
    (subset.filter((m) => m.rank < top).length / subset.length).toFixed(2);
  console.log(
    `\nfirst peak inside the box among the image's top K (the product's peak settings), ${ranks.length} masses:`,
  );
  console.log(`box size       masses   K=1   K=2   K=5  K=50`);
  const bins: [number, number][] = [
    [0, 10],
    [10, 15],
    [15, 20],
    [20, 30],
    [30, Number.POSITIVE_INFINITY],
    [0, Number.POSITIVE_INFINITY],
  ];
  for (const [low, high] of bins) {
    const subset = ranks.filter((m) => m.sizeMm >= low && m.sizeMm < high);
    const label =
      high === Number.POSITIVE_INFINITY ? (low === 0 ? 'all' : `${low}+ mm`) : `${low}-${high} mm`;
    console.log(
      `${label.padEnd(14)}${String(subset.length).padStart(6)}${[1, 2, 5, 50].map((k) => share(subset, k).padStart(6)).join('')}`,
    );
  }
}
