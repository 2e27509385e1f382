import { z } from 'zod';

const stage = z.object({ size: z.number().int().min(64).multipleOf(32), steps: z.number().int().positive() });

/** Every training setting with its default; `parseTrainingConfig` fills the rest in and names bad values. */
export const trainingConfigSchema = z.object({
  seed: z.number().int().default(1),
  widthMultiplier: z.number().positive().max(1).default(0.25),
  /** See `DensePredictionModelOptions.headActivation`; only a model trained from scratch uses it. */
  headActivation: z.enum(['relu', 'linear']).default('relu'),
  batchSize: z.number().int().positive().default(8),
  /**
   * Data-parallel shares of each batch (see `ReplicaGroup`): each share's gradient is computed
   * apart, with batch norm over the share alone (ghost batch norm), and the gradients are averaged.
   * Part of the recipe: the threads that compute the shares (one per share, at most one per core)
   * do not change the result.
   */
  replicas: z.number().int().min(1).max(8).default(1),
  /**
   * Pixel spacing the network sees, mm (recorded as the card's inputPixelSpacingMm). Masses are
   * 5-40 mm across: at 0.6 mm a 256 px input covers 15 cm, about three quarters of a breast.
   */
  modelSpacingMm: z.number().positive().default(0.6),
  /**
   * 'fixed': input = (pixel - 127) / 255; 'breast': from each image's breast mean and standard
   * deviation (film exposure varies from one mammogram to the next). Recorded in the card.
   */
  intensityNormalisation: z.enum(['fixed', 'breast']).default('fixed'),
  /** Relative jitter of the crop scale (uniform in ±). */
  scaleJitter: z.number().min(0).max(0.5).default(0.1),
  /** Contrast and brightness jitter (uniform in ±, brightness half of it). */
  intensityJitter: z.number().min(0).max(0.5).default(0.1),
  /** Share of each batch cropped around lesions (against class imbalance). */
  roiShare: z.number().min(0).max(1).default(0.5),
  /** Weight of positive pixels in the sigmoid cross-entropy (the published 14-16). */
  positiveWeight: z.number().positive().default(15),
  /** Mix of soft IoU loss: loss = (1 - a) * wce + a * (1 - softIoU). */
  softIouWeight: z.number().min(0).max(1).default(0),
  learningRate: z.number().positive().default(1e-3),
  /**
   * 'step': x factor every `everySteps` steps (the published x0.85 every 10 epochs);
   * 'cosine': half a cosine from the rate down to 2% of it over all steps.
   */
  schedule: z.enum(['step', 'cosine']).default('step'),
  /** Used by the 'step' schedule. */
  learningRateDecay: z
    .object({ factor: z.number().positive().max(1), everySteps: z.number().int().positive() })
    .default({ factor: 0.85, everySteps: 500 }),
  /** Progressive input sizes, each for its number of steps, resuming from the last checkpoint. */
  stages: z
    .array(stage)
    .min(1)
    .default([{ size: 320, steps: 2000 }]),
  checkpointEvery: z.number().int().positive().default(25),
  /** Validate on the fixed validation split every this many steps (an "epoch" here), and at the end. */
  validateEvery: z.number().int().positive().default(250),
  /**
   * How the trained model is run, recorded in its card (ModelCard.testTimeMirror): the map is the
   * mean of the scan's and the mirrored scan's, mirrored back. Its validation is measured that way.
   */
  testTimeMirror: z.boolean().default(false),
  /** Validation images per evaluation; 0 = all of the split. */
  validationLimit: z.number().int().min(0).default(0),
});

export type TrainingConfig = z.infer<typeof trainingConfigSchema>;

export function parseTrainingConfig(input: unknown): TrainingConfig {
  const parsed = trainingConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new Error(
      `invalid training settings: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/** A `--threads` option's value (threads computing a batch's shares), or undefined when not given. */
export function parseTrainingThreads(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`--threads must be a whole number from 1 up, not '${text}'`);
  return threads;
}

/** The stage (input size) that a global step falls in. */
export function stageAt(config: TrainingConfig, step: number): { size: number; index: number } {
  let end = 0;
  for (const [index, s] of config.stages.entries()) {
    end += s.steps;
    if (step < end) return { size: s.size, index };
  }
  const last = config.stages.at(-1)!;
  return { size: last.size, index: config.stages.length - 1 };
}

export function totalSteps(config: TrainingConfig): number {
  return config.stages.reduce((n, s) => n + s.steps, 0);
}

/** The learning rate at a global step. */
export function learningRateAt(config: TrainingConfig, step: number): number {
  if (config.schedule === 'cosine') {
    const progress = Math.min(1, step / totalSteps(config));
    return config.learningRate * (0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
  return (
    config.learningRate *
    config.learningRateDecay.factor ** Math.floor(step / config.learningRateDecay.everySteps)
  );
}
