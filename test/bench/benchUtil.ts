import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelCard } from '../../main/api/models.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { DEFAULT_TRAINING_CONFIG } from '../../main/training/defaultModelRecipe.js';
import { saveModelFolder } from '../../main/registry/modelFolder.js';

/** Samples the process's RSS (workers included: they are threads) until stopped; returns the peak in MB. */
export function trackPeakRss(intervalMs = 25): () => number {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  return () => {
    clearInterval(timer);
    return +(Math.max(peak, process.memoryUsage().rss) / 2 ** 20).toFixed(0);
  };
}

/** A model folder with the shipped model's architecture, width and input spacing (untrained: timing only). */
export async function benchModelFolder(width = 0.25): Promise<{ dir: string; card: ModelCard }> {
  const dir = mkdtempSync(join(tmpdir(), 'mammo-bench-models-'));
  const model = createDensePredictionModel({ widthMultiplier: width });
  const card = await saveModelFolder(model, join(dir, 'bench-model'), {
    id: 'bench-model',
    parentId: null,
    createdAt: new Date().toISOString(),
    architecture: 'scuccimarra-3.9.4.01',
    widthMultiplier: width,
    inputPixelSpacingMm: DEFAULT_TRAINING_CONFIG.modelSpacingMm,
    normalisation: { offset: 127, scale: 255 },
    trainingData: { description: 'untrained, for timing', images: 0, patients: 0 },
    validation: null,
    thresholds: { image: 0.5, finding: 0.5 },
  });
  model.dispose();
  return { dir, card };
}

export const round = (value: number, digits = 1) => +value.toFixed(digits);
