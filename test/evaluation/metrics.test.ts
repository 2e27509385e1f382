import { describe, expect, it } from 'vitest';
import { bootstrapInterval } from '../../main/evaluation/bootstrap.js';
import { frocCurve, sensitivityAtFalsePositives } from '../../main/evaluation/froc.js';
import { countPixels, pixelMetrics } from '../../main/evaluation/pixelMetrics.js';
import { rocAuc, sensitivitySpecificity } from '../../main/evaluation/rocAuc.js';

describe('rocAuc', () => {
  it('is 1 for perfect separation, 0.5 for ties, and matches a hand count', () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [true, true, false, false])).toBe(1);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [true, false, true, false])).toBe(0.5);
    // Pairs (pos, neg): (0.8,0.7) win, (0.8,0.3) win, (0.4,0.7) lose, (0.4,0.3) win -> 3/4.
    expect(rocAuc([0.8, 0.4, 0.7, 0.3], [true, true, false, false])).toBe(0.75);
    expect(rocAuc([0.1, 0.2], [true, true])).toBeNaN();
  });

  it('counts sensitivity and specificity at a threshold', () => {
    expect(sensitivitySpecificity([0.9, 0.4, 0.6, 0.1], [true, true, false, false], 0.5)).toEqual({
      sensitivity: 0.5,
      specificity: 0.5,
    });
  });
});

describe('frocCurve', () => {
  const lesion = { centerColumn: 10, centerRow: 10, radius: 5 };
  it('counts each lesion once and findings outside lesions as false positives', () => {
    const curve = frocCurve([
      {
        lesions: [lesion],
        findings: [
          { centroidColumn: 11, centroidRow: 9, score: 0.9 },
          { centroidColumn: 12, centroidRow: 10, score: 0.8 }, // same lesion again: neither TP nor FP
          { centroidColumn: 50, centroidRow: 50, score: 0.7 },
        ],
      },
      { lesions: [], findings: [{ centroidColumn: 5, centroidRow: 5, score: 0.95 }] },
      { lesions: [{ centerColumn: 100, centerRow: 100, radius: 3 }], findings: [] },
    ]);
    expect(curve).toEqual([
      { threshold: 0.95, falsePositivesPerImage: 1 / 3, sensitivity: 0 },
      { threshold: 0.9, falsePositivesPerImage: 1 / 3, sensitivity: 0.5 },
      { threshold: 0.8, falsePositivesPerImage: 1 / 3, sensitivity: 0.5 },
      { threshold: 0.7, falsePositivesPerImage: 2 / 3, sensitivity: 0.5 },
    ]);
    expect(sensitivityAtFalsePositives(curve, 0.25)).toBe(0);
    expect(sensitivityAtFalsePositives(curve, 0.5)).toBe(0.5);
  });
});

describe('pixel metrics', () => {
  it('reports lesion-class IoU and Dice, not averaged with background', () => {
    const counts = countPixels([0.9, 0.9, 0.2, 0.1, 0.8, 0.0], [1, 0, 1, 0, 1, 0], 0.5);
    expect(counts).toEqual({ truePositives: 2, falsePositives: 1, falseNegatives: 1 });
    const m = pixelMetrics(counts);
    expect(m.precision).toBeCloseTo(2 / 3);
    expect(m.recall).toBeCloseTo(2 / 3);
    expect(m.lesionIoU).toBeCloseTo(0.5);
    expect(m.lesionDice).toBeCloseTo(2 / 3);
  });
});

describe('bootstrapInterval', () => {
  it('is reproducible and brackets the statistic', () => {
    const clusters = Array.from({ length: 50 }, (_, i) => [i % 10, (i * 7) % 10]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const a = bootstrapInterval(clusters, mean, { replicates: 300, seed: 7 });
    const b = bootstrapInterval(clusters, mean, { replicates: 300, seed: 7 });
    expect(a).toEqual(b);
    const overall = mean(clusters.flat());
    expect(a.low).toBeLessThan(overall);
    expect(a.high).toBeGreaterThan(overall);
  });
});

describe('youdenThreshold', () => {
  it('puts the operating point between the classes', async () => {
    const { youdenThreshold } = await import('../../main/evaluation/calibrateThreshold.js');
    const t = youdenThreshold([0.91, 0.92, 0.93, 0.97, 0.98, 0.99], [false, false, false, true, true, true]);
    expect(t).toBeCloseTo(0.95);
    expect(youdenThreshold([], [])).toBe(0.5);
  });
});
