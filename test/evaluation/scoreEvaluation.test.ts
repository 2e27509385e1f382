import { describe, expect, it } from 'vitest';
import { scoreEvaluation, type EvaluationCase } from '../../main/evaluation/scoreEvaluation.js';
import { sha256Hex } from '../../main/common/sha256.js';
import { developmentFold, developmentSplit, patientSplit } from '../../main/training/patientSplit.js';

const lesion = { centerColumn: 50, centerRow: 50, radius: 10 };
function evalCase(patientId: string, abnormal: boolean, score: number, hit: boolean): EvaluationCase {
  return {
    imageName: `${patientId}-${score}`,
    patientId,
    abnormal,
    lesions: abnormal ? [lesion] : [],
    imageScore: score,
    candidates: hit
      ? [{ centroidColumn: 52, centroidRow: 49, score }]
      : [{ centroidColumn: 5, centroidRow: 5, score: score / 2 }],
    pixels: { truePositives: hit ? 10 : 0, falsePositives: 2, falseNegatives: !abnormal ? 0 : hit ? 2 : 12 },
  };
}

describe('scoreEvaluation', () => {
  it('combines image, lesion and pixel metrics with patient-bootstrap intervals', () => {
    const cases = [
      evalCase('p1', true, 0.9, true),
      evalCase('p1', false, 0.2, false),
      evalCase('p2', true, 0.7, true),
      evalCase('p2', false, 0.4, false),
      evalCase('p3', true, 0.3, false),
      evalCase('p3', false, 0.1, false),
    ];
    const report = scoreEvaluation(cases, 0.5, { replicates: 200 });
    expect(report).toMatchObject({ images: 6, patients: 3, abnormalImages: 3, lesions: 3 });
    expect(report.imageAUC).toBeCloseTo(8 / 9);
    expect(report.imageSensitivity).toBeCloseTo(2 / 3);
    expect(report.imageSpecificity).toBe(1);
    // Two of three lesions are hit by their top-scoring findings with no false positive above them.
    expect(report.lesionSensitivityAt1FP).toBeCloseTo(2 / 3);
    expect(report.lesionSensitivityAtFP['0.25']).toBeCloseTo(2 / 3);
    expect(report.lesionDice).toBeCloseTo((2 * 20) / (2 * 20 + 12 + 16));
    expect(report.ci.imageAUC.low).toBeLessThanOrEqual(report.imageAUC);
    expect(report.ci.imageAUC.high).toBeGreaterThanOrEqual(report.imageAUC);
  });
});

describe('patientSplit', () => {
  it('is stable and holds out about a quarter of patients', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `MIAS-${String(i).padStart(3, '0')}`);
    const first = ids.map((id) => patientSplit(id));
    expect(ids.map((id) => patientSplit(id))).toEqual(first);
    const share = first.filter((s) => s === 'validation').length / ids.length;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.32);
    // Pinned: changing the hash would silently move patients between splits.
    expect(['MIAS-001', 'MIAS-002', 'MIAS-003'].map((id) => patientSplit(id))).toMatchSnapshot();
  });
});

describe('development folds', () => {
  const ids = Array.from({ length: 400 }, (_, i) => `MIAS-${String(i).padStart(3, '0')}`);

  it('hold out each training patient in exactly one of four folds, about a quarter each', () => {
    for (const id of ids) {
      const tuned = [0, 1, 2, 3].filter((fold) => developmentSplit(id, fold) === 'tune');
      expect(tuned).toEqual([developmentFold(id)]);
    }
    for (const fold of [0, 1, 2, 3]) {
      const share = ids.filter((id) => developmentFold(id) === fold).length / ids.length;
      expect(share).toBeGreaterThan(0.18);
      expect(share).toBeLessThan(0.32);
    }
  });

  it('keep fold 0 as the development split the experiment log used (hash bucket below a quarter)', () => {
    for (const id of ids) {
      const bucket = Number.parseInt(sha256Hex(`mammo-dev-split-v1:${id}`).slice(0, 8), 16) / 2 ** 32;
      expect(developmentSplit(id)).toBe(bucket < 0.25 ? 'tune' : 'fit');
    }
  });
});
