import { describe, expect, it } from 'vitest';
import type { Image } from '../../main/api/domain.js';
import { hangStudy, needsHorizontalFlip } from '../../renderer/viewer/hanging.js';

let nextId = 1;
function image(laterality: 'R' | 'L' | null, view: string | null, forDisplay = true): Image {
  return { id: nextId++, laterality, view, forDisplay } as Image;
}

describe('hangStudy', () => {
  it('hangs the four standard views as RCC LCC / RMLO LMLO, chest walls back to back', () => {
    const hanging = hangStudy([image('L', 'MLO'), image('R', 'MLO'), image('L', 'CC'), image('R', 'CC')]);
    expect(hanging).toMatchObject({ rows: 2, columns: 2 });
    expect(hanging.cells.map((c) => c.key)).toEqual(['RCC', 'LCC', 'RMLO', 'LMLO']);
    expect(hanging.cells.map((c) => c.align)).toEqual(['left', 'right', 'left', 'right']);
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

  it('gives repeated views their own row and leaves out For Processing images', () => {
    const hanging = hangStudy([image('L', 'MLO'), image('L', 'MLO'), image('L', 'CC', false)]);
    expect(hanging.cells.map((c) => c.key)).toEqual(['LMLO', 'LMLO#2']);
  });

  it('puts images without laterality in their own centred column', () => {
    const hanging = hangStudy([image('R', 'CC'), image(null, 'CC')]);
    expect(hanging.cells.map((c) => [c.label, c.align])).toEqual([
      ['RCC', 'left'],
      ['CC', 'center'],
    ]);
  });
});

describe('needsHorizontalFlip', () => {
  it('flips when PatientOrientation puts the chest wall on the wrong side', () => {
    expect(needsHorizontalFlip('R', 'A')).toBe(false); // chest wall on the image's left: right breast fine
    expect(needsHorizontalFlip('R', 'P')).toBe(true);
    expect(needsHorizontalFlip('L', 'P')).toBe(false);
    expect(needsHorizontalFlip('L', 'A')).toBe(true);
    expect(needsHorizontalFlip('L', 'AL')).toBe(true);
  });

  it('never flips without an orientation or a laterality', () => {
    expect(needsHorizontalFlip('L', null)).toBe(false);
    expect(needsHorizontalFlip(null, 'A')).toBe(false);
    expect(needsHorizontalFlip('R', 'F')).toBe(false);
  });
});
