import { describe, expect, it } from 'vitest';
import { foldMemberMap, memberAt, startCombination } from '../../main/inference/combineMemberMaps.js';

describe('combining member maps', () => {
  it('keeps the per-pixel maximum and which member gave it, the first on a tie', () => {
    const combined = startCombination(Float32Array.from([0.1, 0.5, 0.3, 0]));
    expect([0, 1, 2, 3].map((p) => memberAt(combined, p))).toEqual([0, 0, 0, 0]);
    expect(combined.member).toBeNull();
    foldMemberMap(combined, Float32Array.from([0.2, 0.5, 0.1, 0]), 1);
    foldMemberMap(combined, Float32Array.from([0.15, 0.4, 0.9, 0]), 2);
    expect(Array.from(combined.probability)).toEqual([0.2, 0.5, 0.9, 0].map(Math.fround));
    expect([0, 1, 2, 3].map((p) => memberAt(combined, p))).toEqual([1, 0, 2, 0]);
  });

  it('refuses a member map of another size', () => {
    expect(() => foldMemberMap(startCombination(new Float32Array(4)), new Float32Array(3), 1)).toThrow(
      'member map has 3 pixels, the combination 4',
    );
  });
});
