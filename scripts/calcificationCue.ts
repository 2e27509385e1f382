/**
 * A non-learned calcification cue for models/EXPERIMENTS.md (E17): does mini-MIAS at its native
 * 0.2 mm carry the signal the 0.6 mm network cannot see? A microcalcification is a bright speck
 * under about 1 mm; a suspicious finding is a cluster of them. The cue: the white top-hat of the
 * native image (the image minus its grey opening by a (2r+1)-pixel square), specks = local maxima
 * of the top-hat above the breast's median + k robust SDs, and the cluster density = the number of
 * specks in a w x w window. The image score is the densest window inside the breast (away from
 * its skin edge, where the film edge makes specks). Reports, per setting, image AUC of the
 * calcification images and of all abnormal images against the normals, and how many calcification
 * clusters hold the image's densest window. Choose a setting on the training split; validation is
 * printed only with --validation.
 *
 *   npx tsx scripts/calcificationCue.ts [--validation] [--write-cache FILE --radius R --k K --window W]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bootstrapInterval } from '../main/evaluation/bootstrap.js';
import { rocAuc } from '../main/evaluation/rocAuc.js';
import { decodeImageFile } from '../main/imaging/decodeImage.js';
import { findBreast, type BreastMask } from '../main/inference/breastRegion.js';
import { squaredDistanceTo } from '../main/inference/maskMorphology.js';
import { MIAS_PIXEL_SPACING_MM } from '../main/studies/mias/MiasImporter.js';
import { parseMiasAnnotations } from '../main/studies/mias/miasAnnotations.js';
import { miasMapCase } from './miasMapCase.js';

const { values } = parseArgs({
  options: {
    validation: { type: 'boolean', default: false },
    'write-cache': { type: 'string' },
    radius: { type: 'string' },
    k: { type: 'string' },
    window: { type: 'string' },
  },
});
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MIAS = resolve(ROOT, '../shared/data/mias');
const CACHE_FACTOR = Math.round(1 / MIAS_PIXEL_SPACING_MM); // 1 mm cells, as cacheMiasMaps

/** Sliding minimum (or maximum) over a (2r+1) square, separable, clamped at the borders. */
function squareFilter(src: Float32Array, rows: number, cols: number, r: number, max: boolean): Float32Array {
  const pick = max ? Math.max : Math.min;
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) {
      let v = src[y * cols + x]!;
      for (let d = -r; d <= r; d++) v = pick(v, src[y * cols + Math.min(cols - 1, Math.max(0, x + d))]!);
      tmp[y * cols + x] = v;
    }
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) {
      let v = tmp[y * cols + x]!;
      for (let d = -r; d <= r; d++) v = pick(v, tmp[Math.min(rows - 1, Math.max(0, y + d)) * cols + x]!);
      out[y * cols + x] = v;
    }
  return out;
}

/** How far inside the skin line calcifications are looked for, pixels (was two 8-pixel mask cells). */
const SKIN_MARGIN = 16;

/** Breast pixels at least SKIN_MARGIN pixels inside the skin line. */
function innerBreast(mask: BreastMask, rows: number, cols: number): Uint8Array {
  const toOutside = squaredDistanceTo(mask.pixels, 0, rows, cols);
  return Uint8Array.from(toOutside, (d) => (d > SKIN_MARGIN * SKIN_MARGIN ? 1 : 0));
}

interface Setting {
  radius: number;
  k: number;
  window: number;
}

/** White top-hat of the image: what its grey opening by a (2r+1) square removes (specks narrower than it). */
function whiteTopHat(display: Uint8Array, rows: number, cols: number, radius: number): Float32Array {
  const image = Float32Array.from(display);
  const opened = squareFilter(squareFilter(image, rows, cols, radius, false), rows, cols, radius, true);
  return image.map((v, i) => v - opened[i]!);
}

/** The q-quantile of integer levels 0..255 given their histogram. */
function histogramQuantile(histogram: Uint32Array, q: number): number {
  const total = histogram.reduce((s, n) => s + n, 0);
  let seen = 0;
  for (let level = 0; level < histogram.length; level++) {
    seen += histogram[level]!;
    if (seen > q * total) return level;
  }
  return histogram.length - 1;
}

/** Speck density map (specks per window, centred) of one image, 0 outside the inner breast. */
function speckDensity(tophat: Float32Array, rows: number, cols: number, inner: Uint8Array, s: Setting) {
  // Display levels are integers, so the top-hat is too: median and MAD from histograms.
  const histogram = new Uint32Array(256);
  tophat.forEach((v, i) => inner[i] && histogram[v]!++);
  const median = histogramQuantile(histogram, 0.5);
  const deviations = new Uint32Array(256);
  tophat.forEach((v, i) => inner[i] && deviations[Math.abs(v - median)]!++);
  const mad = histogramQuantile(deviations, 0.5);
  const threshold = median + s.k * 1.4826 * Math.max(mad, 0.5);
  const localMax = squareFilter(tophat, rows, cols, 1, true);
  const specks = new Float32Array(rows * cols);
  for (let i = 0; i < specks.length; i++)
    specks[i] = inner[i] && tophat[i]! > threshold && tophat[i] === localMax[i] ? 1 : 0;
  // Box sum through an integral image.
  const integral = new Float64Array((rows + 1) * (cols + 1));
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++)
      integral[(y + 1) * (cols + 1) + x + 1] =
        specks[y * cols + x]! +
        integral[y * (cols + 1) + x + 1]! +
        integral[(y + 1) * (cols + 1) + x]! -
        integral[y * (cols + 1) + x]!;
  const half = s.window >> 1;
  const density = new Float32Array(rows * cols);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) {
      if (!inner[y * cols + x]) continue;
      const y0 = Math.max(0, y - half);
      const y1 = Math.min(rows, y + half + 1);
      const x0 = Math.max(0, x - half);
      const x1 = Math.min(cols, x + half + 1);
      density[y * cols + x] =
        integral[y1 * (cols + 1) + x1]! -
        integral[y0 * (cols + 1) + x1]! -
        integral[y1 * (cols + 1) + x0]! +
        integral[y0 * (cols + 1) + x0]!;
    }
  return density;
}

const settings: Setting[] = values['write-cache']
  ? [{ radius: Number(values.radius), k: Number(values.k), window: Number(values.window) }]
  : [2, 3].flatMap((radius) => [4, 6, 8].flatMap((k) => [25, 50].map((window) => ({ radius, k, window }))));

const records = parseMiasAnnotations(readFileSync(join(MIAS, 'annotations.csv'), 'utf8'));
interface Row {
  case: ReturnType<typeof miasMapCase>;
  tissue: string;
  score: number[];
  clusterHit: boolean[];
}
const rows: Row[] = [];
const cacheImages: unknown[] = [];
for (const [refnum, list] of [...records].sort()) {
  const image = await decodeImageFile(join(MIAS, 'images', `${refnum}.png`));
  const { mask } = findBreast(image.display, image.rows, image.columns);
  const inner = innerBreast(mask, image.rows, image.columns);
  const mapCase = miasMapCase(refnum, list, image.rows, 1);
  const calcs = mapCase.lesions.filter((l) => l.type === 'CALC');
  const row: Row = { case: mapCase, tissue: list[0]!.tissue ?? '?', score: [], clusterHit: [] };
  const tophats = new Map<number, Float32Array>();
  for (const setting of settings) {
    if (!tophats.has(setting.radius))
      tophats.set(setting.radius, whiteTopHat(image.display, image.rows, image.columns, setting.radius));
    const density = speckDensity(tophats.get(setting.radius)!, image.rows, image.columns, inner, setting);
    let best = 0;
    let at = 0;
    density.forEach((v, i) => {
      if (v > best) [best, at] = [v, i];
    });
    row.score.push(best);
    const [y, x] = [Math.floor(at / image.columns), at % image.columns];
    row.clusterHit.push(
      calcs.some(
        (l) => (y + 0.5 - l.row) ** 2 + (x + 0.5 - l.column) ** 2 <= (l.radius + setting.window / 2) ** 2,
      ),
    );
    if (values['write-cache']) {
      const gr = Math.ceil(image.rows / CACHE_FACTOR);
      const gc = Math.ceil(image.columns / CACHE_FACTOR);
      const grid = new Array<number>(gr * gc).fill(0);
      for (let yy = 0; yy < image.rows; yy++)
        for (let xx = 0; xx < image.columns; xx++) {
          const cellIndex = ((yy / CACHE_FACTOR) | 0) * gc + ((xx / CACHE_FACTOR) | 0);
          const v = inner[yy * image.columns + xx] ? 1e-4 + density[yy * image.columns + xx]! : 0;
          grid[cellIndex] = Math.max(grid[cellIndex]!, v);
        }
      // Squashed into [0, 1) so the map reads like a probability map in compareImageScores.
      const scale = setting.window === 25 ? 4 : 12;
      cacheImages.push({
        ...miasMapCase(refnum, list, image.rows, CACHE_FACTOR),
        rows: gr,
        columns: gc,
        grid: grid.map((v) => (v > 0 ? Number((1e-4 + v / (v + scale)).toFixed(5)) : 0)),
      });
    }
  }
  rows.push(row);
  if (rows.length % 26 === 0) console.error(`${rows.length} of ${records.size} images`);
}

function aucWithInterval(set: Row[], k: number): string {
  const byPatient = new Map<string, Row[]>();
  for (const r of set) byPatient.set(r.case.patientId, [...(byPatient.get(r.case.patientId) ?? []), r]);
  const auc = (sample: Row[]) =>
    rocAuc(
      sample.map((r) => r.score[k]!),
      sample.map((r) => r.case.abnormal),
    );
  const ci = bootstrapInterval([...byPatient.values()], auc, { replicates: 300 });
  return `${auc(set).toFixed(3)} (${ci.low.toFixed(2)}–${ci.high.toFixed(2)})`;
}

const splits = values.validation ? ['train', 'validation'] : ['train'];
for (const split of splits) {
  const set = rows.filter((r) => r.case.split === split);
  const normals = set.filter((r) => !r.case.abnormal);
  const calcImages = set.filter((r) => r.case.lesions.some((l) => l.type === 'CALC'));
  console.log(
    `\n${split}: ${set.length} images, ${calcImages.length} with calcifications, ${normals.length} normal`,
  );
  settings.forEach((s, k) => {
    console.log(
      `  r${s.radius} k${s.k} w${s.window}: calcifications vs normals ${aucWithInterval([...calcImages, ...normals], k)}, ` +
        `all abnormal ${aucWithInterval(set, k)}, densest window on the cluster ${calcImages.filter((r) => r.clusterHit[k]).length}/${calcImages.length}`,
    );
  });
}
if (values['write-cache']) {
  const s = settings[0]!;
  writeFileSync(
    values['write-cache'],
    JSON.stringify({ model: `calcification cue r${s.radius} k${s.k} w${s.window}`, images: cacheImages }),
  );
}
