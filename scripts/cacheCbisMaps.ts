/**
 * Runs one model over the CBIS-DDSM images of one split once, through the inference worker's own
 * map code (breast region, ripple filter), and keeps each probability map on a 1 mm grid (cell
 * means) with the image's boxes, patient and development fold, so that candidate variants can be
 * compared afterwards without re-running the network (scripts/compareCbisCandidates.ts).
 *
 *   npx tsx scripts/cacheCbisMaps.ts --model MODEL_DIR --split train|validation --out FILE.json
 *     [--data CBIS_DIR] [--fold K] [--flip]
 *
 * --fold K: only the training patients of development fold K (a quarter of them, for speed).
 * --flip: flip test-time augmentation (as a card with testTimeMirror runs it), whatever the card says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decode } from 'fast-png';
import { writeFileAtomic } from '../main/common/atomicWrite.js';
import { loadModelMembers } from '../main/inference/modelRunner.js';
import { INFERENCE_DEFAULTS } from '../main/inference/inferenceProtocol.js';
import { predictModelMap } from '../main/inference/predictModelMap.js';
import { selectBackend } from '../main/ml/backend/selectBackend.js';
import { readModelCard } from '../main/registry/modelFolder.js';
import { cbisImageIdentity } from '../main/studies/cbis/cbisIdentity.js';
import { parseCocoBoxes } from '../main/studies/cbis/cocoBoxes.js';
import { readSquareImage, squareBox } from '../main/studies/cbis/squareImage.js';
import { CBIS_ESTIMATED_SPACING_MM } from '../main/studies/cbis/squarePixels.js';
import { developmentFold, patientSplit, validationFractionOf } from '../main/training/patientSplit.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    split: { type: 'string' },
    out: { type: 'string' },
    data: { type: 'string' },
    fold: { type: 'string' },
    flip: { type: 'boolean', default: false },
  },
});
if (!values.model || !values.out || (values.split !== 'train' && values.split !== 'validation'))
  throw new Error('--model, --out and --split train|validation are required');
const trainFolder = join(resolve(values.data ?? join(ROOT, '../shared/data/cbis-ddsm-mass')), 'train');

const GRID_MM = 1;
const spacing = CBIS_ESTIMATED_SPACING_MM;
const factor = Math.round(GRID_MM / spacing);
await selectBackend();
const card = readModelCard(values.model);
const members = await loadModelMembers(values.model, card);
const boxes = parseCocoBoxes(readFileSync(join(trainFolder, '_annotations.coco.json'), 'utf8'));
const names = readdirSync(trainFolder)
  .filter((name) => boxes.has(name))
  .sort();
const images = [];
for (const name of names) {
  const identity = cbisImageIdentity(name);
  if (!identity) continue;
  if (patientSplit(identity.patientId, validationFractionOf(identity.patientId)) !== values.split) continue;
  if (values.fold !== undefined && developmentFold(identity.patientId) !== Number(values.fold)) continue;
  const square = await readSquareImage(readFileSync(join(trainFolder, name)));
  const display = decode(square.png).data as Uint8Array;
  const { rows, columns } = square;
  const { probability } = await predictModelMap(display, rows, columns, spacing, members, {
    tileSize: INFERENCE_DEFAULTS.tileSize,
    overlap: INFERENCE_DEFAULTS.overlap,
    testTimeMirror: values.flip === true || card.testTimeMirror === true,
  });
  const gridRows = Math.ceil(rows / factor);
  const gridColumns = Math.ceil(columns / factor);
  const sums = new Float64Array(gridRows * gridColumns);
  const counts = new Float64Array(gridRows * gridColumns);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) {
      const cell = ((r / factor) | 0) * gridColumns + ((c / factor) | 0);
      sums[cell]! += probability[r * columns + c]!;
      counts[cell]!++;
    }
  images.push({
    name,
    patientId: identity.patientId,
    devFold: developmentFold(identity.patientId),
    view: identity.view,
    rows: gridRows,
    columns: gridColumns,
    // Boxes in grid cells (1 mm).
    boxes: boxes.get(name)!.boxes.map((box) => {
      const b = squareBox(box, square);
      return {
        left: b.left / factor,
        top: b.top / factor,
        width: b.width / factor,
        height: b.height / factor,
      };
    }),
    grid: Array.from(sums, (s, i) => +(s / counts[i]!).toFixed(4)),
  });
  process.stderr.write(`${images.length} `);
}
writeFileAtomic(values.out, JSON.stringify({ model: card.id, gridMm: GRID_MM, flip: values.flip, images }));
for (const { model } of members) model.dispose();
