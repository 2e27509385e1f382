import { describe, expect, it } from 'vitest';
import { type Box, cornerTextAreas, placeLabels } from '../../renderer/viewer/ai/labelPlacement.js';
import { shownFindings } from '../../renderer/ai/shownFindings.js';
import type { Finding, Prediction } from '../../main/api/predictions.js';

const intersect = (a: Box, b: Box): boolean =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('placeLabels', () => {
  it('never overlaps two labels, the corner text or the canvas edge, even for a pile of close marks', () => {
    const canvas = { width: 400, height: 300 };
    const blocked = cornerTextAreas(canvas.width, canvas.height);
    // Ten marks within a few pixels of each other (the clutter of issue 13), one in a corner.
    const requests = [
      ...Array.from({ length: 10 }, (_, i) => ({
        x: 200 + (i % 3) * 4,
        y: 150 + i * 3,
        width: 52,
        height: 13,
      })),
      { x: 5, y: 5, width: 52, height: 13 },
    ];
    const boxes = placeLabels(requests, canvas, blocked);
    const placed = boxes.filter((b): b is Box => b !== null);
    expect(placed.length).toBeGreaterThanOrEqual(4); // the four around the pile fit
    expect(boxes[0]).not.toBeNull(); // the strongest finding always gets its label when it fits
    for (let i = 0; i < placed.length; i++) {
      const a = placed[i]!;
      expect(a.left >= 0 && a.top >= 0 && a.right <= canvas.width && a.bottom <= canvas.height).toBe(true);
      for (const area of blocked) expect(intersect(a, area)).toBe(false);
      for (let j = i + 1; j < placed.length; j++) expect(intersect(a, placed[j]!)).toBe(false);
    }
    expect(boxes[10]).toBeNull(); // in the corner text: left out, not drawn over it
  });
});

describe('shownFindings', () => {
  const finding = (index: number, maxProbability: number): Finding => ({ index, maxProbability }) as Finding;
  const prediction = {
    findings: [
      finding(1, 0.97),
      finding(2, 0.54),
      finding(3, 0.53),
      finding(4, 0.52),
      finding(5, 0.51),
      finding(6, 0.3),
    ],
  } as Prediction;

  it('shows the API findings at or above the threshold, strongest first, capped per image', () => {
    expect(shownFindings(prediction, 0.5, 4).map((f) => f.index)).toEqual([1, 2, 3, 4]);
    expect(shownFindings(prediction, 0.5, Infinity).map((f) => f.index)).toEqual([1, 2, 3, 4, 5]);
    expect(shownFindings(prediction, 0.9, 4).map((f) => f.index)).toEqual([1]);
    expect(shownFindings(null, 0.5, 4)).toEqual([]);
  });
});
