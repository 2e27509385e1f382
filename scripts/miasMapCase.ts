import type { MiasRecord } from '../main/studies/mias/miasAnnotations.js';
import { miasCaseIdentity } from '../main/studies/mias/miasCaseIdentity.js';
import { developmentFold, patientSplit } from '../main/training/patientSplit.js';

/**
 * The truth and splits of one mini-MIAS image in the map caches of the analysis scripts
 * (scripts/cacheMiasMaps.ts format): lesions on a grid of `factor` image pixels per cell.
 */
export function miasMapCase(
  refnum: string,
  records: readonly MiasRecord[],
  imageRows: number,
  factor: number,
) {
  const { patientId } = miasCaseIdentity(refnum);
  return {
    refnum,
    patientId,
    split: patientSplit(patientId),
    devFold: developmentFold(patientId),
    abnormal: records.some((r) => r.abnormalityClass !== 'NORM'),
    lesions: records
      .filter((r) => r.x !== null && r.y !== null && r.radius !== null)
      // MIAS y counts from the bottom; on the grid, rows count from the top.
      .map((r) => ({
        type: r.abnormalityClass,
        row: (imageRows - r.y!) / factor,
        column: r.x! / factor,
        radius: r.radius! / factor,
      })),
  };
}
