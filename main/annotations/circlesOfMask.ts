import type { GroundTruthCircle } from '../api/domain.js';

/** One enclosing circle per 4-connected blob of a mask (> 0 inside), e.g. to centre crops or score lesions. */
export function circlesOfMask(mask: Uint8Array, rows: number, columns: number): GroundTruthCircle[] {
  const circles: GroundTruthCircle[] = [];
  const seen = new Uint8Array(mask.length);
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let top = rows;
    let bottom = 0;
    let left = columns;
    let right = 0;
    seen[start] = 1;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop()!;
      const r = (i / columns) | 0;
      const c = i % columns;
      top = Math.min(top, r);
      bottom = Math.max(bottom, r);
      left = Math.min(left, c);
      right = Math.max(right, c);
      for (const j of [i - columns, i + columns, c > 0 ? i - 1 : -1, c < columns - 1 ? i + 1 : -1]) {
        if (j >= 0 && j < mask.length && mask[j] && !seen[j]) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    circles.push({
      centerRow: (top + bottom) / 2,
      centerColumn: (left + right) / 2,
      radius: Math.max(bottom - top, right - left) / 2 + 1,
    });
  }
  return circles;
}
