import type { CbisCaseRow } from '../studies/cbis/caseTable.js';
import { sensitivityAt } from './breakdowns.js';
import type { LesionRegion, ScoredFinding } from './froc.js';

/** Pathology as results are reported: BENIGN_WITHOUT_CALLBACK is benign. */
export type PathologyGroup = 'malignant' | 'benign' | 'unknown';

/** The groups a CBIS-DDSM image's lesions are reported in, from its case table rows. */
export interface CbisGroups {
  pathology: PathologyGroup;
  /** BI-RADS breast density '1'-'4', or 'unknown'. */
  density: string;
  /** Subtlety '1' (subtle) to '5' (obvious), or 'unknown'. */
  subtlety: string;
}

/** The report order of each breakdown's groups (a group without images is left out). */
export const PATHOLOGY_GROUPS = ['malignant', 'benign', 'unknown'] as const;
export const DENSITY_GROUPS = ['1', '2', '3', '4', 'unknown'] as const;
export const SUBTLETY_GROUPS = ['1', '2', '3', '4', '5', 'unknown'] as const;
export const VIEW_GROUPS = ['CC', 'MLO'] as const;

/** MALIGNANT is malignant; BENIGN and BENIGN_WITHOUT_CALLBACK are benign; anything else unknown. */
export function pathologyGroup(pathology: string): PathologyGroup {
  const value = pathology.toUpperCase();
  if (value === 'MALIGNANT') return 'malignant';
  return value === 'BENIGN' || value === 'BENIGN_WITHOUT_CALLBACK' ? 'benign' : 'unknown';
}

/**
 * An image's groups. Which box is which case row is not recorded, so a group is known only where
 * every row of the image agrees (a benign and a malignant mass in one image: pathology unknown);
 * an image with no row is unknown throughout.
 */
export function cbisGroups(rows: readonly CbisCaseRow[]): CbisGroups {
  const agreed = (values: readonly string[]): string =>
    values.length > 0 && values.every((v) => v === values[0]) ? values[0]! : 'unknown';
  return {
    pathology: agreed(rows.map((r) => pathologyGroup(r.pathology))) as PathologyGroup,
    density: agreed(rows.map((r) => (r.breastDensity === null ? 'unknown' : String(r.breastDensity)))),
    subtlety: agreed(rows.map((r) => (r.subtlety === null ? 'unknown' : String(r.subtlety)))),
  };
}

/** An evaluated image as a breakdown counts it. */
export interface GroupedCase {
  lesions: readonly LesionRegion[];
  candidates: readonly ScoredFinding[];
}

export interface GroupResult {
  images: number;
  lesions: number;
  /** Share of the group's lesions hit at the overall 1 false positive per image threshold; NaN without lesions. */
  lesionSensitivityAt1FP: number;
}

/**
 * Lesion counts and sensitivity per group at one candidate threshold (the overall 1-FP/image
 * operating point, as the mini-MIAS breakdowns use): a lesion is hit by a candidate of its own
 * image at or above the threshold. Groups are reported in `order`; a group without images is left out.
 */
export function resultsByGroup<C extends GroupedCase>(
  cases: readonly C[],
  groupOf: (c: C) => string,
  order: readonly string[],
  threshold: number,
): Record<string, GroupResult> {
  const out: Record<string, GroupResult> = {};
  for (const group of order) {
    const members = cases.filter((c) => groupOf(c) === group);
    if (members.length === 0) continue;
    const lesions = members.flatMap((c) => c.lesions.map((lesion) => ({ lesion, candidates: c.candidates })));
    out[group] = {
      images: members.length,
      lesions: lesions.length,
      lesionSensitivityAt1FP: sensitivityAt(lesions, threshold),
    };
  }
  return out;
}
