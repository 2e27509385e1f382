import { describe, expect, it } from 'vitest';
import type { EvaluationCase } from '../../main/evaluation/scoreEvaluation.js';
import { bootstrapInterval, seededRandom } from '../../main/evaluation/bootstrap.js';
import { compareOnSet, type GateSet, promotionGate } from '../../main/training/promotionGate.js';

/**
 * A validation image as a model saw it. An abnormal image holds one lesion at (100, 100) radius 10;
 * `hit` puts a finding of score `score` inside it, else the finding lands outside (a false positive).
 * `pixels` are the lesion pixels the model's outline covered (tp) and missed (fn), of 100.
 */
function image(
  name: string,
  patient: string,
  abnormal: boolean,
  score: number,
  { hit = abnormal, tp = 0 }: { hit?: boolean; tp?: number } = {},
): EvaluationCase {
  return {
    imageName: name,
    patientId: patient,
    abnormal,
    lesions: abnormal ? [{ centerColumn: 100, centerRow: 100, radius: 10 }] : [],
    imageScore: score,
    candidates: [{ centroidColumn: hit ? 100 : 400, centroidRow: hit ? 100 : 400, score }],
    pixels: abnormal
      ? { truePositives: tp, falsePositives: 20, falseNegatives: 100 - tp }
      : { truePositives: 0, falsePositives: 20, falseNegatives: 0 },
  };
}

/** 30 patients, two images each (one normal, one abnormal), scores spread so both models overlap. */
function site(name: string, tpOf: (patient: number) => number, scoreShift = 0): EvaluationCase[] {
  const random = seededRandom(7);
  return Array.from({ length: 30 }, (_, p) => {
    const noise = random() * 0.4;
    return [
      image(`${name}-${p}-n`, `P${p}`, false, 0.2 + noise + scoreShift),
      image(`${name}-${p}-a`, `P${p}`, true, 0.4 + noise + scoreShift, { tp: tpOf(p) }),
    ];
  }).flat();
}

describe('promotion gate', () => {
  it('refuses a candidate whose Dice falls on every patient by a little: beyond noise when paired, though inside the spread between patients', () => {
    // Each patient's Dice varies widely (tp 20..78), the candidate's is 4 pixels lower on each.
    const current = site('mias', (p) => 20 + 2 * p);
    const candidate = site('mias', (p) => 16 + 2 * p);
    const set: GateSet = { name: 'mias', role: 'site', candidate, current };
    const verdict = compareOnSet(set);
    const dice = verdict.comparisons.find((c) => c.metric === 'lesionDice')!;
    // Pooled Dice by hand: current tp sum = 30*20 + 2*435 = 1470; fp = 20*60 = 1200; fn = 3000 - 1470.
    expect(dice.current).toBeCloseTo((2 * 1470) / (2 * 1470 + 1200 + 1530), 10);
    expect(dice.candidate).toBeCloseTo((2 * 1350) / (2 * 1350 + 1200 + 1650), 10);
    expect(dice.worse).toBe(true);
    expect(dice.interval!.high).toBeLessThan(0);
    // Unpaired, the difference is noise: the current model's own interval holds the candidate's Dice.
    const patients = [...new Set(current.map((c) => c.patientId))].map((id) =>
      current.filter((c) => c.patientId === id),
    );
    const alone = bootstrapInterval(patients, (sample) => {
      const tp = sample.reduce((n, c) => n + c.pixels.truePositives, 0);
      const wrong = sample.reduce((n, c) => n + c.pixels.falsePositives + c.pixels.falseNegatives, 0);
      return (2 * tp) / (2 * tp + wrong);
    });
    expect(alone.low).toBeLessThan(dice.candidate);
    // AUC and sensitivity are the same images scored the same: no difference at all.
    expect(verdict.comparisons.find((c) => c.metric === 'imageAUC')).toMatchObject({
      difference: 0,
      worse: false,
    });

    const gate = promotionGate('ft-1', 'base', [set]);
    expect(gate.passed).toBe(false);
    expect(gate.promoted).toBe(false);
    expect(gate.reason).toMatch(
      /^Refused: lesion Dice on the site’s mias validation images \(60\) 0\.519 → 0\.486 \(difference −0\.032, 95% CI −0\.0\d\d to −0\.0\d\d\) — worse than base beyond noise\.$/,
    );
  });

  it('passes a candidate within noise, and promotes it only when automatic promotion is asked for', () => {
    // The candidate's Dice is higher on half the patients and lower on the other half.
    const current = site('mias', () => 50);
    const candidate = site('mias', (p) => (p % 2 ? 54 : 46));
    const sets: GateSet[] = [{ name: 'mias', role: 'site', candidate, current }];
    const gate = promotionGate('ft-1', 'base', sets);
    expect(gate.passed).toBe(true);
    expect(gate.promoted).toBe(false);
    expect(gate.reason).toMatch(
      /^Passed: ft-1 is worse than base beyond noise on no metric — image AUC on the site’s mias validation images \(60\) \d\.\d{3} → \d\.\d{3} \(difference \+0\.000, 95% CI/,
    );
    expect(gate.reason).toContain('lesion Dice');
    expect(gate.reason).toContain('lesion sensitivity at 1 FP/image');
    expect(promotionGate('ft-1', 'base', sets, { autoPromote: true }).promoted).toBe(true);
  });

  it('skips image AUC with its reason on a set where every image holds a lesion, and judges the rest', () => {
    // CBIS-DDSM's validation: every image holds a mass.
    const current = Array.from({ length: 20 }, (_, p) =>
      image(`c-${p}`, `C${p}`, true, 0.5, { hit: p % 2 === 0, tp: 40 }),
    );
    const candidate = Array.from({ length: 20 }, (_, p) =>
      image(`c-${p}`, `C${p}`, true, 0.5, { hit: p % 2 === 0, tp: 40 }),
    );
    const gate = promotionGate('ft-1', 'base', [{ name: 'cbis-ddsm', role: 'parent', candidate, current }]);
    const auc = gate.sets![0]!.comparisons.find((c) => c.metric === 'imageAUC')!;
    expect(auc.skipped).toBe('every image holds a lesion (no normal image), so image AUC is undefined');
    expect(auc.interval).toBeUndefined();
    expect(gate.passed).toBe(true);
    expect(gate.reason).toContain(
      'skipped image AUC on the parent’s cbis-ddsm validation images (20) (every image holds a lesion',
    );
    expect(gate.sets![0]!.comparisons.find((c) => c.metric === 'lesionSensitivityAt1FP')).toMatchObject({
      current: 0.5,
      candidate: 0.5,
    });
  });

  it("refuses a candidate that improves on the site's data but forgets the parent's", () => {
    const siteCurrent = site('mias', () => 40);
    const siteCandidate = site('mias', () => 60);
    // On the parent's data the candidate stops finding half the lesions it found.
    const parentCurrent = Array.from({ length: 40 }, (_, p) =>
      image(`c-${p}`, `C${p}`, true, 0.6, { tp: 50 }),
    );
    const parentCandidate = Array.from({ length: 40 }, (_, p) =>
      image(`c-${p}`, `C${p}`, true, 0.6, { hit: p % 2 === 0, tp: 50 }),
    );
    const gate = promotionGate('ft-1', 'base', [
      { name: 'mias', role: 'site', candidate: siteCandidate, current: siteCurrent },
      { name: 'cbis-ddsm', role: 'parent', candidate: parentCandidate, current: parentCurrent },
    ]);
    expect(gate.passed).toBe(false);
    // Lesions: one per abnormal image (30 of the site's 60, all 40 of the parent's).
    expect(gate.sets!.map((s) => [s.name, s.role, s.images, s.patients, s.lesions])).toEqual([
      ['mias', 'site', 60, 30, 30],
      ['cbis-ddsm', 'parent', 40, 40, 40],
    ]);
    const siteDice = gate.sets![0]!.comparisons.find((c) => c.metric === 'lesionDice')!;
    expect(siteDice.difference).toBeGreaterThan(0);
    expect(gate.reason).toMatch(
      /^Refused: it forgets the parent’s data: lesion sensitivity at 1 FP\/image on the parent’s cbis-ddsm validation images \(40\) 1\.000 → 0\.500 \(difference −0\.500, 95% CI/,
    );
    // The table's figures are the site's.
    expect(gate.candidate.lesionDice).toBeCloseTo(siteDice.candidate, 12);
  });

  it('compares only images both models were measured on, and does not pass with nothing measurable', () => {
    const current = [image('a', 'P1', false, 0.1)];
    const candidate = [image('a', 'P1', false, 0.3), image('b', 'P2', true, 0.9)];
    const gate = promotionGate('ft-1', 'base', [{ name: 'mias', role: 'site', candidate, current }]);
    expect(gate.sets![0]!.images).toBe(1);
    expect(gate.passed).toBe(false);
    expect(gate.reason).toMatch(
      /^Not passed: nothing could be measured on the site’s mias validation images \(1\)/,
    );
  });
});
