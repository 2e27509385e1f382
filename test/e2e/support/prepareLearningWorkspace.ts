/**
 * `node --import tsx test/e2e/support/prepareLearningWorkspace.ts WORKSPACE MODELS_DIR MODEL_ID`:
 * the learning e2e's starting point, made before its server starts: a tiny untrained model, the
 * mini-MIAS fixtures imported (with their ground-truth training set).
 *
 * None of the fixture patients falls in the fixed validation split, so two mirrored copies (one
 * with a lesion, one normal) are added as mdb011/mdb012, patient MIAS-006, which does: the
 * fine-tune then has validation images and its candidate gets metrics and a gate verdict.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { MammoBackend } from '../../../main/backend/MammoBackend.js';
import { MIAS_FIXTURE } from '../../helpers/paths.js';
import { saveTinyModel } from '../../helpers/tinyModel.js';

const [workspace, modelsDir, modelId, logitBias] = process.argv.slice(2);
if (!workspace || !modelsDir || !modelId) {
  console.error('usage: prepareLearningWorkspace.ts WORKSPACE MODELS_DIR MODEL_ID [LOGIT_BIAS]');
  process.exit(2);
}
await saveTinyModel(modelsDir, modelId, logitBias ? { logitBias: Number(logitBias) } : {});
const backend = MammoBackend.open(workspace, { shippedModelsDir: modelsDir });
const data = withValidationPatient();
// The import turns the ground truth into training samples too.
const imported = await backend.importFiles({ paths: [data], format: 'mias' });
await backend.close();
rmSync(data, { recursive: true, force: true });
console.log(JSON.stringify({ imported: imported.imported, trainingSet: imported.trainingSet }));

/** A copy of the fixture folder plus mdb011 (mdb002 mirrored, its lesion too) and mdb012 (mdb006 mirrored). */
function withValidationPatient(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mammo-e2e-mias-'));
  mkdirSync(join(dir, 'images'));
  for (const file of readdirSync(join(MIAS_FIXTURE, 'images'))) {
    copyFileSync(join(MIAS_FIXTURE, 'images', file), join(dir, 'images', file));
  }
  const mirror = (from: string, to: string): number => {
    const image = decode(readFileSync(join(MIAS_FIXTURE, 'images', from)));
    const { width, height, channels } = image;
    const data = new Uint8Array(width * height * channels);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        for (let c = 0; c < channels; c++)
          data[(y * width + x) * channels + c] = Number(
            image.data[(y * width + (width - 1 - x)) * channels + c],
          );
    writeFileSync(join(dir, 'images', to), encode({ width, height, data, channels, depth: 8 }));
    return width;
  };
  const width = mirror('mdb002.png', 'mdb011.png');
  mirror('mdb006.png', 'mdb012.png');
  const csv = readFileSync(join(MIAS_FIXTURE, 'annotations.csv'), 'utf8').trimEnd();
  writeFileSync(
    join(dir, 'annotations.csv'),
    `${csv}\nmdb011,G,CIRC,B,${width - 1 - 522},280,69,744,\nmdb012,F,NORM,,,,,,\n`,
  );
  return dir;
}
