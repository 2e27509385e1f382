import { groundTruthFindingType } from '../api/detectedFindings.js';
import type { GroundTruthCircle } from '../api/domain.js';
import { hitsLesion, type FrocPoint, type LesionRegion, type ScoredFinding } from './froc.js';
import { rocAuc } from './rocAuc.js';

/** The lesion groups results are reported by. */
export type LesionType = 'mass' | 'calcification' | 'distortion' | 'asymmetry';

/** mini-MIAS abnormality classes by group (CIRC, SPIC and MISC are masses), as every ground truth's. */
export const miasLesionType: (abnormalityClass: string) => LesionType | null = groundTruthFindingType;

/** An evaluated image with its lesions' types. */
export interface TypedCase {
  patientId: string;
  /** 'L' or 'R': the other breast of the same patient and view is its bilateral partner. */
  laterality: string;
  abnormal: boolean;
  imageScore: number;
  /** Lesion types of the image's records, with or without a centre. */
  types: readonly LesionType[];
  /** Lesions with a centre, each with its type. */
  lesions: readonly (GroundTruthCircle & { type: LesionType | null })[];
  candidates: readonly ScoredFinding[];
}

export interface TypeResult {
  abnormalImages: number;
  lesions: number;
  /** Images with this type against the normal images. */
  imageAUC: number;
  /** Share of this type's lesions hit at the overall 1 false positive per image operating point. */
  lesionSensitivityAt1FP: number;
}

/** The lowest candidate score that keeps the overall FROC at or under `fpPerImage`. */
export function frocThresholdAt(curve: readonly FrocPoint[], fpPerImage: number): number {
  let best: FrocPoint | undefined;
  for (const point of curve) {
    if (point.falsePositivesPerImage <= fpPerImage && (!best || point.sensitivity >= best.sensitivity))
      best = point;
  }
  return best?.threshold ?? Number.POSITIVE_INFINITY;
}

/** Share of the lesions hit by a candidate of their image scoring at least `threshold`; NaN without lesions. */
export function sensitivityAt(
  lesions: readonly { lesion: LesionRegion; candidates: readonly ScoredFinding[] }[],
  threshold: number,
): number {
  if (lesions.length === 0) return Number.NaN;
  const hit = lesions.filter(({ lesion, candidates }) =>
    candidates.some((f) => f.score >= threshold && hitsLesion(lesion, f)),
  ).length;
  return hit / lesions.length;
}

/** Image AUC and lesion sensitivity per lesion type, at the overall 1-FP operating point. */
export function resultsByLesionType(
  cases: readonly TypedCase[],
  curve: readonly FrocPoint[],
): Partial<Record<LesionType, TypeResult>> {
  const threshold = frocThresholdAt(curve, 1);
  const normals = cases.filter((c) => !c.abnormal);
  const out: Partial<Record<LesionType, TypeResult>> = {};
  for (const type of ['mass', 'calcification', 'distortion', 'asymmetry'] as const) {
    const withType = cases.filter((c) => c.types.includes(type));
    if (withType.length === 0) continue;
    const lesions = cases.flatMap((c) =>
      c.lesions.filter((l) => l.type === type).map((lesion) => ({ lesion, candidates: c.candidates })),
    );
    out[type] = {
      abnormalImages: withType.length,
      lesions: lesions.length,
      imageAUC: rocAuc(
        [...withType, ...normals].map((c) => c.imageScore),
        [...withType, ...normals].map((c) => c.abnormal),
      ),
      lesionSensitivityAt1FP: sensitivityAt(lesions, threshold),
    };
  }
  return out;
}

/** Background tissue as mini-MIAS records it (README-MIAS: F fatty, G fatty-glandular, D dense-glandular). */
export type BreastDensity = 'fatty' | 'fatty-glandular' | 'dense-glandular';

/** The mini-MIAS tissue letter as a {@link BreastDensity}; null when absent or unknown. */
export function miasBreastDensity(tissue: string | null): BreastDensity | null {
  switch (tissue?.toUpperCase()) {
    case 'F':
      return 'fatty';
    case 'G':
      return 'fatty-glandular';
    case 'D':
      return 'dense-glandular';
    default:
      return null;
  }
}

export interface DensityResult {
  images: number;
  abnormalImages: number;
  lesions: number;
  /** Abnormal against normal images of the same density: does the model read this kind of breast? */
  imageAUC: number;
  /** Share of these images' lesions hit at the overall 1 false positive per image operating point. */
  lesionSensitivityAt1FP: number;
}

/**
 * Image AUC and lesion sensitivity within each breast density. Dense tissue hides lesions
 * (masking), so a model can read fatty breasts and not dense ones; one overall AUC then depends
 * on a test set's density mix (models/EXPERIMENTS.md, E14).
 */
export function resultsByBreastDensity(
  cases: readonly (TypedCase & { density: BreastDensity | null })[],
  curve: readonly FrocPoint[],
): Partial<Record<BreastDensity, DensityResult>> {
  const threshold = frocThresholdAt(curve, 1);
  const out: Partial<Record<BreastDensity, DensityResult>> = {};
  for (const density of ['fatty', 'fatty-glandular', 'dense-glandular'] as const) {
    const group = cases.filter((c) => c.density === density);
    if (group.length === 0) continue;
    const lesions = group.flatMap((c) => c.lesions.map((lesion) => ({ lesion, candidates: c.candidates })));
    out[density] = {
      images: group.length,
      abnormalImages: group.filter((c) => c.abnormal).length,
      lesions: lesions.length,
      imageAUC: rocAuc(
        group.map((c) => c.imageScore),
        group.map((c) => c.abnormal),
      ),
      lesionSensitivityAt1FP: sensitivityAt(lesions, threshold),
    };
  }
  return out;
}

/**
 * Bilateral comparison, as a reader compares left with right: each image's score minus its
 * partner's (same patient, other breast); an image without a partner keeps its score.
 */
export function bilateralScores(cases: readonly TypedCase[]): number[] {
  return cases.map((c) => {
    const partner = cases.find(
      (o) => o !== c && o.patientId === c.patientId && o.laterality !== c.laterality,
    );
    return partner ? c.imageScore - partner.imageScore : c.imageScore;
  });
}
