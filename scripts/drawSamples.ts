/**
 * Draws what the network is trained on: a grid of sampled crops (scan in grey, label outlined in
 * red) as one PNG, to look at before trusting a recipe.
 *
 *   npx tsx scripts/drawSamples.ts --workspace DIR --out crops.png [--count 16] [--config '{...}']
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { encode } from 'fast-png';
import { MammoBackend } from '../main/backend/MammoBackend.js';
import { TrainingSampleRepository } from '../main/db/TrainingSampleRepository.js';
import { seededRandom } from '../main/evaluation/bootstrap.js';
import { CROP_DEFAULTS, prepareSample, sampleBatch } from '../main/training/batchSampler.js';
import { DEFAULT_TRAINING_CONFIG } from '../main/training/defaultModelRecipe.js';
import { decodeRgbSample } from '../main/training/rgbSample.js';
import { parseTrainingConfig } from '../main/training/trainingConfig.js';
import { SAMPLE_SPACING_MM } from '../main/training/TrainingSetBuilder.js';

const { values } = parseArgs({
  options: {
    workspace: { type: 'string' },
    out: { type: 'string', default: 'crops.png' },
    count: { type: 'string', default: '16' },
    config: { type: 'string', default: '{}' },
  },
});
const config = parseTrainingConfig({ ...DEFAULT_TRAINING_CONFIG, ...JSON.parse(values.config!) });
const backend = MammoBackend.open(resolve(values.workspace ?? '.workspace-experiments'));
const list = new TrainingSampleRepository(backend.workspace.db)
  .list({ split: 'train' })
  .filter((s) => s.kind === 'full')
  .slice(0, 40);
const samples = list.map((s) =>
  prepareSample(decodeRgbSample(readFileSync(backend.workspace.resolvePath(s.path)), s.path)),
);
const count = Number(values.count);
const size = config.stages[0]!.size;
const batch = sampleBatch(
  samples,
  count,
  config.roiShare,
  {
    ...CROP_DEFAULTS,
    size,
    sampleSpacingMm: SAMPLE_SPACING_MM,
    modelSpacingMm: config.modelSpacingMm,
    scaleJitter: config.scaleJitter,
    intensityJitter: config.intensityJitter,
  },
  seededRandom(config.seed),
);
const perRow = Math.ceil(Math.sqrt(count));
const width = perRow * size;
const height = Math.ceil(count / perRow) * size;
const rgb = new Uint8Array(width * height * 3);
for (let b = 0; b < count; b++) {
  const top = Math.floor(b / perRow) * size;
  const left = (b % perRow) * size;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = b * size * size + r * size + c;
      const grey = Math.max(0, Math.min(255, Math.round(batch.images[i]! * 255 + 127)));
      const edge =
        batch.labels[i] === 1 &&
        (r === 0 ||
          c === 0 ||
          r === size - 1 ||
          c === size - 1 ||
          batch.labels[i - 1] === 0 ||
          batch.labels[i + 1] === 0 ||
          batch.labels[i - size] === 0 ||
          batch.labels[i + size] === 0);
      const o = ((top + r) * width + left + c) * 3;
      rgb.set(edge ? [255, 0, 0] : [grey, grey, grey], o);
    }
  }
}
writeFileSync(values.out!, encode({ width, height, data: rgb, channels: 3, depth: 8 }));
console.log(`${values.out}: ${count} crops of ${size} px at ${config.modelSpacingMm} mm`);
await backend.close();
