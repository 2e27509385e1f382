/**
 * One recipe experiment on the shared mini-MIAS data, for models/EXPERIMENTS.md: trains from
 * scratch (seeded, resumable), then scores the result on its held-out patients and on its own
 * training images, and writes everything to .scratch-experiments/<name>/result.json.
 *
 *   npx tsx scripts/experiment.ts --name NAME [--plan development|fold:K|overfit:8|validation]
 *     [--config '{"stages":[{"size":256,"steps":600}]}'] (overrides of the default recipe)
 *
 * 'development' (the default, = fold:0) and fold:0-3 never touch the validation split: see
 * `developmentSplit`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MammoBackend } from '../main/backend/MammoBackend.js';
import { writeFileAtomic } from '../main/common/atomicWrite.js';
import { StudyRepository } from '../main/db/StudyRepository.js';
import { TrainingSampleRepository } from '../main/db/TrainingSampleRepository.js';
import { loadSegmentationModel, tileRunnerFor } from '../main/inference/modelRunner.js';
import { selectBackend } from '../main/ml/backend/selectBackend.js';
import { CARD_FILE } from '../main/registry/modelFolder.js';
import type { ModelCard } from '../main/api/models.js';
import { DEFAULT_TRAINING_CONFIG } from '../main/training/defaultModelRecipe.js';
import { developmentSplit } from '../main/training/patientSplit.js';
import { formatTrainingProgress, trainFromWorkspace } from '../main/training/trainFromWorkspace.js';
import { parseTrainingConfig } from '../main/training/trainingConfig.js';
import { SAMPLE_SPACING_MM } from '../main/training/TrainingSetBuilder.js';
import { validateOnSamples } from '../main/training/validateOnSamples.js';
import { validationSamplesOf } from '../main/training/sampleLesions.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MIAS = resolve(ROOT, '../shared/data/mias');
const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    plan: { type: 'string', default: 'development' },
    config: { type: 'string', default: '{}' },
    workspace: { type: 'string' },
  },
});
if (!values.name) throw new Error('--name is required');
const folder = resolve(ROOT, '.scratch-experiments', values.name);
mkdirSync(folder, { recursive: true });
const plan = values.plan!.startsWith('overfit:')
  ? { overfit: Number(values.plan!.slice('overfit:'.length)) }
  : values.plan!.startsWith('fold:')
    ? { developmentFold: Number(values.plan!.slice('fold:'.length)) }
    : (values.plan as 'development' | 'validation');
const fold =
  plan === 'development'
    ? 0
    : typeof plan === 'object' && 'developmentFold' in plan
      ? plan.developmentFold
      : null;
const config = parseTrainingConfig({ ...DEFAULT_TRAINING_CONFIG, ...JSON.parse(values.config!) });

const backend = MammoBackend.open(resolve(values.workspace ?? join(ROOT, '.workspace-experiments')), {
  shippedModelsDir: join(ROOT, '.workspace-experiments', 'no-shipped-models'),
});
console.error(`backend: ${(await selectBackend()).reason}`);
const modelFolder = join(folder, 'model');
const cpuStart = process.cpuUsage();
const started = performance.now();
if (!existsSync(modelFolder)) {
  await trainFromWorkspace(backend, {
    data: MIAS,
    out: modelFolder,
    config,
    checkpointDir: join(folder, 'checkpoint'),
    plan,
    onLog: (line) => console.error(line),
    onProgress: (p) => {
      if (p.step % 25 === 0 || p.validation) console.error(formatTrainingProgress(p));
    },
  });
}
const trainSeconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);

// Score on the held-out patients and on the images it trained on, with the same code as training.
const card = JSON.parse(readFileSync(join(modelFolder, CARD_FILE), 'utf8')) as ModelCard;
const model = await loadSegmentationModel(modelFolder, card);
const samples = new TrainingSampleRepository(backend.workspace.db);
const trainFull = samples.list({ split: 'train' }).filter((s) => s.kind === 'full');
const sets =
  fold !== null
    ? {
        heldOut: trainFull.filter((s) => developmentSplit(s.patientId, fold) === 'tune'),
        fit: trainFull.filter((s) => developmentSplit(s.patientId, fold) === 'fit'),
      }
    : plan === 'validation'
      ? { heldOut: samples.list({ split: 'validation' }).filter((s) => s.kind === 'full'), fit: trainFull }
      : { heldOut: [], fit: [] };
const score = async (list: typeof trainFull) =>
  list.length
    ? validateOnSamples(
        tileRunnerFor(model),
        {
          config,
          card,
          sampleSpacingMm: SAMPLE_SPACING_MM,
          validationSamples: validationSamplesOf(
            list,
            new StudyRepository(backend.workspace.db),
            backend.workspace.resolvePath.bind(backend.workspace),
          ),
        },
        undefined,
      )
    : null;
const summary = (report: Awaited<ReturnType<typeof score>>) =>
  report && {
    images: report.images,
    abnormalImages: report.abnormalImages,
    lesions: report.lesions,
    imageAUC: report.imageAUC,
    imageAUC95: report.ci.imageAUC,
    lesionSensitivityAt1FP: report.lesionSensitivityAt1FP,
    lesionSensitivityAt1FP95: report.ci.lesionSensitivityAt1FP,
    lesionSensitivityAtFP: report.lesionSensitivityAtFP,
    lesionDice: report.lesionDice,
    lesionDice95: report.ci.lesionDice,
  };
const heldOut = summary(await score(sets.heldOut));
const fit = summary(await score(sets.fit));
const result = {
  name: values.name,
  plan,
  config,
  trainWallMinutes: +(trainSeconds / 60).toFixed(1),
  processCpuMinutes: +((cpu.user + cpu.system) / 6e7).toFixed(1),
  heldOut,
  fit,
};
writeFileAtomic(join(folder, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify({ name: result.name, heldOut, fit }, null, 1));
model.dispose();
await backend.close();
