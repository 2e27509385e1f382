import { describe, expect, it } from 'vitest';
import { diffMasks } from '../../renderer/editing/EditHistory.js';
import { claimPaintedPixels, pixelsTurnedOnBy } from '../../renderer/editing/paintedPixels.js';
import { addFindingAt, addOutlinedFinding } from '../../renderer/editing/tools/AddFindingTool.js';
import type { Edit, EditingState } from '../../renderer/editing/tools/EditorTool.js';
import { type AiMask, removeAddedFinding } from '../../renderer/editing/tools/RemoveAddedFinding.js';

const columns = 10;
const rows = 8;

/** A mask drawn as text, '#' inside, '.' outside. */
function picture(lines: string[]): Uint8Array {
  return Uint8Array.from(lines.join(''), (ch) => (ch === '#' ? 1 : 0));
}

function drawn(mask: Uint8Array): string[] {
  return Array.from({ length: rows }, (_, r) =>
    Array.from(mask.subarray(r * columns, (r + 1) * columns), (v) => (v ? '#' : '.')).join(''),
  );
}

/** The AI's map: 200 at the AI's pixels (its finding 1 at row 3, column 3; a blob at the top right). */
const aiPixels = picture([
  '........##',
  '..........',
  '..........',
  '...#......',
  '..........',
  '..........',
  '..........',
  '..........',
]);
const ai: AiMask = {
  findings: [
    {
      index: 1,
      bounds: { top: 3, left: 3, bottom: 3, right: 3 },
      maxProbability: 200 / 255,
    } as AiMask['findings'][number],
  ],
  map: Uint8Array.from(aiPixels, (v) => v * 200),
  threshold: 0.5,
  maskThreshold: 0.5,
  pixelSpacingMm: null,
};

/** The AI's mask, a reader's brush dab at row 7 column 0, then A (columns 2-6, rows 2-6) and B (5-8, 5-7). */
function withTwoOutlines(): EditingState {
  let state: EditingState = {
    columns,
    rows,
    mask: aiPixels.slice(),
    findings: { decisions: [], added: [] },
  };
  state.mask[7 * columns] = 1;
  for (const outline of [
    [
      [2, 2],
      [7, 2],
      [7, 7],
      [2, 7],
    ],
    [
      [5, 5],
      [9, 5],
      [9, 8],
      [5, 8],
    ],
  ] as [number, number][][]) {
    const edit = addOutlinedFinding(state, 'mass', outline)!;
    state = { ...state, mask: edit.mask!, findings: edit.findings! };
  }
  return state;
}

/** The same findings as saved before adds recorded their pixels: outlines only. */
function savedBeforeRecords(state: EditingState): EditingState {
  const added = state.findings.added.map(({ painted: _painted, ...finding }) => finding);
  return { ...state, findings: { ...state.findings, added } };
}

describe('removeAddedFinding on findings saved with their outline only (the earlier rule)', () => {
  it('takes out the pixels its outline painted, keeping the AI’s mask, the other outline’s and strokes outside', () => {
    const state = savedBeforeRecords(withTwoOutlines());
    expect(drawn(state.mask)).toEqual([
      '........##',
      '..........',
      '..#####...',
      '..#####...',
      '..#####...',
      '..#######.',
      '..#######.',
      '#....####.',
    ]);
    const edit = removeAddedFinding(state, 0, ai)!;
    expect(edit.label).toBe('remove mass');
    expect(edit.findings!.added).toEqual([state.findings.added[1]]);
    expect(drawn(edit.mask!)).toEqual([
      '........##',
      '..........',
      '..........',
      '...#......', // the AI's own pixel stays
      '..........',
      '.....####.', // inside B's outline too: B's label
      '.....####.',
      '#....####.', // the reader's stroke outside the outline stays
    ]);
    // The state a tool reads is never changed in place (undo diffs against it).
    expect(state.mask[2 * columns + 2]).toBe(1);
  });

  it('takes the AI’s pixel too when the reader rejected that finding', () => {
    const state = savedBeforeRecords(withTwoOutlines());
    const rejected = {
      ...state,
      findings: { ...state.findings, decisions: [{ findingIndex: 1, decision: 'rejected' as const }] },
    };
    const edit = removeAddedFinding(rejected, 0, ai)!;
    expect(edit.mask![3 * columns + 3]).toBe(0);
    expect(edit.mask![0 * columns + 8]).toBe(1);
  });

  it('without the AI’s map, every pixel inside the outline but not inside another goes', () => {
    const edit = removeAddedFinding(savedBeforeRecords(withTwoOutlines()), 1, null)!;
    expect(drawn(edit.mask!)).toEqual([
      '........##',
      '..........',
      '..#####...',
      '..#####...',
      '..#####...',
      '..#####...',
      '..#####...',
      '#.........',
    ]);
  });

  it('a clicked finding painted nothing, so only the finding goes', () => {
    const state = withTwoOutlines();
    const clicked = addFindingAt(state, 'calcification', 3.5, 3.5);
    const edit = removeAddedFinding({ ...state, findings: clicked.findings! }, 2, ai)!;
    expect(edit.mask).toBeUndefined();
    expect(edit.findings).toEqual(state.findings);
    expect(removeAddedFinding(state, 5, ai)).toBeNull();
  });
});

/** The state after an edit. */
function applied(state: EditingState, edit: Edit | null): EditingState {
  if (!edit) throw new Error('no edit');
  return { ...state, mask: edit.mask ?? state.mask, findings: edit.findings ?? state.findings };
}

/** The reader's brush or eraser: the mask with `value` at (row, column) pixels, its claims made. */
function stroke(state: EditingState, pixels: [number, number][], value: 0 | 1): EditingState {
  const mask = state.mask.slice();
  for (const [row, column] of pixels) mask[row * columns + column] = value;
  const change = diffMasks(state.mask, mask, 'brush');
  const claimed = change && claimPaintedPixels(state.findings, pixelsTurnedOnBy(change), columns, rows);
  return { ...state, mask, findings: claimed ?? state.findings };
}

const square = (left: number, top: number, right: number, bottom: number): [number, number][] => [
  [left, top],
  [right, top],
  [right, bottom],
  [left, bottom],
];

describe('removeAddedFinding: the mask inside its outline as the reader had it before the add', () => {
  /** The AI's blob (rows 1-3, columns 2-5); the map is its only finding's. */
  const blob = picture([
    '..........',
    '..####....',
    '..####....',
    '..####....',
    '..........',
    '..........',
    '..........',
    '..........',
  ]);
  const blobAi: AiMask = { ...ai, map: Uint8Array.from(blob, (v) => v * 200) };
  const opened = (): EditingState => ({
    columns,
    rows,
    mask: blob.slice(),
    findings: { decisions: [], added: [] },
  });
  const outline = (state: EditingState, vertices: [number, number][]) =>
    applied(state, addOutlinedFinding(state, 'mass', vertices));

  it('AI pixels the reader erased before outlining stay erased (the old rule painted them back)', () => {
    const erased = stroke(
      opened(),
      [2, 3, 4, 5].map((c): [number, number] => [2, c]),
      0,
    );
    const withA = outline(erased, square(1, 0, 7, 5));
    expect(drawn(withA.mask)).toEqual([
      '.######...',
      '.######...',
      '.######...',
      '.######...',
      '.######...',
      '..........',
      '..........',
      '..........',
    ]);
    // The add recorded the pixels it turned on: the erased row among them, the AI's pixels left on not.
    expect(withA.findings.added[0]!.painted).toEqual([
      [0, 1, 6],
      [1, 1, 1],
      [1, 6, 1],
      [2, 1, 6],
      [3, 1, 1],
      [3, 6, 1],
      [4, 1, 6],
    ]);
    const removed = applied(withA, removeAddedFinding(withA, 0, blobAi));
    expect(drawn(removed.mask)).toEqual(drawn(erased.mask));
    expect(removed.findings.added).toEqual([]);
  });

  it('a later stroke that paints one of its pixels again keeps it; a later erase stays', () => {
    const withA = outline(opened(), square(1, 0, 7, 5));
    // Erased after the add, then painted again: the stroke claims it.
    const repainted = stroke(stroke(withA, [[4, 4]], 0), [[4, 4]], 1);
    expect(repainted.findings.added[0]!.painted).not.toContainEqual([4, 1, 6]);
    // Erased after the add and left so; and one of the AI's pixels erased after the add.
    const erased = stroke(
      repainted,
      [
        [0, 3],
        [1, 2],
      ],
      0,
    );
    const removed = applied(erased, removeAddedFinding(erased, 0, blobAi));
    expect(drawn(removed.mask)).toEqual([
      '..........',
      '...###....', // the AI's pixel erased after the add stays erased
      '..####....',
      '..####....',
      '....#.....', // the later stroke's pixel
      '..........',
      '..........',
      '..........',
    ]);
  });

  it('removing two overlapping findings, in either order, gives back the mask before both', () => {
    const before = opened();
    const both = outline(outline(before, square(0, 2, 5, 6)), square(3, 4, 9, 8));
    const firstA = applied(both, removeAddedFinding(both, 0, blobAi));
    // The overlap stays, B's now: B's label is its whole outline.
    expect(drawn(firstA.mask)).toEqual([
      '..........',
      '..####....',
      '..####....',
      '..####....',
      '...######.',
      '...######.',
      '...######.',
      '...######.',
    ]);
    expect(firstA.findings.added).toHaveLength(1);
    expect(firstA.findings.added[0]!.outline).toEqual(both.findings.added[1]!.outline);
    const thenB = applied(firstA, removeAddedFinding(firstA, 0, blobAi));
    expect(drawn(thenB.mask)).toEqual(drawn(before.mask));
    const firstB = applied(both, removeAddedFinding(both, 1, blobAi));
    const thenA = applied(firstB, removeAddedFinding(firstB, 0, blobAi));
    expect(drawn(thenA.mask)).toEqual(drawn(before.mask));
  });

  it('a finding outlined over pixels an earlier one painted and the reader erased takes them over', () => {
    const empty: EditingState = { ...opened(), mask: new Uint8Array(columns * rows) };
    const withA = outline(empty, square(0, 0, 5, 4));
    const erased = stroke(
      withA,
      [0, 1, 2, 3, 4].map((c): [number, number] => [1, c]),
      0,
    );
    const withB = outline(erased, square(3, 1, 9, 2));
    expect(withB.findings.added[0]!.painted).toEqual([
      [0, 0, 5],
      [1, 0, 3],
      [2, 0, 5],
      [3, 0, 5],
    ]);
    expect(withB.findings.added[1]!.painted).toEqual([[1, 3, 6]]);
    const withoutA = applied(withB, removeAddedFinding(withB, 0, null));
    expect(drawn(withoutA.mask)).toEqual([
      '..........',
      '...######.',
      '..........',
      '..........',
      '..........',
      '..........',
      '..........',
      '..........',
    ]);
    const withoutB = applied(withB, removeAddedFinding(withB, 1, null));
    expect(drawn(withoutB.mask)).toEqual(drawn(erased.mask));
  });
});
