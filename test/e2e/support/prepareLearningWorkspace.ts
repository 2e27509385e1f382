/**
 * `node --import tsx test/e2e/support/prepareLearningWorkspace.ts WORKSPACE MODELS_DIR MODEL_ID`:
 * the learning e2e's starting point, made before its server starts: a tiny untrained model, the
 * mini-MIAS fixtures imported, and their ground-truth training set (which gives the fine-tune a
 * fixed validation split, so candidates get metrics).
 */
import { MammoBackend } from '../../../main/backend/MammoBackend.js';
import { TrainingSetBuilder } from '../../../main/training/TrainingSetBuilder.js';
import { MIAS_FIXTURE } from '../../helpers/paths.js';
import { saveTinyModel } from '../../helpers/tinyModel.js';

const [workspace, modelsDir, modelId] = process.argv.slice(2);
if (!workspace || !modelsDir || !modelId) {
  console.error('usage: prepareLearningWorkspace.ts WORKSPACE MODELS_DIR MODEL_ID');
  process.exit(2);
}
await saveTinyModel(modelsDir, modelId);
const backend = MammoBackend.open(workspace, { shippedModelsDir: modelsDir });
const imported = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
const report = await new TrainingSetBuilder(backend.workspace).buildFromGroundTruth();
await backend.close();
console.log(JSON.stringify({ imported: imported.imported, trainingSet: report }));
