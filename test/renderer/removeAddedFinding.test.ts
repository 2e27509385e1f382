import { describe, expect, it } from 'vitest';
import { addFindingAt, addOutlinedFinding } from '../../renderer/editing/tools/AddFindingTool.js';
import type { EditingState } from '../../renderer/editing/tools/EditorTool.js';
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

describe('removeAddedFinding (the missed findings list’s ✕)', () => {
  it('takes out the pixels its outline painted, keeping the AI’s mask, the other outline’s and strokes outside', () => {
    const state = withTwoOutlines();
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
    const state = withTwoOutlines();
    const rejected = {
      ...state,
      findings: { ...state.findings, decisions: [{ findingIndex: 1, decision: 'rejected' as const }] },
    };
    const edit = removeAddedFinding(rejected, 0, ai)!;
    expect(edit.mask![3 * columns + 3]).toBe(0);
    expect(edit.mask![0 * columns + 8]).toBe(1);
  });

  it('without the AI’s map, every pixel inside the outline but not inside another goes', () => {
    const edit = removeAddedFinding(withTwoOutlines(), 1, null)!;
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
