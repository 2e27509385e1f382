import { describe, expect, it } from 'vitest';
import type { Image } from '../../main/api/domain.js';
import { hangStudy, needsHorizontalFlip, orientationLabels } from '../../renderer/viewer/hanging.js';

let nextId = 1;
function image(laterality: 'R' | 'L' | null, view: string | null, forDisplay = true): Image {
  return { id: nextId++, laterality, view, forDisplay, instanceNumber: null } as Image;
}

describe('hangStudy', () => {
  it('hangs the four standard views as RCC LCC / RMLO LMLO, chest walls back to back', () => {
    const hanging = hangStudy([image('L', 'MLO'), image('R', 'MLO'), image('L', 'CC'), image('R', 'CC')]);
    expect(hanging).toMatchObject({ rows: 2, columns: 2 });
    expect(hanging.cells.map((c) => c.key)).toEqual(['RCC', 'LCC', 'RMLO', 'LMLO']);
    // display-conventions.md: R images in the left column with their chest wall on the right,
    // L images on the right with the chest wall on the left, so both push toward the centre line.
    expect(hanging.cells.map((c) => c.align)).toEqual(['right', 'left', 'right', 'left']);
  });

  it('puts a mini-MIAS pair side by side, right breast on the left', () => {
    const hanging = hangStudy([image('L', 'MLO'), image('R', 'MLO')]);
    expect(hanging).toMatchObject({ rows: 1, columns: 2 });
    expect(hanging.cells.map((c) => c.label)).toEqual(['RMLO', 'LMLO']);
  });

  it('fills the screen with a lone image and keeps an empty cell for a missing pair view', () => {
    expect(hangStudy([image('L', 'MLO')])).toMatchObject({ rows: 1, columns: 1 });
    const three = hangStudy([image('R', 'CC'), image('L', 'CC'), image('R', 'MLO')]);
    expect(three).toMatchObject({ rows: 2, columns: 2 });
    expect(three.cells[3]).toMatchObject({ key: 'LMLO', image: null });
  });

  it('hangs a same-view series of one breast side by side (1xN), leaving out For Processing images', () => {
    // The WG04 study: two LMLO films. Stacked 2x1 each portrait image got a fifth of a wide cell.
    const hanging = hangStudy([image('L', 'MLO'), image('L', 'MLO'), image('L', 'CC', false)]);
    expect(hanging).toMatchObject({ rows: 1, columns: 2 });
    expect(hanging.cells.map((c) => [c.key, c.align])).toEqual([
      ['LMLO', 'left'],
      ['LMLO#2', 'left'],
    ]);
    expect(hangStudy([image('R', 'CC'), image('R', 'CC'), image('R', 'CC')])).toMatchObject({
      rows: 1,
      columns: 3,
    });
  });

  it('tells images with the same view apart by instance number, else by their place', () => {
    // WG04: two LMLO films, instance numbers 3 and 5.
    const wg04 = hangStudy([
      { ...image('L', 'MLO'), instanceNumber: 3 },
      { ...image('L', 'MLO'), instanceNumber: 5 },
    ]);
    expect(wg04.cells.map((c) => c.name)).toEqual(['LMLO · image 3', 'LMLO · image 5']);
    const unnumbered = hangStudy([image('R', 'MLO'), image('L', 'MLO'), image('L', 'MLO')]);
    expect(unnumbered.cells.map((c) => c.name)).toEqual(['RMLO', 'LMLO · 1 of 2', 'RMLO', 'LMLO · 2 of 2']);
    // A view of its own keeps its plain label.
    expect(hangStudy([image('R', 'CC'), image('L', 'CC')]).cells.map((c) => c.name)).toEqual(['RCC', 'LCC']);
  });

  it("hangs one breast's CC and MLO in one row, CC first, chest wall on its standard side", () => {
    const hanging = hangStudy([image('R', 'MLO'), image('R', 'CC'), image('R', 'MLO')]);
    expect(hanging).toMatchObject({ rows: 1, columns: 3 });
    expect(hanging.cells.map((c) => [c.key, c.align])).toEqual([
      ['RCC', 'right'],
      ['RMLO', 'right'],
      ['RMLO#2', 'right'],
    ]);
  });

  it('keeps a repeated view of a bilateral study in a further row under its pair', () => {
    const hanging = hangStudy([image('R', 'MLO'), image('L', 'MLO'), image('L', 'MLO')]);
    expect(hanging).toMatchObject({ rows: 2, columns: 2 });
    expect(hanging.cells.map((c) => c.key)).toEqual(['RMLO', 'LMLO', 'RMLO#2', 'LMLO#2']);
    expect(hanging.cells[2]?.image).toBeNull();
  });

  it('puts images without laterality in their own centred column', () => {
    const hanging = hangStudy([image('R', 'CC'), image(null, 'CC')]);
    expect(hanging.cells.map((c) => [c.label, c.align])).toEqual([
      ['RCC', 'right'],
      ['CC', 'center'],
    ]);
  });
});

describe('needsHorizontalFlip', () => {
  // PS3.3 C.7.6.1.1.1: the first PatientOrientation value is the row direction. Standard display
  // (display-conventions.md): R rows go "P" (chest wall right), L rows go "A" (chest wall left).
  it('leaves images alone that are stored in the standard display of their laterality', () => {
    expect(needsHorizontalFlip('R', 'P')).toBe(false); // RCC P\L, RMLO P\F
    expect(needsHorizontalFlip('L', 'A')).toBe(false); // LCC A\R, the WG04 film's A\F
    expect(needsHorizontalFlip('L', 'AR')).toBe(false);
  });

  it('flips images whose row direction disagrees with their laterality', () => {
    expect(needsHorizontalFlip('R', 'A')).toBe(true);
    expect(needsHorizontalFlip('L', 'P')).toBe(true);
    expect(needsHorizontalFlip('L', 'PL')).toBe(true);
  });

  it('uses the tissue side without PatientOrientation (mini-MIAS)', () => {
    expect(needsHorizontalFlip('R', null, 'right')).toBe(false); // mdb001: tissue against the right edge
    expect(needsHorizontalFlip('L', null, 'left')).toBe(false); // mdb002: against the left edge
    expect(needsHorizontalFlip('R', '', 'left')).toBe(true);
    expect(needsHorizontalFlip('L', undefined, 'right')).toBe(true);
  });

  it('never flips without an orientation or a laterality', () => {
    expect(needsHorizontalFlip('L', null)).toBe(false);
    expect(needsHorizontalFlip(null, 'A', 'right')).toBe(false);
    expect(needsHorizontalFlip('R', 'F')).toBe(false);
  });
});

describe('orientationLabels', () => {
  it('prints the opposite of the row and column directions on the left and top edges', () => {
    expect(orientationLabels('L', 'MLO', ['A', 'F'], false)).toEqual({
      left: 'P',
      right: 'A',
      top: 'H',
      bottom: 'F',
    });
    expect(orientationLabels('R', 'CC', ['P', 'L'], false)).toEqual({
      left: 'A',
      right: 'P',
      top: 'R',
      bottom: 'L',
    });
  });

  it('swaps left and right for a flipped image and handles oblique directions', () => {
    expect(orientationLabels('R', 'MLO', ['A', 'FR'], true)).toEqual({
      left: 'A',
      right: 'P',
      top: 'HL',
      bottom: 'FR',
    });
  });

  it('falls back to the standard display without PatientOrientation', () => {
    expect(orientationLabels('R', 'MLO', [], true)).toEqual({ left: 'A', right: 'P', top: 'H', bottom: 'F' });
    expect(orientationLabels('L', 'CC', [], false)).toEqual({ left: 'P', right: 'A', top: 'L', bottom: 'R' });
    expect(orientationLabels(null, 'CC', [], false)).toBeNull();
  });
});
