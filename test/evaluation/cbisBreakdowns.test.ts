/**
 * The box-hit rule, the CBIS-DDSM groups and the breakdown counts, on hand-computed cases.
 */
import { describe, expect, it } from 'vitest';
import type { CbisCaseRow } from '../../main/studies/cbis/caseTable.js';
import { bootstrapInterval, bootstrapIntervals } from '../../main/evaluation/bootstrap.js';
import {
  cbisGroups,
  pathologyGroup,
  PATHOLOGY_GROUPS,
  resultsByGroup,
} from '../../main/evaluation/cbisBreakdowns.js';
import { frocCurve, hitsLesion, sensitivityAtFalsePositives } from '../../main/evaluation/froc.js';

const at = (row: number, column: number, score = 1) => ({ centroidRow: row, centroidColumn: column, score });

describe('hitsLesion on a box', () => {
  // Columns 10-40, rows 20-30 of the continuous frame: pixel (r, c) covers [c, c+1) x [r, r+1).
  const box = { left: 10, top: 20, width: 30, height: 10 };

  it('counts a peak whose pixel centre lies inside the box, edges included', () => {
    expect(hitsLesion(box, at(20, 10))).toBe(true); // centre (10.5, 20.5)
    expect(hitsLesion(box, at(29, 39))).toBe(true); // centre (39.5, 29.5)
    expect(hitsLesion(box, at(25, 9.5))).toBe(true); // centre on the left edge (10.0)
    expect(hitsLesion(box, at(25, 40))).toBe(false); // centre 40.5 > 40
    expect(hitsLesion(box, at(30, 25))).toBe(false); // centre 30.5 > 30
    expect(hitsLesion(box, at(19, 25))).toBe(false); // centre 19.5 < 20
  });

  it('is the box, not the circle around it', () => {
    // The circle through the box's corners: centre (25, 25), radius hypot(30, 10) / 2 = 15.8.
    const circle = { centerColumn: 25, centerRow: 25, radius: Math.hypot(30, 10) / 2 };
    const belowTheBox = at(35, 25); // 10 from the centre, 5.5 below the box
    expect(hitsLesion(circle, belowTheBox)).toBe(true);
    expect(hitsLesion(box, belowTheBox)).toBe(false);
  });

  it('drives the FROC: a box lesion counts once, a peak outside every box is a false positive', () => {
    const curve = frocCurve([
      // Two peaks in the box (one lesion, counted once) and one outside it.
      { findings: [at(25, 20, 0.9), at(25, 30, 0.8), at(100, 100, 0.7)], lesions: [box] },
      // Its only peak lies just below its box: a miss and a false positive.
      { findings: [at(30, 25, 0.6)], lesions: [box] },
    ]);
    expect(curve.map((p) => [p.threshold, p.falsePositivesPerImage, p.sensitivity])).toEqual([
      [0.9, 0, 0.5],
      [0.8, 0, 0.5],
      [0.7, 0.5, 0.5],
      [0.6, 1, 0.5],
    ]);
    expect(sensitivityAtFalsePositives(curve, 0.25)).toBe(0.5);
  });
});

const row = (pathology: string, breastDensity: number | null, subtlety: number | null): CbisCaseRow => ({
  patientId: 'P_00001',
  laterality: 'L',
  view: 'CC',
  abnormalityId: 1,
  abnormalityType: 'mass',
  breastDensity,
  massShape: null,
  massMargins: null,
  assessment: 4,
  pathology,
  subtlety,
  imagePath: null,
  cropPath: null,
  roiMaskPath: null,
});

describe('CBIS-DDSM groups', () => {
  it('counts BENIGN_WITHOUT_CALLBACK as benign', () => {
    expect(['MALIGNANT', 'BENIGN', 'BENIGN_WITHOUT_CALLBACK', 'other'].map(pathologyGroup)).toEqual([
      'malignant',
      'benign',
      'benign',
      'unknown',
    ]);
  });

  it('keeps a group only where every row of the image agrees', () => {
    expect(cbisGroups([row('BENIGN', 2, 3), row('BENIGN_WITHOUT_CALLBACK', 2, 3)])).toEqual({
      pathology: 'benign',
      density: '2',
      subtlety: '3',
    });
    expect(cbisGroups([row('MALIGNANT', 4, 5), row('BENIGN', 4, 2)])).toEqual({
      pathology: 'unknown',
      density: '4',
      subtlety: 'unknown',
    });
    expect(cbisGroups([row('MALIGNANT', null, 1)])).toEqual({
      pathology: 'malignant',
      density: 'unknown',
      subtlety: '1',
    });
    expect(cbisGroups([])).toEqual({ pathology: 'unknown', density: 'unknown', subtlety: 'unknown' });
  });
});

describe('resultsByGroup', () => {
  const box = (left: number) => ({ left, top: 0, width: 10, height: 10 });
  const cases = [
    // Malignant: two boxes, one hit at 0.8, the other only by a peak at 0.3 (below the threshold).
    { group: 'malignant', lesions: [box(0), box(50)], candidates: [at(5, 5, 0.8), at(5, 55, 0.3)] },
    // Malignant: its box hit at exactly the threshold.
    { group: 'malignant', lesions: [box(0)], candidates: [at(5, 5, 0.5)] },
    // Benign: missed (the peak is elsewhere).
    { group: 'benign', lesions: [box(0)], candidates: [at(5, 80, 0.9)] },
    // Unknown pathology, no lesion: counted as an image, sensitivity undefined.
    { group: 'unknown', lesions: [], candidates: [at(5, 5, 0.9)] },
  ];

  it('counts images, lesions and the lesions hit at or above the threshold, in the given order', () => {
    const results = resultsByGroup(cases, (c) => c.group, PATHOLOGY_GROUPS, 0.5);
    expect(Object.keys(results)).toEqual(['malignant', 'benign', 'unknown']);
    expect(results['malignant']).toEqual({ images: 2, lesions: 3, lesionSensitivityAt1FP: 2 / 3 });
    expect(results['benign']).toEqual({ images: 1, lesions: 1, lesionSensitivityAt1FP: 0 });
    expect(results['unknown']!.images).toBe(1);
    expect(results['unknown']!.lesionSensitivityAt1FP).toBeNaN();
  });

  it('leaves out a group without images', () => {
    const results = resultsByGroup(cases.slice(0, 2), (c) => c.group, PATHOLOGY_GROUPS, 0.2);
    expect(results).toEqual({ malignant: { images: 2, lesions: 3, lesionSensitivityAt1FP: 1 } });
  });
});

describe('bootstrapIntervals', () => {
  it('gives each statistic the interval bootstrapInterval gives it alone (same replicates)', () => {
    const clusters = [[1, 2], [3], [4, 8, 1], [0], [5, 5]];
    const mean = (s: number[]) => s.reduce((a, b) => a + b, 0) / s.length;
    const max = (s: number[]) => Math.max(...s);
    const both = bootstrapIntervals(clusters, (s) => [mean(s), max(s)], { replicates: 200, seed: 3 });
    expect(both).toEqual([
      bootstrapInterval(clusters, mean, { replicates: 200, seed: 3 }),
      bootstrapInterval(clusters, max, { replicates: 200, seed: 3 }),
    ]);
  });
});
