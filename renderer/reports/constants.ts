/** Defaults and labels of the report panel, in one place. */
import type { BiRadsCategory, DensityCategory, ExportKind } from '../../main/api/reports.js';

export const REPORT_DEFAULTS = Object.freeze({
  /** Quiet time after the last change before the draft is saved. */
  autosaveMs: 600,
  /** Files of one export listed by name; the rest are counted. */
  filesShown: 6,
});

/** BI-RADS assessment categories as the form offers them. */
export const BIRADS_LABELS: Readonly<Record<BiRadsCategory, string>> = Object.freeze({
  '0': '0 – Incomplete: needs additional imaging',
  '1': '1 – Negative',
  '2': '2 – Benign',
  '3': '3 – Probably benign',
  '4': '4 – Suspicious',
  '4A': '4A – Low suspicion for malignancy',
  '4B': '4B – Moderate suspicion for malignancy',
  '4C': '4C – High suspicion for malignancy',
  '5': '5 – Highly suggestive of malignancy',
  '6': '6 – Known biopsy-proven malignancy',
});

export const DENSITY_LABELS: Readonly<Record<DensityCategory, string>> = Object.freeze({
  a: 'a – Almost entirely fatty',
  b: 'b – Scattered fibroglandular densities',
  c: 'c – Heterogeneously dense',
  d: 'd – Extremely dense',
});

export interface ExportButton {
  kind: ExportKind;
  label: string;
  title: string;
}

/** One button per export, in the order the panel shows them. */
export const EXPORT_BUTTONS: readonly ExportButton[] = Object.freeze([
  { kind: 'pdf', label: 'PDF', title: 'The report as a PDF, with key images and overlays' },
  { kind: 'json', label: 'JSON', title: 'The report as JSON (the same content as the PDF)' },
  { kind: 'seg', label: 'DICOM SEG', title: 'Binary DICOM SEG of the final masks, one per image' },
  {
    kind: 'fractional-seg',
    label: 'Fractional SEG',
    title: 'Fractional DICOM SEG of the AI probability maps, one per analysed image',
  },
  { kind: 'sr', label: 'CAD SR', title: 'Mammography CAD SR (TID 4000) of the AI findings' },
  {
    kind: 'training',
    label: 'Training (de-identified)',
    title: "The study's training samples, de-identified, for research partners",
  },
]);
