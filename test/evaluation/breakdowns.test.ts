import { describe, expect, it } from 'vitest';
import {
  bilateralScores,
  frocThresholdAt,
  miasBreastDensity,
  miasLesionType,
  resultsByBreastDensity,
  resultsByLesionType,
  type TypedCase,
} from '../../main/evaluation/breakdowns.js';
import { frocCurve } from '../../main/evaluation/froc.js';

const lesion = (row: number, type: TypedCase['types'][number]) => ({
  centerRow: row,
  centerColumn: 50,
  radius: 10,
  type,
});
const at = (row: number, score: number) => ({ centroidRow: row, centroidColumn: 50, score });

describe('miasLesionType', () => {
  it('groups the mini-MIAS classes (README-MIAS: CALC, CIRC, SPIC, MISC, ARCH, ASYM, NORM)', () => {
    expect(['CALC', 'CIRC', 'SPIC', 'MISC', 'ARCH', 'ASYM', 'NORM'].map(miasLesionType)).toEqual([
      'calcification',
      'mass',
      'mass',
      'mass',
      'distortion',
      'asymmetry',
      null,
    ]);
  });
});

describe('resultsByLesionType', () => {
  it('scores each type against the normals, at the overall 1 FP/image threshold', () => {
    const cases: TypedCase[] = [
      // A mass found at 0.9 and a calcification missed (its only candidate is elsewhere).
      {
        patientId: 'A',
        laterality: 'R',
        abnormal: true,
        imageScore: 0.9,
        types: ['mass'],
        lesions: [lesion(20, 'mass')],
        candidates: [at(20, 0.9)],
      },
      {
        patientId: 'B',
        laterality: 'R',
        abnormal: true,
        imageScore: 0.3,
        types: ['calcification'],
        lesions: [lesion(20, 'calcification')],
        candidates: [at(80, 0.3)],
      },
      {
        patientId: 'C',
        laterality: 'R',
        abnormal: false,
        imageScore: 0.5,
        types: [],
        lesions: [],
        candidates: [at(50, 0.5)],
      },
      {
        patientId: 'D',
        laterality: 'R',
        abnormal: false,
        imageScore: 0.1,
        types: [],
        lesions: [],
        candidates: [at(50, 0.1)],
      },
    ];
    const curve = frocCurve(cases.map((c) => ({ findings: c.candidates, lesions: c.lesions })));
    // 4 images: 3 false positives (0.5, 0.3, 0.1) are 0.75 FP/image, all allowed at 1 FP/image.
    expect(frocThresholdAt(curve, 1)).toBe(0.1);
    const byType = resultsByLesionType(cases, curve);
    expect(byType.mass).toEqual({ abnormalImages: 1, lesions: 1, imageAUC: 1, lesionSensitivityAt1FP: 1 });
    // The calcification image (0.3) ranks above one normal (0.1) and below the other (0.5).
    expect(byType.calcification).toEqual({
      abnormalImages: 1,
      lesions: 1,
      imageAUC: 0.5,
      lesionSensitivityAt1FP: 0,
    });
    expect(byType.distortion).toBeUndefined();
  });
});

describe('miasBreastDensity', () => {
  it('reads the background tissue letter (README-MIAS: F fatty, G fatty-glandular, D dense-glandular)', () => {
    expect(['F', 'G', 'D', 'd', '', null].map(miasBreastDensity)).toEqual([
      'fatty',
      'fatty-glandular',
      'dense-glandular',
      'dense-glandular',
      null,
      null,
    ]);
  });
});

describe('resultsByBreastDensity', () => {
  it('ranks abnormal against normal images of the same density only', () => {
    const image = (
      patientId: string,
      density: 'fatty' | 'dense-glandular' | null,
      imageScore: number,
      lesionRow: number | null,
    ) => ({
      patientId,
      laterality: 'R',
      density,
      abnormal: lesionRow !== null,
      imageScore,
      types: lesionRow === null ? [] : (['mass'] as const),
      lesions: lesionRow === null ? [] : [lesion(lesionRow, 'mass')],
      candidates: [at(20, imageScore)],
    });
    const cases = [
      // Fatty: the lesion (0.8, found at row 20) outranks both fatty normals.
      image('A', 'fatty', 0.8, 20),
      image('B', 'fatty', 0.4, null),
      image('C', 'fatty', 0.2, null),
      // Dense: a dense normal (0.9) outranks the dense lesion (0.6), whose peak is elsewhere.
      image('D', 'dense-glandular', 0.6, 80),
      image('E', 'dense-glandular', 0.9, null),
      // No tissue recorded: left out of every group.
      image('F', null, 0.1, null),
    ];
    const curve = frocCurve(cases.map((c) => ({ findings: c.candidates, lesions: c.lesions })));
    const byDensity = resultsByBreastDensity(cases, curve);
    expect(byDensity.fatty).toEqual({
      images: 3,
      abnormalImages: 1,
      lesions: 1,
      imageAUC: 1,
      lesionSensitivityAt1FP: 1,
    });
    // Pooled, the dense normal (0.9) outranks every lesion; within the dense group AUC is 0 of 1 pair.
    expect(byDensity['dense-glandular']).toEqual({
      images: 2,
      abnormalImages: 1,
      lesions: 1,
      imageAUC: 0,
      lesionSensitivityAt1FP: 0,
    });
    expect(byDensity['fatty-glandular']).toBeUndefined();
  });
});

describe('bilateralScores', () => {
  it("subtracts the other breast's score of the same patient, and keeps an unpaired image's own", () => {
    const base = { abnormal: false, types: [], lesions: [], candidates: [] };
    const scores = bilateralScores([
      { ...base, patientId: 'A', laterality: 'R', imageScore: 0.9 },
      { ...base, patientId: 'A', laterality: 'L', imageScore: 0.6 },
      { ...base, patientId: 'B', laterality: 'L', imageScore: 0.4 },
    ]);
    expect(scores[0]).toBeCloseTo(0.3);
    expect(scores[1]).toBeCloseTo(-0.3);
    expect(scores[2]).toBeCloseTo(0.4);
  });
});
