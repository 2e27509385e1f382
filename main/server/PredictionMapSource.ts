import { readFile } from 'node:fs/promises';
import { PredictionRepository } from '../db/PredictionRepository.js';
import type { Workspace } from '../workspace/Workspace.js';

/** A probability map as the viewer loads it: the 8-bit grayscale PNG the analysis wrote. */
export interface PredictionMapFile {
  bytes: Uint8Array;
  contentType: 'image/png';
  /** Changes when the prediction is recomputed (forced re-analysis). */
  etag: string;
}

/** No cached prediction for that (image, model version), or its map file is gone. */
export class PredictionMapNotFoundError extends Error {}

const MODEL_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Serves probability maps by (image id, model id) to the viewer (HTTP in browser mode, the
 * `mammo://` protocol in Electron). Like {@link ImageFileSource}, a client names ids only: the
 * path comes from the cached prediction row and goes through {@link Workspace.resolvePath}.
 *
 * @example
 * const file = await maps.read(12, 'mias-dense-w025-v2'); // GET /files/predictions/12?model=mias-dense-w025-v2
 */
export class PredictionMapSource {
  private readonly predictions: PredictionRepository;

  constructor(private readonly workspace: Workspace) {
    this.predictions = new PredictionRepository(workspace.db);
  }

  /** Parses the `model` query parameter; null when missing or not a model id. */
  static parseModelId(value: string | null): string | null {
    return value !== null && MODEL_ID.test(value) ? value : null;
  }

  async read(imageId: number, modelId: string): Promise<PredictionMapFile> {
    const prediction = this.predictions.find(imageId, modelId);
    if (!prediction) throw new PredictionMapNotFoundError(`no prediction of image ${imageId} by ${modelId}`);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(this.workspace.resolvePath(prediction.mapPath)));
    } catch {
      throw new PredictionMapNotFoundError(`the map of image ${imageId} by ${modelId} is missing`);
    }
    return {
      bytes,
      contentType: 'image/png',
      etag: `"${modelId}-${imageId}-${Date.parse(prediction.createdAt)}"`,
    };
  }
}
