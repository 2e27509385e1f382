import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { decodePng } from '../../main/imaging/rasterFormats.js';
import { findBreast } from '../../main/inference/breastRegion.js';
import { estimateBreastGeometry, locateFinding } from '../../main/reports/findingLocation.js';
import { readSquareImage, squareBox } from '../../main/studies/cbis/squareImage.js';
import { parseMiasAnnotations } from '../../main/studies/mias/miasAnnotations.js';
import { FIXTURES, MIAS_FIXTURE, SHARED_DATA } from '../helpers/paths.js';
import { syntheticBreast } from '../helpers/syntheticFilm.js';

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

/** Hours apart on a clock face (12 and 1 are one hour apart). */
function hoursApart(a: number, b: number): number {
  const d = Math.abs(a - b) % 12;
  return Math.min(d, 12 - d);
}

interface CcTruth {
  file: string;
  laterality: 'L' | 'R';
  chestWall: 'left' | 'right';
  nipple: { row: number; column: number };
  masses: { cocoBox: [number, number, number, number]; clock: number; region: string }[];
}

const CBIS = `${SHARED_DATA}cbis-ddsm-mass/train/`;

describe.skipIf(!existsSync(CBIS))(
  'clock positions on CBIS-DDSM CC films (shared data, hand-placed truth)',
  () => {
    it(
      'finds the hand-placed nipple within 14 mm and gives each mass its hour (ACR BI-RADS clock face) within one',
      { timeout: 300_000 },
      async () => {
        // test/fixtures/cbis-cc-clock.json says how the truth was placed: the nipple by eye on the
        // square-pixel image, the lateral side from the film's lead marker (ACR: at the axilla).
        const truth = JSON.parse(await readFile(`${FIXTURES}cbis-cc-clock.json`, 'utf8')) as {
          films: CcTruth[];
        };
        const coco = JSON.parse(await readFile(`${CBIS}_annotations.coco.json`, 'utf8')) as {
          images: { id: number; file_name: string }[];
          annotations: { image_id: number; bbox: [number, number, number, number] }[];
        };
        let masses = 0;
        for (const film of truth.films) {
          const square = await readSquareImage(new Uint8Array(await readFile(`${CBIS}${film.file}`)));
          const display = decodePng(square.png).samples as Uint8Array;
          const geometry = estimateBreastGeometry(display, square.rows, square.columns);
          expect(geometry.chestWall, film.file).toBe(film.chestWall);
          // 75 square pixels at CBIS-DDSM's estimated 0.19 mm.
          expect(
            Math.hypot(geometry.nippleRow - film.nipple.row, geometry.nippleColumn - film.nipple.column),
            `${film.file} nipple`,
          ).toBeLessThan(75);
          const imageId = coco.images.find((i) => i.file_name === film.file)!.id;
          const boxes = coco.annotations.filter((a) => a.image_id === imageId).map((a) => a.bbox);
          expect(boxes, film.file).toHaveLength(film.masses.length);
          for (const mass of film.masses) {
            const [x, y, width, height] = mass.cocoBox;
            expect(
              boxes.some((b) => Math.abs(b[0] - x) + Math.abs(b[1] - y) < 0.1),
              `${film.file} box ${mass.cocoBox.join(',')} in the COCO file`,
            ).toBe(true);
            const box = squareBox({ x, y, width, height }, square);
            const centre = { row: box.top + box.height / 2, column: box.left + box.width / 2 };
            const where = locateFinding(geometry, centre, film.laterality, 'CC');
            expect(
              where.clock,
              `${film.file} mass at ${Math.round(centre.row)},${Math.round(centre.column)}`,
            ).not.toBeNull();
            expect(hoursApart(where.clock!, mass.clock), `${film.file} hour`).toBeLessThanOrEqual(1);
            expect(where.region, film.file).toBe(mass.region);
            masses++;
          }
        }
        expect(masses).toBe(9);
      },
    );
  },
);

describe('clock positions on a generated CC view (known nipple, both breasts, chest wall on either side)', () => {
  // ACR BI-RADS: the clock face as the reader faces the patient; on a CC view the right breast's
  // lateral side is 9 o'clock, the left's 3 o'clock. The CC view hung as the workstation writes it
  // (no PatientOrientation in the image): lateral at the top, whichever edge the chest wall is on.
  for (const [chestWall, edgeStrip] of [
    ['left', false],
    ['right', false],
    ['left', true],
    ['right', true],
  ] as const) {
    const strip = edgeStrip ? ', the film edge brightening along the bottom and meeting the breast' : '';
    it(`chest wall ${chestWall}${strip}: the nipple at the apex, lateral above it, medial below, the nipple line central`, () => {
      const breast = syntheticBreast({ chestWall, edgeStrip });
      const geometry = estimateBreastGeometry(breast.display, breast.rows, breast.columns);
      if (edgeStrip) {
        // The strip is film, not breast (item 8), and must not pass for the farthest point.
        const { mask } = findBreast(breast.display, breast.rows, breast.columns);
        expect(mask.pixels.subarray(breast.strip.top * breast.columns).every((p) => p === 0)).toBe(true);
      }
      expect(geometry.chestWall).toBe(chestWall);
      expect(Math.abs(geometry.nippleRow - breast.nipple.row)).toBeLessThan(breast.rows * 0.03);
      expect(Math.abs(geometry.nippleColumn - breast.nipple.column)).toBeLessThan(3);
      const towardChestWall = chestWall === 'left' ? -1 : 1;
      const inside = breast.nipple.column + towardChestWall * breast.depth * 0.5;
      const above = { row: breast.nipple.row - breast.halfHeight * 0.5, column: inside };
      const below = { row: breast.nipple.row + breast.halfHeight * 0.5, column: inside };
      const behindNipple = { row: breast.nipple.row, column: breast.nipple.column + towardChestWall * 20 };
      expect(locateFinding(geometry, above, 'R', 'CC')).toMatchObject({ clock: 9, region: 'outer' });
      expect(locateFinding(geometry, below, 'R', 'CC')).toMatchObject({ clock: 3, region: 'inner' });
      expect(locateFinding(geometry, above, 'L', 'CC')).toMatchObject({ clock: 3, region: 'outer' });
      expect(locateFinding(geometry, below, 'L', 'CC')).toMatchObject({ clock: 9, region: 'inner' });
      expect(locateFinding(geometry, behindNipple, 'L', 'CC')).toMatchObject({
        clock: null,
        region: 'retroareolar',
      });
      // A PatientOrientation whose rows run toward the breast's own side puts lateral below.
      expect(locateFinding(geometry, above, 'R', 'CC', 'R')).toMatchObject({ clock: 3, region: 'inner' });
      expect(locateFinding(geometry, below, 'L', 'CC', 'L')).toMatchObject({ clock: 3, region: 'outer' });
      expect(locateFinding(geometry, above, 'L', 'CC', 'R')).toMatchObject({ clock: 3, region: 'outer' });
      // On a lateral view rows run toward the feet unless the orientation says head.
      expect(locateFinding(geometry, above, 'L', 'MLO', 'F')).toMatchObject({ clock: 12, region: 'upper' });
      expect(locateFinding(geometry, above, 'L', 'MLO', 'H')).toMatchObject({ clock: 6, region: 'lower' });
    });
  }
});
