/**
 * Runs one model over every mini-MIAS image once and keeps its probability maps on a 1 mm grid
 * (cell means), with each image's truth and splits, so that image-score and candidate variants can
 * be compared afterwards without re-running the network (scripts/compareImageScores.ts).
 *
 *   npx tsx scripts/cacheMiasMaps.ts --model MODEL_DIR --out FILE.json [--flip]
 *
 * --flip: test-time augmentation, the mean of the map and the mirrored map of the mirrored image.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../main/common/atomicWrite.js';
import { decodeImageFile } from '../main/imaging/decodeImage.js';
import { loadSegmentationModel, tileRunnerFor } from '../main/inference/modelRunner.js';
import { INFERENCE_DEFAULTS } from '../main/inference/inferenceProtocol.js';
import { predictProbabilityMap } from '../main/inference/predictProbabilityMap.js';
import { selectBackend } from '../main/ml/backend/selectBackend.js';
import { readModelCard } from '../main/registry/modelFolder.js';
import { MIAS_PIXEL_SPACING_MM } from '../main/studies/mias/MiasImporter.js';
import { parseMiasAnnotations } from '../main/studies/mias/miasAnnotations.js';
import { miasMapCase } from './miasMapCase.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MIAS = resolve(ROOT, '../shared/data/mias');
const { values } = parseArgs({
  options: { model: { type: 'string' }, out: { type: 'string' }, flip: { type: 'boolean', default: false } },
});
if (!values.model || !values.out) throw new Error('--model and --out are required');

const GRID_MM = 1;
const factor = Math.round(GRID_MM / MIAS_PIXEL_SPACING_MM);
await selectBackend();
const card = readModelCard(values.model);
// This script maps through one network; a multi-member model's combined map comes from the inference worker.
if (card.members)
  throw new Error(`${values.model}: a model of ${card.members.length} members; map one member's own folder`);
const model = await loadSegmentationModel(values.model, card);
const records = parseMiasAnnotations(readFileSync(join(MIAS, 'annotations.csv'), 'utf8'));
const images = [];
for (const [refnum, list] of [...records].sort()) {
  const image = await decodeImageFile(join(MIAS, 'images', `${refnum}.png`));
  const predict = (display: Uint8Array) =>
    predictProbabilityMap(display, image.rows, image.columns, MIAS_PIXEL_SPACING_MM, tileRunnerFor(model), {
      modelSpacingMm: card.inputPixelSpacingMm,
      normalisation: card.normalisation,
      tileSize: INFERENCE_DEFAULTS.tileSize,
      overlap: INFERENCE_DEFAULTS.overlap,
    });
  const map = await predict(image.display);
  if (values.flip) {
    const mirrored = (data: ArrayLike<number>, out: Uint8Array | Float32Array) => {
      for (let r = 0; r < image.rows; r++)
        for (let c = 0; c < image.columns; c++)
          out[r * image.columns + c] = data[r * image.columns + image.columns - 1 - c]!;
      return out;
    };
    const flipped = await predict(
      mirrored(image.display, new Uint8Array(image.display.length)) as Uint8Array,
    );
    const back = mirrored(flipped.probability, new Float32Array(flipped.probability.length));
    map.probability.forEach((v, i) => (map.probability[i] = (v + back[i]!) / 2));
  }
  const rows = Math.ceil(image.rows / factor);
  const columns = Math.ceil(image.columns / factor);
  const grid = new Array<number>(rows * columns).fill(0);
  for (let r = 0; r < image.rows; r++)
    for (let c = 0; c < image.columns; c++)
      grid[((r / factor) | 0) * columns + ((c / factor) | 0)]! += map.probability[r * image.columns + c]!;
  images.push({
    ...miasMapCase(refnum, list, image.rows, factor),
    rows,
    columns,
    grid: grid.map((v) => +(v / (factor * factor)).toFixed(5)),
  });
  process.stderr.write(`${refnum} `);
}
writeFileAtomic(values.out, JSON.stringify({ model: card.id, gridMm: GRID_MM, images }));
model.dispose();
