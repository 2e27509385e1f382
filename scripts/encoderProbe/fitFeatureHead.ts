/**
 * Experiment E12, second half: a per-cell head on the cached encoder features
 * (scripts/encoderProbe/cacheEncoderFeatures.ts). Logistic regression (or, with --hidden N, one
 * hidden layer) on standardised features; a cell is positive when its centre lies in a lesion's
 * circle (or the lesion centre in the cell), ignored in a ring one and a half cells around it, and
 * negative elsewhere in the breast.
 *
 * Without --final it is cross-fitted over the 4 development folds of the TRAINING patients: each
 * fold's maps come from a head fitted on the other three, and the validation split is not read.
 * With --final one head is fitted on all training patients and maps every image (report once).
 * The maps go to --out on a 1 mm grid in scripts/cacheMiasMaps.ts's format, for
 * scripts/compareImageScores.ts.
 *
 *   npx tsx scripts/encoderProbe/fitFeatureHead.ts --features DIR --out FILE.json [--down 2]
 *     [--hidden 0] [--l2 1e-3] [--epochs 200] [--final]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../../main/common/atomicWrite.js';
import { rocAuc } from '../../main/evaluation/rocAuc.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { findBreast, insideBreast } from '../../main/inference/breastRegion.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { tf } from '../../main/ml/backend/tf.js';
import { MIAS_PIXEL_SPACING_MM } from '../../main/studies/mias/MiasImporter.js';
import { parseMiasAnnotations } from '../../main/studies/mias/miasAnnotations.js';
import { DEVELOPMENT_FOLDS } from '../../main/training/patientSplit.js';
import { miasMapCase } from '../miasMapCase.js';
import { featureFileName, readFeatureGrid, type FeatureGrid } from './featureGrid.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MIAS = resolve(ROOT, '../shared/data/mias');
const { values } = parseArgs({
  options: {
    features: { type: 'string' },
    out: { type: 'string' },
    down: { type: 'string', default: '2' },
    hidden: { type: 'string', default: '0' },
    l2: { type: 'string', default: '1e-3' },
    epochs: { type: 'string', default: '200' },
    final: { type: 'boolean', default: false },
  },
});
if (!values.features || !values.out) throw new Error('--features and --out are required');
const hidden = Number(values.hidden);
const l2 = Number(values.l2);
const epochs = Number(values.epochs);
const GRID_FACTOR = Math.round(1 / MIAS_PIXEL_SPACING_MM); // MIAS pixels per 1 mm grid cell

interface ProbeImage {
  refnum: string;
  patientId: string;
  split: 'train' | 'validation';
  devFold: number;
  abnormal: boolean;
  features: FeatureGrid;
  inside: Uint8Array;
  /** 1 lesion, 0 normal breast, -1 not trained on. */
  label: Int8Array;
  lesions: { type: string; row: number; column: number; radius: number }[];
  rows: number;
  columns: number;
}

await selectBackend();
const records = parseMiasAnnotations(readFileSync(join(MIAS, 'annotations.csv'), 'utf8'));
const images: ProbeImage[] = [];
for (const [refnum, list] of [...records].sort()) {
  const features = readFeatureGrid(
    readFileSync(join(values.features, featureFileName(refnum, Number(values.down)))),
  );
  const image = await decodeImageFile(join(MIAS, 'images', `${refnum}.png`));
  const { mask } = findBreast(image.display, image.rows, image.columns);
  const cellPx = image.rows / features.rows;
  const abnormal = list.some((r) => r.abnormalityClass !== 'NORM');
  const located = list.filter((r) => r.x !== null && r.y !== null && r.radius !== null);
  const cells = features.rows * features.columns;
  const inside = new Uint8Array(cells);
  const label = new Int8Array(cells);
  for (let i = 0; i < cells; i++) {
    const y = (Math.floor(i / features.columns) + 0.5) * cellPx;
    const x = ((i % features.columns) + 0.5) * cellPx;
    inside[i] = insideBreast(mask, Math.min(image.rows - 1, y | 0), Math.min(image.columns - 1, x | 0))
      ? 1
      : 0;
    let value = 0;
    for (const lesion of located) {
      // MIAS y counts from the bottom of the image.
      const distance = Math.hypot(y - (image.rows - lesion.y!), x - lesion.x!);
      if (distance <= Math.max(lesion.radius!, cellPx * Math.SQRT1_2)) value = 1;
      else if (value === 0 && distance <= lesion.radius! + 1.5 * cellPx) value = -1;
    }
    // An abnormal image without a lesion centre teaches nothing about where its lesion is.
    label[i] = inside[i] && !(abnormal && located.length === 0) ? value : -1;
  }
  images.push({
    ...miasMapCase(refnum, list, image.rows, GRID_FACTOR),
    features,
    inside,
    label,
    rows: Math.ceil(image.rows / GRID_FACTOR),
    columns: Math.ceil(image.columns / GRID_FACTOR),
  });
}
const channels = images[0]!.features.channels;

/** Fits a head on the labelled cells of `fit`; returns the per-cell probability of an image. */
function fitHead(fit: ProbeImage[]): (image: ProbeImage) => Float32Array {
  const rows: Float32Array[] = [];
  const labels: number[] = [];
  for (const image of fit)
    image.label.forEach((value, i) => {
      if (value < 0) return;
      rows.push(image.features.values.subarray(i * channels, (i + 1) * channels));
      labels.push(value);
    });
  const mean = new Float32Array(channels);
  const spread = new Float32Array(channels);
  for (const row of rows) row.forEach((v, j) => (mean[j]! += v / rows.length));
  for (const row of rows) row.forEach((v, j) => (spread[j]! += (v - mean[j]!) ** 2 / rows.length));
  spread.forEach((v, j) => (spread[j] = Math.sqrt(v) + 1e-3));
  const standardise = (cells: Float32Array[]) => {
    const out = new Float32Array(cells.length * channels);
    cells.forEach((row, k) => row.forEach((v, j) => (out[k * channels + j] = (v - mean[j]!) / spread[j]!)));
    return tf.tensor2d(out, [cells.length, channels]);
  };
  const positives = labels.filter((v) => v === 1).length;
  const x = standardise(rows);
  const y = tf.tensor2d(labels, [labels.length, 1]);
  // Positives weighted up to the negatives' total, as the segmentation loss does.
  const weights = tf.tensor2d(
    labels.map((v) => (v === 1 ? (labels.length - positives) / Math.max(1, positives) : 1)),
    [labels.length, 1],
  );
  const w1 = tf.variable(tf.randomNormal([channels, hidden || 1], 0, 0.01, 'float32', 7));
  const b1 = tf.variable(tf.zeros([hidden || 1]));
  const w2 = tf.variable(tf.randomNormal([hidden || 1, 1], 0, 0.1, 'float32', 8));
  const b2 = tf.variable(tf.zeros([1]));
  const trained = hidden ? [w1, b1, w2, b2] : [w1, b1];
  const logits = (input: tf.Tensor2D) => {
    const first = tf.add(tf.matMul(input, w1), b1) as tf.Tensor2D;
    return hidden ? tf.add(tf.matMul(tf.relu(first), w2), b2) : first;
  };
  const optimizer = tf.train.adam(0.01);
  for (let epoch = 0; epoch < epochs; epoch++)
    optimizer.minimize(
      () =>
        tf.add(
          tf.losses.sigmoidCrossEntropy(y, logits(x), weights),
          tf.mul(l2, tf.sum(tf.square(w1))),
        ) as tf.Scalar,
      false,
      trained,
    );
  tf.dispose([x, y, weights]);
  return (image) =>
    tf.tidy(() => {
      const cells = Array.from({ length: image.inside.length }, (_, i) =>
        image.features.values.subarray(i * channels, (i + 1) * channels),
      );
      return tf.sigmoid(logits(standardise(cells))).dataSync() as Float32Array;
    });
}

/** A cell map on the 1 mm grid (each grid cell takes its feature cell's value), 0 outside the breast. */
function onMillimetreGrid(image: ProbeImage, cells: Float32Array): number[] {
  const { rows, columns } = image.features;
  return Array.from({ length: image.rows * image.columns }, (_, k) => {
    const r = Math.min(rows - 1, Math.floor((Math.floor(k / image.columns) / image.rows) * rows));
    const c = Math.min(columns - 1, Math.floor(((k % image.columns) / image.columns) * columns));
    return image.inside[r * columns + c] ? +cells[r * columns + c]!.toFixed(5) : 0;
  });
}

const maxInside = (image: ProbeImage, cells: Float32Array) =>
  cells.reduce((m, v, i) => (image.inside[i] ? Math.max(m, v) : m), 0);
const training = images.filter((i) => i.split === 'train');
const plans = values.final
  ? [{ fit: training, predict: images }]
  : Array.from({ length: DEVELOPMENT_FOLDS }, (_, k) => ({
      fit: training.filter((i) => i.devFold !== k),
      predict: training.filter((i) => i.devFold === k),
    }));
const mapped = [];
const started = performance.now();
for (const plan of plans) {
  const head = fitHead(plan.fit);
  const predicted = plan.predict.map((image) => ({ image, cells: head(image) }));
  const fitted = plan.fit.map((image) => maxInside(image, head(image)));
  console.error(
    `${plan.predict.length} images mapped: cell-max AUC ${rocAuc(
      predicted.map((p) => maxInside(p.image, p.cells)),
      predicted.map((p) => p.image.abnormal),
    ).toFixed(3)}; on its own ${plan.fit.length} images ${rocAuc(
      fitted,
      plan.fit.map((i) => i.abnormal),
    ).toFixed(3)}`,
  );
  for (const { image, cells } of predicted) {
    const { refnum, patientId, split, devFold, abnormal, lesions, rows, columns } = image;
    const grid = onMillimetreGrid(image, cells);
    mapped.push({ refnum, patientId, split, devFold, abnormal, lesions, rows, columns, grid });
  }
}
writeFileAtomic(
  values.out,
  JSON.stringify({
    model: `encoder probe d${values.down} hidden ${hidden} l2 ${l2} epochs ${epochs}${values.final ? ' final' : ' cross-fitted'}`,
    gridMm: 1,
    images: mapped,
  }),
);
console.error(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
