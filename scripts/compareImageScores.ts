/**
 * Compares image-score and candidate variants on the maps cached by scripts/cacheMiasMaps.ts:
 * image AUC (with a patient-bootstrap 95% interval) and lesion sensitivity at 1 FP/image for each
 * split. Choose a variant on a development split, then report it once on validation.
 *
 *   npx tsx scripts/compareImageScores.ts FILE.json [--choose-on tune|fit|train]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bootstrapInterval } from '../main/evaluation/bootstrap.js';
import { rocAuc } from '../main/evaluation/rocAuc.js';
import { findMapPeaks, type MapPeak, type PeakOptions } from '../main/inference/mapPeaks.js';

interface CachedImage {
  refnum: string;
  patientId: string;
  split: 'train' | 'validation';
  devFold: number;
  abnormal: boolean;
  lesions: { type: string; row: number; column: number; radius: number }[];
  rows: number;
  columns: number;
  grid: number[];
}

const { positionals } = parseArgs({ allowPositionals: true });
const cache = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as { model: string; images: CachedImage[] };

const peaksOf = (image: CachedImage, options: Partial<PeakOptions>): MapPeak[] =>
  findMapPeaks(image.grid, image.rows, image.columns, 1, options);
const topMean = (image: CachedImage, cells: number) => {
  const sorted = [...image.grid].sort((a, b) => b - a);
  return sorted.slice(0, cells).reduce((s, v) => s + v, 0) / cells;
};
const areaAbove = (image: CachedImage, level: number) => image.grid.filter((v) => v >= level).length;

const variants: Record<string, (image: CachedImage) => number> = {
  'peak σ1 (shipped)': (i) => peaksOf(i, {})[0]?.score ?? 0,
  'peak σ2': (i) => peaksOf(i, { smoothingMm: 2 })[0]?.score ?? 0,
  'peak σ4': (i) => peaksOf(i, { smoothingMm: 4 })[0]?.score ?? 0,
  'top 25 mm² mean': (i) => topMean(i, 25),
  'top 100 mm² mean': (i) => topMean(i, 100),
  'top 400 mm² mean': (i) => topMean(i, 400),
  'area ≥ 0.5': (i) => areaAbove(i, 0.5),
  'area ≥ 0.9': (i) => areaAbove(i, 0.9),
  'breast mean': (i) => breastStatistics(i).mean,
  // Against dense breasts scoring high everywhere (E14): the peak relative to the breast's own map.
  'peak − breast median': (i) => (peaksOf(i, {})[0]?.score ?? 0) - breastQuantile(i, 0.5),
  'peak − breast p90': (i) => (peaksOf(i, {})[0]?.score ?? 0) - breastQuantile(i, 0.9),
  'peak z in breast': (i) => {
    const { mean, sd } = breastStatistics(i);
    return ((peaksOf(i, {})[0]?.score ?? 0) - mean) / Math.max(1e-6, sd);
  },
};

/** Mean and standard deviation of the map inside the breast (cells above 0). */
function breastStatistics(image: CachedImage): { mean: number; sd: number } {
  const inside = image.grid.filter((v) => v > 0);
  const count = Math.max(1, inside.length);
  const mean = inside.reduce((s, v) => s + v, 0) / count;
  return { mean, sd: Math.sqrt(inside.reduce((s, v) => s + (v - mean) ** 2, 0) / count) };
}

function breastQuantile(image: CachedImage, q: number): number {
  const inside = image.grid.filter((v) => v > 0).sort((a, b) => a - b);
  return inside[Math.min(inside.length - 1, Math.floor(q * inside.length))] ?? 0;
}

/** The same variant minus the other breast's (MIAS: every patient has one left and one right MLO). */
function bilateral(images: CachedImage[], scores: number[]): number[] {
  return images.map((image, k) => {
    const partner = images.findIndex((o) => o !== image && o.patientId === image.patientId);
    return partner >= 0 ? scores[k]! - scores[partner]! : scores[k]!;
  });
}

function aucWithInterval(images: CachedImage[], scores: number[]) {
  const byPatient = new Map<string, { score: number; abnormal: boolean }[]>();
  images.forEach((image, k) => {
    const list = byPatient.get(image.patientId) ?? [];
    list.push({ score: scores[k]!, abnormal: image.abnormal });
    byPatient.set(image.patientId, list);
  });
  const auc = (sample: { score: number; abnormal: boolean }[]) =>
    rocAuc(
      sample.map((s) => s.score),
      sample.map((s) => s.abnormal),
    );
  const all = [...byPatient.values()].flat();
  const ci = bootstrapInterval([...byPatient.values()], auc, { replicates: 500 });
  return `${auc(all).toFixed(3)} (${ci.low.toFixed(2)}–${ci.high.toFixed(2)})`;
}

/** Lesion sensitivity at 1 FP/image: peaks inside a lesion's circle hit it; the rest are FPs. */
function sensitivityAt1FP(images: CachedImage[], options: Partial<PeakOptions>): number {
  const candidates: { score: number; hits: number[] | null }[] = [];
  let lesionCount = 0;
  images.forEach((image) => {
    const ids = image.lesions.map(() => lesionCount++);
    for (const peak of peaksOf(image, options)) {
      const hit = image.lesions.flatMap((l, k) =>
        (peak.row + 0.5 - l.row) ** 2 + (peak.column + 0.5 - l.column) ** 2 <= l.radius ** 2 ? [ids[k]!] : [],
      );
      candidates.push({ score: peak.score, hits: hit.length ? hit : null });
    }
  });
  candidates.sort((a, b) => b.score - a.score);
  const found = new Set<number>();
  let falsePositives = 0;
  for (const c of candidates) {
    if (c.hits) c.hits.forEach((h) => found.add(h));
    else if (++falsePositives > images.length) break;
  }
  return found.size / Math.max(1, lesionCount);
}

const splits: Record<string, (i: CachedImage) => boolean> = {
  train: (i) => i.split === 'train',
  fit: (i) => i.split === 'train' && i.devFold !== 0,
  tune: (i) => i.split === 'train' && i.devFold === 0,
  validation: (i) => i.split === 'validation',
};
console.log(`model ${cache.model}`);
for (const [split, keep] of Object.entries(splits)) {
  const images = cache.images.filter(keep);
  console.log(
    `\n${split}: ${images.length} images, ${images.filter((i) => i.abnormal).length} abnormal, ` +
      `sens@1FP σ1 ${sensitivityAt1FP(images, {}).toFixed(3)} σ2 ${sensitivityAt1FP(images, { smoothingMm: 2 }).toFixed(3)} σ4 ${sensitivityAt1FP(images, { smoothingMm: 4 }).toFixed(3)}`,
  );
  for (const [name, score] of Object.entries(variants)) {
    const scores = images.map(score);
    console.log(
      `  ${name.padEnd(20)} AUC ${aucWithInterval(images, scores)}   bilateral ${aucWithInterval(images, bilateral(images, scores))}`,
    );
  }
}
