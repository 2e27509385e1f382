import type { GroundTruthCircle } from '../api/domain.js';
import { extractFindings } from '../inference/findings.js';

/** A detected finding, reduced to what lesion-level scoring needs. */
export interface ScoredFinding {
  centroidColumn: number;
  centroidRow: number;
  score: number;
}

/** One image's findings and its ground-truth lesions (only those with a centre). */
export interface FrocCase {
  findings: readonly ScoredFinding[];
  lesions: readonly GroundTruthCircle[];
}

export interface FrocPoint {
  threshold: number;
  falsePositivesPerImage: number;
  sensitivity: number;
}

/**
 * The FROC curve: for every distinct finding score as a threshold, lesion sensitivity against the
 * mean number of false positives per image. A finding is a true positive when its centroid lies
 * inside a lesion's circle; a lesion counts once however many findings hit it, and a finding
 * inside any lesion is never a false positive.
 */
export function frocCurve(cases: readonly FrocCase[]): FrocPoint[] {
  const totalLesions = cases.reduce((n, c) => n + c.lesions.length, 0);
  const events: { score: number; lesionKey: string | null }[] = [];
  cases.forEach((c, caseIndex) => {
    for (const finding of c.findings) {
      const hit = c.lesions.findIndex((lesion) => contains(lesion, finding));
      events.push({ score: finding.score, lesionKey: hit >= 0 ? `${caseIndex}:${hit}` : null });
    }
  });
  events.sort((a, b) => b.score - a.score);
  const points: FrocPoint[] = [];
  const hitLesions = new Set<string>();
  let falsePositives = 0;
  for (let i = 0; i < events.length;) {
    const score = events[i]!.score;
    for (; i < events.length && events[i]!.score === score; i++) {
      const key = events[i]!.lesionKey;
      if (key === null) falsePositives++;
      else hitLesions.add(key);
    }
    points.push({
      threshold: score,
      falsePositivesPerImage: falsePositives / Math.max(1, cases.length),
      sensitivity: totalLesions ? hitLesions.size / totalLesions : Number.NaN,
    });
  }
  return points;
}

/** The best sensitivity reachable with at most `fpPerImage` false positives per image. */
export function sensitivityAtFalsePositives(curve: readonly FrocPoint[], fpPerImage: number): number {
  let best = 0;
  for (const point of curve) {
    if (point.falsePositivesPerImage <= fpPerImage) best = Math.max(best, point.sensitivity);
  }
  return best;
}

function contains(lesion: GroundTruthCircle, finding: ScoredFinding): boolean {
  const dx = finding.centroidColumn - lesion.centerColumn;
  const dy = finding.centroidRow - lesion.centerRow;
  return dx * dx + dy * dy <= lesion.radius * lesion.radius;
}

/** FROC candidates are outlined lower than the operating threshold, so the curve reaches low scores. */
export const FROC_CANDIDATE_THRESHOLD = 0.1;

/** Candidate findings of a probability map for FROC, each scored by its maximum probability. */
export function frocCandidates(
  probability: ArrayLike<number>,
  rows: number,
  columns: number,
): ScoredFinding[] {
  return extractFindings(probability, rows, columns, FROC_CANDIDATE_THRESHOLD, null).map((f) => ({
    centroidColumn: f.centroidColumn,
    centroidRow: f.centroidRow,
    score: f.maxProbability,
  }));
}
