import { describe, expect, it } from 'vitest';
import { EditHistory, applyMaskChange, diffMasks } from '../../renderer/editing/EditHistory.js';
import {
  countInside,
  decodeMaskPng,
  encodeMaskPng,
  fillPolygon,
  levelOfThreshold,
  maskAtThreshold,
} from '../../renderer/editing/maskRaster.js';

describe('EditHistory', () => {
  it('undoes and redoes mask strokes and finding changes in order, keeping only changed pixels', () => {
    const history = new EditHistory();
    const mask = new Uint8Array(16);
    const stroke = mask.slice();
    stroke.fill(1, 4, 8);
    const change = diffMasks(mask, stroke, 'brush')!;
    expect(Array.from(change.indices)).toEqual([4, 5, 6, 7]);
    history.push(change);
    history.push({
      kind: 'findings',
      label: 'reject 1',
      before: { decisions: [], added: [] },
      after: { decisions: [{ findingIndex: 1, decision: 'rejected' }], added: [] },
    });
    expect([history.undoDepth, history.redoDepth]).toEqual([2, 0]);

    expect(history.undo()?.kind).toBe('findings');
    const undone = history.undo()!;
    expect(undone.kind).toBe('mask');
    const current = stroke.slice();
    applyMaskChange(current, undone as typeof change, 'before');
    expect(countInside(current)).toBe(0);
    expect(history.undo()).toBeNull();

    const redone = history.redo()!;
    applyMaskChange(current, redone as typeof change, 'after');
    expect(Array.from(current)).toEqual(Array.from(stroke));
    history.push(diffMasks(current, new Uint8Array(16), 'clear')!);
    expect(history.redoDepth).toBe(0); // a new change drops the redo side
  });

  it('returns null for equal masks and drops the oldest steps past its limit', () => {
    expect(diffMasks(new Uint8Array(4), new Uint8Array(4), 'none')).toBeNull();
    const history = new EditHistory(2);
    for (let i = 0; i < 3; i++)
      history.push(diffMasks(new Uint8Array(4), Uint8Array.of(1, 0, 0, i), `s${i}`)!);
    expect(history.undoDepth).toBe(2);
    expect(history.undo()?.label).toBe('s2');
  });
});

describe('mask rasters', () => {
  it('cuts the AI map at the threshold the back end uses (level = round(t * 255))', () => {
    expect(levelOfThreshold(0.5)).toBe(128);
    expect(Array.from(maskAtThreshold(Uint8Array.of(0, 127, 128, 255), 0.5))).toEqual([0, 0, 1, 1]);
    expect(Array.from(maskAtThreshold(Uint8Array.of(0, 1), 0))).toEqual([0, 1]); // 0 never inside
  });

  it('fills a polygon by pixel centres', () => {
    const mask = new Uint8Array(10 * 10);
    const set = fillPolygon(
      mask,
      10,
      10,
      [
        [2, 2],
        [6, 2],
        [6, 5],
        [2, 5],
      ],
      1,
    );
    expect(set).toBe(12); // columns 2..5, rows 2..4
    expect(countInside(mask)).toBe(12);
    expect(mask[2 * 10 + 2]).toBe(1);
    expect(mask[5 * 10 + 2]).toBe(0);
    // A triangle, clipped at the border.
    const clipped = new Uint8Array(4 * 4);
    fillPolygon(
      clipped,
      4,
      4,
      [
        [-5, -5],
        [10.2, -5],
        [-5, 10.2],
      ],
      1,
    ); // inside: column + row + 1 < 5.2
    expect(countInside(clipped)).toBe(13);
  });

  it('round-trips a mask through the base64 PNG the back end stores (255 inside)', () => {
    const data = Uint8Array.from({ length: 7 * 5 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const back = decodeMaskPng(encodeMaskPng({ columns: 7, rows: 5, data }));
    expect([back.columns, back.rows]).toEqual([7, 5]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });
});
