import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { INFERENCE_DEFAULTS } from '../../main/inference/inferenceProtocol.js';
import { loadSegmentationModel, tileRunnerFor } from '../../main/inference/modelRunner.js';
import { predictProbabilityMap, withoutStrideRipple } from '../../main/inference/predictProbabilityMap.js';
import { readModelCard } from '../../main/registry/modelFolder.js';
import { DEFAULT_MODEL_ID } from '../../main/training/defaultModelRecipe.js';
import { MIAS_FIXTURE, REPO_ROOT } from '../helpers/paths.js';
import { useWasm } from '../ml/mlTestUtil.js';

/**
 * Periodic energy of a map at `period` pixels: along rows and columns, in windows of 16 periods
 * that lie wholly inside the breast (map > 0), the Hann-windowed power at that period over the
 * mean power at the periods around it (16/12 .. 16/20 of it). About 1 where the map has no
 * lattice at that period; far above 1 where it has.
 */
function periodicEnergy(map: Float32Array, rows: number, columns: number, period: number): number {
  const n = period * 16;
  const around = [12, 13, 14, 18, 19, 20];
  let atPeriod = 0;
  let nearby = 0;
  for (const horizontal of [true, false]) {
    const lines = horizontal ? rows : columns;
    const length = horizontal ? columns : rows;
    for (let line = 0; line < lines; line += 4) {
      for (let start = 0; start + n <= length; start += n) {
        const at = (j: number) =>
          map[horizontal ? line * columns + start + j : (start + j) * columns + line]!;
        const values = Array.from({ length: n }, (_, j) => at(j));
        if (values.some((v) => v <= 0)) continue;
        const mean = values.reduce((s, v) => s + v, 0) / n;
        const windowed = values.map(
          (v, j) => (v - mean) * (0.5 - 0.5 * Math.cos((2 * Math.PI * j) / (n - 1))),
        );
        const power = (k: number) => {
          let re = 0;
          let im = 0;
          for (let j = 0; j < n; j++) {
            re += windowed[j]! * Math.cos((2 * Math.PI * k * j) / n);
            im += windowed[j]! * Math.sin((2 * Math.PI * k * j) / n);
          }
          return re * re + im * im;
        };
        atPeriod += power(16);
        nearby += around.reduce((s, k) => s + power(k), 0) / around.length;
      }
    }
  }
  return atPeriod / nearby;
}

describe("the probability map has no lattice at the network's stride", () => {
  beforeAll(useWasm);

  it(
    'shipped model on a real film (mdb002): no peak at 4 model pixels in the stored map',
    { timeout: 600_000 },
    async () => {
      const folder = join(REPO_ROOT, 'models', DEFAULT_MODEL_ID);
      const card = readModelCard(folder);
      const model = await loadSegmentationModel(folder, card);
      try {
        const image = await decodeImageFile(`${MIAS_FIXTURE}images/mdb002.png`);
        const spacing = 0.2;
        const map = await predictProbabilityMap(
          image.display,
          image.rows,
          image.columns,
          spacing,
          tileRunnerFor(model),
          {
            modelSpacingMm: card.inputPixelSpacingMm,
            normalisation: card.normalisation,
            tileSize: INFERENCE_DEFAULTS.tileSize,
            overlap: INFERENCE_DEFAULTS.overlap,
          },
        );
        // The decoder's stride-2 steps draw a lattice of 4 model pixels (12 image pixels here): 5.8
        // times the power around it before the filter, 0.09 after.
        const period = Math.round((4 * card.inputPixelSpacingMm) / spacing);
        expect(periodicEnergy(map.probability, image.rows, image.columns, period)).toBeLessThan(1.5);
      } finally {
        model.dispose();
      }
    },
  );

  it('the filter removes periods of 2 and 4 pixels exactly and keeps a constant', () => {
    const rows = 8;
    const columns = 40;
    const lattice = Float32Array.from({ length: rows * columns }, (_, i) => {
      const c = i % columns;
      return 0.5 + 0.1 * Math.cos((Math.PI * c) / 2) + 0.05 * Math.cos(Math.PI * c);
    });
    const out = withoutStrideRipple(lattice, rows, columns);
    for (let r = 0; r < rows; r++)
      for (let c = 2; c < columns - 2; c++) expect(out[r * columns + c]).toBeCloseTo(0.5, 6);
  });
});
