import { seededRandom } from '../../main/evaluation/bootstrap.js';
import { encodeRgbSample } from '../../main/training/rgbSample.js';
import type { TrainingJobSpec } from '../../main/training/trainingProtocol.js';

/** Side of a synthetic training sample, px. */
const SIDE = 128;

/**
 * A synthetic whole-scan RGB training sample: a textured half-disc (a breast against the left edge)
 * with, when `lesion` is given, a brighter disc of radius 15 px (3 mm at 0.2 mm) there, marked in
 * the mask: a network can only score well by finding the disc.
 */
export function syntheticTrainingSample(
  seed: number,
  lesion: { row: number; column: number } | null,
): Uint8Array {
  const side = SIDE;
  const random = seededRandom(seed);
  const scan = new Uint8Array(side * side);
  const mask = new Uint8Array(side * side);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      if ((r - 64) ** 2 + c ** 2 > 110 ** 2) continue;
      let v = 90 + random() * 40;
      if (lesion && (r - lesion.row) ** 2 + (c - lesion.column) ** 2 <= 225) {
        v += 70;
        mask[r * side + c] = 255;
      }
      scan[r * side + c] = Math.min(255, Math.round(v));
    }
  }
  return encodeRgbSample({ rows: side, columns: side, scan, mask });
}

/** The card of a tiny (width x0.125, 0.4 mm) network trained from scratch on `images` synthetic samples. */
export function syntheticTrainingCard(id: string, images: number, patients: number): TrainingJobSpec['card'] {
  return {
    id,
    parentId: null,
    createdAt: new Date(0).toISOString(),
    architecture: 'scuccimarra-3.9.4.01',
    widthMultiplier: 0.125,
    inputPixelSpacingMm: 0.4,
    normalisation: { offset: 127, scale: 255 },
    trainingData: { description: 'synthetic', images, patients },
    thresholds: { image: 0.5, finding: 0.5 },
  };
}
