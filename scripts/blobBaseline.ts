/**
 * A non-learned reference for models/EXPERIMENTS.md: how much image-level signal do simple
 * lesion-scale cues carry on mini-MIAS? A mass is a local brightening: the difference of two
 * Gaussians (centre σ, surround 4σ) of the 1 mm image, inside the breast, over the breast's
 * intensity spread. Reports image AUC per split, for the cue alone and bilateral (minus the other
 * breast's), and lesion sensitivity at 1 FP/image of its peaks.
 *
 *   npx tsx scripts/blobBaseline.ts
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rocAuc } from '../main/evaluation/rocAuc.js';
import { decodeImageFile } from '../main/imaging/decodeImage.js';
import { findBreast, insideBreast } from '../main/inference/breastRegion.js';
import { findMapPeaks, gaussianBlur } from '../main/inference/mapPeaks.js';
import { MIAS_PIXEL_SPACING_MM } from '../main/studies/mias/MiasImporter.js';
import { miasCaseIdentity } from '../main/studies/mias/miasCaseIdentity.js';
import { parseMiasAnnotations } from '../main/studies/mias/miasAnnotations.js';
import { patientSplit } from '../main/training/patientSplit.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MIAS = resolve(ROOT, '../shared/data/mias');
const factor = Math.round(1 / MIAS_PIXEL_SPACING_MM);
const SCALES_MM = [3, 6, 10];

const records = parseMiasAnnotations(readFileSync(join(MIAS, 'annotations.csv'), 'utf8'));
interface Row {
  patientId: string;
  split: string;
  abnormal: boolean;
  cue: number[];
  hits: { score: number; hit: number[] }[][];
  lesionIds: number[];
}
const rows: Row[] = [];
let lesionCount = 0;
for (const [refnum, list] of [...records].sort()) {
  const image = await decodeImageFile(join(MIAS, 'images', `${refnum}.png`));
  const { mask } = findBreast(image.display, image.rows, image.columns);
  const gr = Math.ceil(image.rows / factor);
  const gc = Math.ceil(image.columns / factor);
  const value = new Float32Array(gr * gc);
  const inside = new Uint8Array(gr * gc);
  const count = new Float32Array(gr * gc);
  for (let r = 0; r < image.rows; r++)
    for (let c = 0; c < image.columns; c++) {
      const i = ((r / factor) | 0) * gc + ((c / factor) | 0);
      value[i]! += image.display[r * image.columns + c]!;
      count[i]!++;
    }
  for (let i = 0; i < value.length; i++) value[i] = value[i]! / count[i]!;
  for (let r = 0; r < gr; r++)
    for (let c = 0; c < gc; c++)
      inside[r * gc + c] = insideBreast(
        mask,
        Math.min(image.rows - 1, r * factor + 2),
        Math.min(image.columns - 1, c * factor + 2),
      )
        ? 1
        : 0;
  const breast = [...value].filter((_, i) => inside[i]);
  const mean = breast.reduce((s, v) => s + v, 0) / breast.length;
  const spread = Math.sqrt(breast.reduce((s, v) => s + (v - mean) ** 2, 0) / breast.length) || 1;
  // Outside the breast the image is set to the breast's mean, so its edge is no "blob".
  const filled = value.map((v, i) => (inside[i] ? v : mean));
  const lesions = list.filter((r) => r.x !== null && r.y !== null && r.radius !== null);
  const lesionIds = lesions.map(() => lesionCount++);
  const cue: number[] = [];
  const hits: Row['hits'] = [];
  for (const sigma of SCALES_MM) {
    const centre = gaussianBlur(filled, gr, gc, sigma);
    const surround = gaussianBlur(filled, gr, gc, 4 * sigma);
    const dog = centre.map((v, i) => (inside[i] ? Math.max(0, (v - surround[i]!) / spread) : 0));
    const peaks = findMapPeaks(dog, gr, gc, 1, { smoothingMm: 0.01, minScore: 1e-4 });
    cue.push(peaks[0]?.score ?? 0);
    hits.push(
      peaks.map((p) => ({
        score: p.score,
        hit: lesions.flatMap((l, k) =>
          (p.row + 0.5 - (image.rows - l.y!) / factor) ** 2 + (p.column + 0.5 - l.x! / factor) ** 2 <=
          (l.radius! / factor) ** 2
            ? [lesionIds[k]!]
            : [],
        ),
      })),
    );
  }
  const { patientId } = miasCaseIdentity(refnum);
  rows.push({
    patientId,
    split: patientSplit(patientId),
    abnormal: list.some((r) => r.abnormalityClass !== 'NORM'),
    cue,
    hits,
    lesionIds,
  });
}

function sensitivityAt1FP(set: Row[], scale: number): number {
  const candidates = set.flatMap((r) => r.hits[scale]!).sort((a, b) => b.score - a.score);
  const lesions = set.reduce((n, r) => n + r.lesionIds.length, 0);
  const found = new Set<number>();
  let fp = 0;
  for (const c of candidates) {
    if (c.hit.length) c.hit.forEach((h) => found.add(h));
    else if (++fp > set.length) break;
  }
  return found.size / Math.max(1, lesions);
}

for (const split of ['train', 'validation']) {
  const set = rows.filter((r) => r.split === split);
  SCALES_MM.forEach((sigma, k) => {
    const scores = set.map((r) => r.cue[k]!);
    const bilateral = set.map((r, i) => {
      const partner = set.findIndex((o, j) => j !== i && o.patientId === r.patientId);
      return partner >= 0 ? scores[i]! - scores[partner]! : scores[i]!;
    });
    const labels = set.map((r) => r.abnormal);
    console.log(
      `${split.padEnd(10)} DoG σ${sigma} mm: AUC ${rocAuc(scores, labels).toFixed(3)}, bilateral ${rocAuc(bilateral, labels).toFixed(3)}, sens@1FP ${sensitivityAt1FP(set, k).toFixed(3)}`,
    );
  });
}
