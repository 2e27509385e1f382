import type { GroundTruthBox, GroundTruthCircle } from '../api/domain.js';
import { findMapPeaks, type MapPeak } from '../inference/mapPeaks.js';

/** A detected finding, reduced to what lesion-level scoring needs: where it points and its score. */
export interface ScoredFinding {
  centroidColumn: number;
  centroidRow: number;
  score: number;
}

/** Where a ground-truth lesion is: a circle (mini-MIAS) or a box (CBIS-DDSM). */
export type LesionRegion = GroundTruthCircle | GroundTruthBox;

/** One image's findings and its ground-truth lesions (only those with a centre). */
export interface FrocCase {
  findings: readonly ScoredFinding[];
  lesions: readonly LesionRegion[];
}

export interface FrocPoint {
  threshold: number;
  falsePositivesPerImage: number;
  sensitivity: number;
}

/**
 * The FROC curve: for every distinct finding score as a threshold, lesion sensitivity against the
 * mean number of false positives per image. A finding is a true positive when its position lies
 * inside a lesion's circle or box; a lesion counts once however many findings hit it, and a finding
 * inside any lesion is never a false positive.
 */
export function frocCurve(cases: readonly FrocCase[]): FrocPoint[] {
  const totalLesions = cases.reduce((n, c) => n + c.lesions.length, 0);
  const events: { score: number; lesionKey: string | null }[] = [];
  cases.forEach((c, caseIndex) => {
    for (const finding of c.findings) {
      const hit = c.lesions.findIndex((lesion) => hitsLesion(lesion, finding));
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

/**
 * Whether a finding's position lies inside a lesion's circle or box (a hit), edges included. A
 * box is in the continuous pixel frame (pixel (r, c) covers [c, c + 1) x [r, r + 1)), so a finding
 * at pixel (r, c) is taken at its centre (c + 0.5, r + 0.5), as the box's inscribed-ellipse label
 * is drawn (groundTruthMask.ts).
 */
export function hitsLesion(lesion: LesionRegion, finding: ScoredFinding): boolean {
  if (!('radius' in lesion)) {
    const x = finding.centroidColumn + 0.5;
    const y = finding.centroidRow + 0.5;
    return (
      x >= lesion.left &&
      x <= lesion.left + lesion.width &&
      y >= lesion.top &&
      y <= lesion.top + lesion.height
    );
  }
  const dx = finding.centroidColumn - lesion.centerColumn;
  const dy = finding.centroidRow - lesion.centerRow;
  return dx * dx + dy * dy <= lesion.radius * lesion.radius;
}

/**
 * FROC candidates of a probability map: its peaks (local maxima of the lesion-scale smoothed map
 * after non-maximum suppression), each at the peak's position and scored by the peak. Connected
 * components at a low threshold would merge the breast into a few blobs whose centroids miss the
 * lesions.
 */
export function frocCandidates(
  probability: ArrayLike<number>,
  rows: number,
  columns: number,
  spacingMm: number,
): ScoredFinding[] {
  return peakCandidates(findMapPeaks(probability, rows, columns, spacingMm));
}

/** Peaks as FROC candidates. */
export function peakCandidates(peaks: readonly MapPeak[]): ScoredFinding[] {
  return peaks.map((p) => ({ centroidColumn: p.column, centroidRow: p.row, score: p.score }));
}
