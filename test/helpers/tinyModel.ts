import { join } from 'node:path';
import type { ModelCard } from '../../main/api/models.js';
import { createDensePredictionModel } from '../../main/ml/model/densePredictionModel.js';
import { saveModelFolder } from '../../main/registry/modelFolder.js';

/**
 * Saves an untrained, narrow model folder (a real network, real weights) for tests that need a
 * model version to exist; its predictions mean nothing.
 */
export async function saveTinyModel(
  shippedDir: string,
  id: string,
  options: {
    seed?: number;
    createdAt?: string;
    logitBias?: number;
    /** The card's validation metrics (default none). */
    validation?: ModelCard['validation'];
  } = {},
): Promise<ModelCard> {
  const model = createDensePredictionModel({ widthMultiplier: 0.125, seed: options.seed ?? 1 });
  if (options.logitBias !== undefined) {
    // Raises the whole map, so tests that need AI findings get some (still untrained: where is arbitrary).
    const logits = model.getLayer('logits');
    const [kernel, bias] = logits.getWeights();
    if (!kernel || !bias) throw new Error('the logits layer has no bias');
    const raised = bias.add(options.logitBias);
    logits.setWeights([kernel, raised]);
    raised.dispose();
  }
  const card = await saveModelFolder(model, join(shippedDir, id), {
    id,
    parentId: null,
    createdAt: options.createdAt ?? '2026-01-01T00:00:00.000Z',
    architecture: 'scuccimarra-3.9.4.01',
    widthMultiplier: 0.125,
    inputPixelSpacingMm: 0.4,
    normalisation: { offset: 127, scale: 255 },
    trainingData: { description: 'untrained test model', images: 0, patients: 0 },
    validation: options.validation ?? null,
    thresholds: { image: 0.5, finding: 0.2 },
  });
  model.dispose();
  return card;
}
