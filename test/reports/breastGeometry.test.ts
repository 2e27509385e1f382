import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { estimateBreastGeometry, locateFinding } from '../../main/reports/findingLocation.js';
import { parseMiasAnnotations } from '../../main/studies/mias/miasAnnotations.js';
import { MIAS_FIXTURE } from '../helpers/paths.js';

/**
 * Nipples placed by hand on the committed mini-MIAS films (MLO views, left and right breasts,
 * chest wall on either side), at the skin line's point farthest from the chest wall, to about
 * 40 pixels (8 mm).
 */
const NIPPLES: Record<string, { row: number; column: number; chestWall: 'left' | 'right' }> = {
  mdb001: { row: 530, column: 320, chestWall: 'right' },
  mdb002: { row: 640, column: 670, chestWall: 'left' },
  mdb005: { row: 660, column: 225, chestWall: 'right' },
  mdb006: { row: 640, column: 815, chestWall: 'left' },
  mdb215: { row: 585, column: 220, chestWall: 'right' },
  mdb216: { row: 540, column: 812, chestWall: 'left' },
};

describe('breast geometry on real films (mini-MIAS)', () => {
  it(
    'puts the chest wall on the breast side and the nipple within 14 mm of the hand-placed one',
    { timeout: 300_000 },
    async () => {
      for (const [name, truth] of Object.entries(NIPPLES)) {
        const image = await decodeImageFile(`${MIAS_FIXTURE}images/${name}.png`);
        const geometry = estimateBreastGeometry(image.display, image.rows, image.columns);
        expect(geometry.chestWall, name).toBe(truth.chestWall);
        // 70 pixels at mini-MIAS's 0.2 mm. The film's white edge lines once put mdb002's nipple on row 0.
        expect(
          Math.hypot(geometry.nippleRow - truth.row, geometry.nippleColumn - truth.column),
          name,
        ).toBeLessThan(70);
      }
    },
  );

  it(
    'gives each annotated mass the clock position its hand-placed nipple gives',
    { timeout: 300_000 },
    async () => {
      const annotations = parseMiasAnnotations(await readFile(`${MIAS_FIXTURE}annotations.csv`, 'utf8'));
      // MIAS views are MLO: rows run toward the feet, so below the nipple is 6 o'clock, lower.
      const expected: Record<string, { clock: number; region: string }> = {
        mdb002: { clock: 6, region: 'lower' },
        mdb005: { clock: 6, region: 'lower' },
      };
      let checked = 0;
      for (const [name, want] of Object.entries(expected)) {
        const image = await decodeImageFile(`${MIAS_FIXTURE}images/${name}.png`);
        const geometry = estimateBreastGeometry(image.display, image.rows, image.columns);
        for (const mass of annotations.get(name) ?? []) {
          const point = { row: image.rows - mass.y!, column: mass.x! };
          // The truth: the mass lies below the hand-placed nipple by more than the central band.
          expect(point.row - NIPPLES[name]!.row, name).toBeGreaterThan(100);
          expect(locateFinding(geometry, point, name === 'mdb002' ? 'R' : 'L', 'MLO'), name).toMatchObject(
            want,
          );
          checked++;
        }
      }
      expect(checked).toBe(3);
    },
  );
});
