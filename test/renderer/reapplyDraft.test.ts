import { describe, expect, it } from 'vitest';
import type { AnnotationFindings } from '../../main/api/annotations.js';
import { reapplyFindings, reapplyStrokes } from '../../renderer/editing/reapplyDraft.js';

const mask = (...values: number[]) => Uint8Array.from(values);

describe("reapplying a reader's draft on top of a newer version", () => {
  it("keeps every pixel the reader changed and the new version's pixels elsewhere", () => {
    // Pixels: 0 untouched by both, 1 painted by me, 2 erased by me, 3 painted by them, 4 erased by
    // them, 5 painted by both, 6 I erase what they kept.
    const base = mask(0, 0, 255, 0, 255, 0, 255);
    const mine = mask(0, 255, 0, 0, 255, 255, 0);
    const theirs = mask(0, 0, 255, 255, 0, 255, 255);
    expect(Array.from(reapplyStrokes(base, mine, theirs))).toEqual([0, 255, 0, 255, 0, 255, 0]);
  });

  it('treats any non-zero value as inside, and refuses masks of different sizes', () => {
    expect(Array.from(reapplyStrokes(mask(0, 1), mask(7, 1), mask(0, 0)))).toEqual([7, 0]);
    expect(() => reapplyStrokes(mask(0), mask(0, 0), mask(0, 0))).toThrow('different sizes');
  });

  it("replays the reader's finding decisions and additions over the new version's", () => {
    const lump = { type: 'mass' as const, centroidRow: 10, centroidColumn: 20 };
    const specks = { type: 'calcification' as const, centroidRow: 30, centroidColumn: 40 };
    const theirsOnly = { type: 'asymmetry' as const, centroidRow: 50, centroidColumn: 60 };
    const base: AnnotationFindings = {
      decisions: [
        { findingIndex: 1, decision: 'accepted' },
        { findingIndex: 2, decision: 'accepted' },
      ],
      added: [specks],
    };
    const mine: AnnotationFindings = {
      decisions: [
        { findingIndex: 1, decision: 'rejected' },
        { findingIndex: 2, decision: 'accepted' },
      ],
      added: [lump],
    };
    const theirs: AnnotationFindings = {
      decisions: [
        { findingIndex: 1, decision: 'accepted' },
        { findingIndex: 2, decision: 'rejected' },
        { findingIndex: 3, decision: 'accepted' },
      ],
      added: [specks, theirsOnly],
    };
    expect(reapplyFindings(base, mine, theirs)).toEqual({
      decisions: [
        { findingIndex: 1, decision: 'rejected' },
        { findingIndex: 2, decision: 'rejected' },
        { findingIndex: 3, decision: 'accepted' },
      ],
      added: [theirsOnly, lump],
    });
  });
});
