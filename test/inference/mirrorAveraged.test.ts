import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelMember } from '../../main/api/models.js';
import { mirrorAveraged, tileRunnerFor } from '../../main/inference/modelRunner.js';
import { predictProbabilityMap, type TileRunner } from '../../main/inference/predictProbabilityMap.js';
import { predictModelMap } from '../../main/inference/predictModelMap.js';
import { tinyNetwork } from '../helpers/tinyModel.js';
import { useWasm } from '../ml/mlTestUtil.js';

/** An asymmetric runner: each pixel takes its left neighbour's value (0 in the first column). */
const fromLeft: TileRunner = async (tiles, count, size) => {
  const out = new Float32Array(tiles.length);
  for (let line = 0; line < count * size; line++)
    for (let c = 1; c < size; c++) out[line * size + c] = tiles[line * size + c - 1]!;
  return out;
};

describe('flip test-time augmentation (mirrorAveraged)', () => {
  it('averages the direct pass with the mirrored pass mirrored back: here, the mean of both neighbours', async () => {
    const size = 4;
    const tiles = Float32Array.from({ length: 2 * size * size }, (_, i) => i + 1);
    const result = await mirrorAveraged(fromLeft)(tiles, 2, size);
    // By hand: the mirrored pass gives each pixel its right neighbour (0 in the last column).
    for (let line = 0; line < 2 * size; line++)
      for (let c = 0; c < size; c++) {
        const left = c > 0 ? tiles[line * size + c - 1]! : 0;
        const right = c < size - 1 ? tiles[line * size + c + 1]! : 0;
        expect(result[line * size + c]).toBeCloseTo((left + right) / 2, 6);
      }
  });

  describe('on a real network', () => {
    beforeAll(useWasm);
    const size = 96;
    // A left-right symmetric tile.
    const tile = Float32Array.from({ length: size * size }, (_, i) => {
      const r = Math.floor(i / size);
      const c = i % size;
      return Math.cos(Math.abs(c - (size - 1) / 2) / 5) * Math.sin(r / 7);
    });
    const asymmetry = (map: Float32Array) => {
      let worst = 0;
      for (let r = 0; r < size; r++)
        for (let c = 0; c < size; c++)
          worst = Math.max(worst, Math.abs(map[r * size + c]! - map[r * size + size - 1 - c]!));
      return worst;
    };

    it('maps a mirror-symmetric tile to a mirror-symmetric map, which one pass does not', async () => {
      // 'same' padding of stride-2 convolutions pads right and bottom only: one pass is lopsided.
      const model = tinyNetwork({ seed: 7 });
      expect(asymmetry(await tileRunnerFor(model)(tile, 1, size))).toBeGreaterThan(1e-3);
      expect(asymmetry(await mirrorAveraged(tileRunnerFor(model))(tile, 1, size))).toBe(0);
      model.dispose();
    });

    it('is what the inference map runs when the card asks for it', async () => {
      const model = tinyNetwork({ seed: 7 });
      const member: ModelMember = {
        name: 'only',
        role: 'any',
        topology: 'model.json',
        architecture: 'tiny',
        widthMultiplier: 0.125,
        inputPixelSpacingMm: 0.6,
        normalisation: { offset: 127, scale: 255 },
        weights: { file: 'weights.bin', sha256: '0'.repeat(64), dtype: 'float32', bytes: 0 },
      };
      const scan = Uint8Array.from({ length: size * size }, (_, i) =>
        Math.floor(i / size) > 20 ? 100 + (i % 37) : 0,
      );
      const options = { tileSize: 96, overlap: 16 };
      const mapOf = async (mirror: boolean) =>
        (
          await predictModelMap(scan, size, size, 0.6, [{ member, model }], {
            ...options,
            testTimeMirror: mirror,
          })
        ).probability;
      const reference = await predictProbabilityMap(
        scan,
        size,
        size,
        0.6,
        mirrorAveraged(tileRunnerFor(model)),
        {
          ...options,
          modelSpacingMm: 0.6,
          normalisation: member.normalisation,
        },
      );
      const [once, mirrored] = [await mapOf(false), await mapOf(true)];
      expect(mirrored).toEqual(reference.probability);
      expect(mirrored).not.toEqual(once);
      model.dispose();
    });
  });
});
