import type { TrainingConfig } from './trainingConfig.js';
import { parseTrainingConfig } from './trainingConfig.js';

/** The shipped default model's id: the folder under models/ and the card id. */
export const DEFAULT_MODEL_ID = 'mias-dense-w025-v1';

/**
 * The recipe `npm run train:default` follows: seeded, CPU-sized (width x0.25), progressive
 * sizes 320 then 448 as in the published schedule, scaled down to about an hour on two cores.
 */
export const DEFAULT_TRAINING_CONFIG: TrainingConfig = parseTrainingConfig({
  seed: 20181,
  widthMultiplier: 0.25,
  batchSize: 4,
  roiShare: 0.5,
  positiveWeight: 15,
  learningRate: 1e-3,
  learningRateDecay: { factor: 0.85, everySteps: 300 },
  stages: [
    { size: 320, steps: 1200 },
    { size: 448, steps: 100 },
  ],
  checkpointEvery: 25,
  validateEvery: 350,
});
