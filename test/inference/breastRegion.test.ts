import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeJpeg8Bit } from '../../main/imaging/codecs/libjpegTurbo.js';
import { decodeImageFile } from '../../main/imaging/decodeImage.js';
import { resizeBilinear } from '../../main/imaging/resample.js';
import { findBreast, type BreastMask } from '../../main/inference/breastRegion.js';
import { connectedComponents } from '../../main/inference/maskMorphology.js';
import { predictProbabilityMap, type TileRunner } from '../../main/inference/predictProbabilityMap.js';
import { parseMiasAnnotations } from '../../main/studies/mias/miasAnnotations.js';
import { MIAS_FIXTURE, SHARED_DATA, SHARED_DICOM } from '../helpers/paths.js';
import {
  inBox,
  syntheticBandFilm,
  syntheticFilm,
  type Box,
  type SyntheticFilm,
} from '../helpers/syntheticFilm.js';

/** How the mask of a synthetic film compares with the film's known shapes. */
function compare(film: SyntheticFilm, mask: BreastMask) {
  const artefacts = [film.marker, film.textLabel, film.paperLabel, ...film.borders];
  let onArtefact = 0;
  let missed = 0;
  let extra = 0;
  let breast = 0;
  const skinErrors: number[] = [];
  for (let r = 0; r < film.rows; r++) {
    let last = -1;
    for (let c = 0; c < film.columns; c++) {
      const inMask = mask.pixels[r * film.columns + c] === 1;
      if (artefacts.some((box) => inBox(box, r, c))) {
        if (inMask) onArtefact++;
        continue;
      }
      if (film.insideSkin(r, c)) {
        breast++;
        if (!inMask) missed++;
      } else if (inMask) extra++;
      if (inMask) last = c;
    }
    // The skin line's column in rows clear of the borders and the paper label.
    const label = film.paperLabel;
    const clear = r > 8 && r < film.rows - 8 && (r < label.top - 3 || r > label.bottom + 3);
    if (clear && film.skinColumn(r + 0.5) > 10)
      skinErrors.push(Math.abs(last + 1 - film.skinColumn(r + 0.5)));
  }
  return {
    onArtefact,
    missedShare: missed / breast,
    extraShare: extra / breast,
    meanSkinError: skinErrors.reduce((s, e) => s + e, 0) / skinErrors.length,
    maxSkinError: Math.max(...skinErrors),
  };
}

describe('findBreast on a synthetic film (known breast, border strips, marker, labels)', () => {
  for (const [name, options] of [
    ['film whose background displays at 35 (as WG04)', { background: 35 }],
    ['black background (as CBIS-DDSM)', { background: 0 }],
    ['square pixels of a squashed scan, 1.7 times taller', { background: 0, rows: 816 }],
  ] as const) {
    it(`${name}: the mask is the breast to its skin line and holds no artefact pixel`, () => {
      const film = syntheticFilm(options);
      const { mask, region } = findBreast(film.display, film.rows, film.columns);
      const result = compare(film, mask);
      expect(result.onArtefact).toBe(0);
      expect(connectedComponents(mask.pixels, film.columns).sizes).toHaveLength(1);
      expect(result.missedShare).toBeLessThan(0.002);
      expect(result.extraShare).toBeLessThan(0.001);
      // Item 9: the skin line at the image's resolution (8-pixel cells gave errors of 8 and more).
      expect(result.meanSkinError).toBeLessThan(0.5);
      expect(result.maxSkinError).toBeLessThan(1.5);
      expect(region.left).toBe(0);
      expect(region.left + region.columns).toBeLessThan(film.marker.left);
    });
  }

  it('takes a flat image as all breast (nothing to tell apart)', () => {
    const { mask, region } = findBreast(new Uint8Array(100).fill(7), 10, 10);
    expect(region).toEqual({ top: 0, left: 0, rows: 10, columns: 10 });
    expect(mask.pixels.every((p) => p === 1)).toBe(true);
  });

  it('gives no probability to the marker, the labels, the border strips or the background', async () => {
    const film = syntheticFilm({ background: 35 });
    const allAbnormal: TileRunner = async (tiles) => new Float32Array(tiles.length).fill(1);
    const { probability } = await predictProbabilityMap(
      film.display,
      film.rows,
      film.columns,
      0.2,
      allAbnormal,
      {
        modelSpacingMm: 0.4,
        normalisation: { offset: 127, scale: 255 },
        tileSize: 128,
        overlap: 32,
      },
    );
    const artefacts = [film.marker, film.textLabel, film.paperLabel, ...film.borders];
    let outside = 0;
    let breast = 0;
    let found = 0;
    for (let r = 0; r < film.rows; r++) {
      for (let c = 0; c < film.columns; c++) {
        const p = probability[r * film.columns + c]!;
        if (artefacts.some((box) => inBox(box, r, c)) || !film.insideSkin(r, c)) outside += p;
        else {
          breast++;
          if (p === 1) found++;
        }
      }
    }
    expect(outside).toBe(0);
    expect(found / breast).toBeGreaterThan(0.99);
  });
});

describe('findBreast on a film whose printed label sits on a band joined to the breast', () => {
  for (const background of [0, 35]) {
    it(`background ${background}: the label (white glyphs on a dark-grey box, a white card) is out, the breast in`, () => {
      const film = syntheticBandFilm({ background });
      const { mask } = findBreast(film.display, film.rows, film.columns);
      let onLabel = 0;
      let breast = 0;
      let missed = 0;
      let extra = 0;
      for (let r = 0; r < film.rows; r++) {
        for (let c = 0; c < film.columns; c++) {
          const inMask = mask.pixels[r * film.columns + c] === 1;
          if (inBox(film.label, r, c)) onLabel += inMask ? 1 : 0;
          else if (film.insideSkin(r, c)) {
            breast++;
            if (!inMask) missed++;
          } else if (inMask && !inBox(film.band, r, c)) extra++;
        }
      }
      expect(onLabel).toBe(0);
      expect(missed / breast).toBeLessThan(0.002);
      // The band itself (a paddle's shadow or an arm, not breast) stays joined: not asserted.
      expect(extra / breast).toBeLessThan(0.001);
    });
  }
});

describe('findBreast on the committed mini-MIAS films', () => {
  it(
    'holds every annotated lesion centre and covers a plausible share of the film',
    { timeout: 300_000 },
    async () => {
      const annotations = parseMiasAnnotations(await readFile(`${MIAS_FIXTURE}annotations.csv`, 'utf8'));
      const names = ['mdb001', 'mdb002', 'mdb005', 'mdb006', 'mdb215', 'mdb216'];
      let lesions = 0;
      for (const name of names) {
        const image = await decodeImageFile(`${MIAS_FIXTURE}images/${name}.png`);
        const { mask } = findBreast(image.display, image.rows, image.columns);
        for (const lesion of (annotations.get(name) ?? []).filter((a) => a.x !== null && a.y !== null)) {
          // MIAS measures y from the image's bottom edge.
          const row = image.rows - 1 - lesion.y!;
          expect(
            mask.pixels[row * image.columns + lesion.x!],
            `${name} lesion at ${lesion.x},${lesion.y}`,
          ).toBe(1);
          lesions++;
        }
        let area = 0;
        for (const p of mask.pixels) area += p;
        expect(area / mask.pixels.length, name).toBeGreaterThan(0.1);
        expect(area / mask.pixels.length, name).toBeLessThan(0.7);
      }
      expect(lesions).toBeGreaterThan(3);
    },
  );
});

describe.skipIf(!existsSync(SHARED_DICOM))('findBreast on the WG04 film (shared data)', () => {
  it(
    'leaves the "L MLO" lead marker out and keeps the breast, on both encodings',
    { timeout: 600_000 },
    async () => {
      for (const file of ['MG1_J2KI.dcm', 'MG1_JPLY.dcm']) {
        const image = await decodeImageFile(`${SHARED_DICOM}${file}`);
        const { mask } = findBreast(image.display, image.rows, image.columns);
        const marker = { top: 220, left: 2320, bottom: 700, right: 2820 };
        let onMarker = 0;
        for (let r = marker.top; r <= marker.bottom; r++)
          for (let c = marker.left; c <= marker.right; c++) onMarker += mask.pixels[r * image.columns + c]!;
        expect(onMarker, file).toBe(0);
        for (const [r, c] of [
          [2000, 500],
          [3500, 1000],
          [1500, 1200],
        ] as const)
          expect(mask.pixels[r * image.columns + c], `${file} ${r},${c}`).toBe(1);
      }
    },
  );
});

const CBIS = `${SHARED_DATA}cbis-ddsm-mass/train/`;

/**
 * CBIS-DDSM films with their burned-in labels and lead markers, boxed by hand in the 800 x 800 frame
 * (a slanted label by boxes that stay inside it).
 */
const CBIS_HAND_CHECKED: { file: string; labels: Box[]; breast: [number, number] }[] = [
  // "L CC" lead marker, top right.
  {
    file: '01383_LEFT_CC.jpg',
    labels: [{ top: 90, left: 655, bottom: 205, right: 799 }],
    breast: [380, 100],
  },
  // "RMLO" lead letters, left.
  {
    file: '00046_RIGHT_MLO.jpg',
    labels: [{ top: 135, left: 40, bottom: 210, right: 210 }],
    breast: [300, 700],
  },
  // Date label ("27 JAN 1995") in the film's clear strip beside the nipple.
  {
    file: '00637_RIGHT_CC.jpg',
    labels: [{ top: 245, left: 765, bottom: 355, right: 798 }],
    breast: [400, 300],
  },
  // "MAMMOGRAPHY CTR" label at the left edge, white print on a dark-grey box with a white card at
  // its top, on the band of exposed film along the top that joins the breast; it runs on into the
  // background. Its right side slants from column 31 (row 51) to column 52 (row 226).
  {
    file: '01355_LEFT_MLO.jpg',
    labels: [
      { top: 51, left: 0, bottom: 120, right: 31 },
      { top: 120, left: 0, bottom: 190, right: 39 },
      { top: 190, left: 0, bottom: 226, right: 47 },
    ],
    breast: [450, 600],
  },
];

describe.skipIf(!existsSync(CBIS))('findBreast on CBIS-DDSM films (shared data)', () => {
  it(
    'leaves hand-boxed labels and markers out, at 800 x 800 and at square pixels (800 x 1360)',
    { timeout: 300_000 },
    async () => {
      for (const { file, labels, breast } of CBIS_HAND_CHECKED) {
        const frame = await decodeJpeg8Bit(new Uint8Array(await readFile(`${CBIS}${file}`)));
        const squashed = frame.samples as Uint8Array;
        const tall = 1360;
        const scale = tall / frame.height;
        for (const [pixels, rows, stretch] of [
          [squashed, frame.height, 1],
          [resizeBilinear(squashed, frame.height, frame.width, tall, frame.width), tall, scale],
        ] as const) {
          const { mask } = findBreast(pixels, rows, frame.width);
          let onLabel = 0;
          for (const label of labels) {
            for (
              let r = Math.floor(label.top * stretch);
              r <= Math.ceil(label.bottom * stretch) && r < rows;
              r++
            )
              for (let c = label.left; c <= label.right; c++) onLabel += mask.pixels[r * frame.width + c]!;
          }
          expect(onLabel, `${file} at ${rows} rows`).toBe(0);
          const [r, c] = breast;
          expect(mask.pixels[Math.round(r * stretch) * frame.width + c], `${file} breast`).toBe(1);
        }
      }
    },
  );
});
