/**
 * De-identified export of a study's training samples, for sharing with research partners.
 *
 * Each sample PNG (scan in red, mask in green) is decoded and re-encoded from its pixels alone, so
 * no PNG text chunk or other metadata travels. File names and the manifest use a pseudonym
 * ("case-1") instead of any identifier.
 *
 * Kept: the pixels of the scan and of the mask, laterality, view, pixel spacing, rows and columns,
 * sample kind and split, label source, annotation version, positive pixel count, and the sha256 of
 * each exported file. Removed: patient ID, name, birth date and sex; study, series and instance
 * UIDs; study date and accession number; the reader's name; workspace paths and the original
 * files' hashes (which would link back to the source). Burned-in text: mini-MIAS films carry none;
 * DICOM images whose BurnedInAnnotation is YES are left out (the pixels cannot be cleaned
 * reliably), and those without the attribute are exported with a note to check them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import type { Image } from '../api/domain.js';
import type { TrainingSample } from '../api/training.js';
import { writeFileAtomic } from '../common/atomicWrite.js';
import { sha256Hex } from '../common/sha256.js';
import type { Workspace } from '../workspace/Workspace.js';

export const TRAINING_EXPORT_KEPT = [
  'scan and mask pixels (RGB PNG: scan in red, mask 255 inside in green)',
  'laterality and view',
  'pixel spacing (mm), rows and columns',
  'sample kind (full scan or crop around a finding) and train/validation split',
  'label source (ground truth or annotation) and annotation version',
  'positive (mask) pixel count',
  'sha256 of each exported PNG',
] as const;

export const TRAINING_EXPORT_REMOVED = [
  'patient ID, name, birth date and sex',
  'study, series and SOP instance UIDs',
  'study date, accession number, study description',
  "reader's name",
  'workspace paths and hashes of the original files',
  'any PNG metadata chunks (the images are re-encoded from their pixels)',
] as const;

export interface TrainingExportImage {
  image: Image;
  /** The patient the image belongs to: one patient is one pseudonymous case, whatever the image count. */
  patientId: string;
  /** BurnedInAnnotation of a DICOM source, null when absent or not DICOM. */
  burnedInAnnotation: string | null;
}

/**
 * Writes the samples of a study's images into an (empty, temporary) folder; returns the files and
 * notes. With no sample to export it writes nothing and returns no files (so the caller makes no folder).
 */
export function writeTrainingExport(
  workspace: Workspace,
  folder: string,
  images: readonly TrainingExportImage[],
  samples: readonly TrainingSample[],
): { files: string[]; notes: string[] } {
  const notes: string[] = [];
  const files: string[] = [];
  const manifest: Record<string, unknown>[] = [];
  const caseOf = new Map<number, string>();
  const caseOfPatient = new Map<string, string>();
  const withSamples = new Set(samples.map((sample) => sample.imageId));
  for (const { image, patientId, burnedInAnnotation } of images) {
    if (!withSamples.has(image.id)) continue;
    if (burnedInAnnotation?.toUpperCase() === 'YES') {
      notes.push(`image ${image.id} left out: its DICOM header says it has burned-in annotation`);
      continue;
    }
    if (image.format === 'dicom' && burnedInAnnotation === null)
      notes.push(
        `image ${image.id}: no BurnedInAnnotation attribute; check the pixels for burned-in text before sharing`,
      );
    if (!caseOfPatient.has(patientId)) caseOfPatient.set(patientId, `case-${caseOfPatient.size + 1}`);
    caseOf.set(image.id, caseOfPatient.get(patientId)!);
  }
  const exported = samples.filter((sample) => caseOf.has(sample.imageId));
  if (exported.length === 0) {
    notes.push('the study has no training samples to export');
    return { files: [], notes };
  }
  mkdirSync(join(folder, 'images'), { recursive: true });
  const counters = new Map<string, number>();
  for (const sample of exported) {
    const pseudonym = caseOf.get(sample.imageId)!;
    const image = images.find((i) => i.image.id === sample.imageId)!.image;
    const n = (counters.get(pseudonym) ?? 0) + 1;
    counters.set(pseudonym, n);
    const name = `${pseudonym}-${image.laterality ?? 'X'}${image.view ?? ''}-${sample.kind}-${n}.png`;
    const source = workspace.resolvePath(sample.path);
    let png;
    try {
      png = decode(readFileSync(source));
    } catch (error) {
      throw new Error(`${source}: cannot read training sample ${sample.id} (${(error as Error).message})`, {
        cause: error,
      });
    }
    const bytes = encode({
      width: png.width,
      height: png.height,
      data: png.data,
      channels: png.channels,
      depth: png.depth,
    });
    const target = join(folder, 'images', name);
    writeFileAtomic(target, bytes);
    files.push(target);
    manifest.push({
      file: `images/${name}`,
      sha256: sha256Hex(bytes),
      case: pseudonym,
      laterality: image.laterality,
      view: image.view,
      rows: sample.rows,
      columns: sample.columns,
      pixelSpacingMm: sample.pixelSpacingMm,
      kind: sample.kind,
      split: sample.split,
      labelSource: sample.labelSource,
      annotationVersion: sample.annotationVersion,
      positivePixels: sample.positivePixels,
    });
  }
  const manifestPath = join(folder, 'manifest.json');
  writeFileAtomic(
    manifestPath,
    `${JSON.stringify({ format: 'mammo-workstation.training-export/1', kept: TRAINING_EXPORT_KEPT, removed: TRAINING_EXPORT_REMOVED, samples: manifest }, null, 2)}\n`,
  );
  const readme = [
    'De-identified training samples exported by Mammo Workstation (research software).',
    'Each PNG holds the scan in the red channel and the mask (255 inside) in the green channel.',
    '',
    'Kept:',
    ...TRAINING_EXPORT_KEPT.map((k) => `- ${k}`),
    '',
    'Removed:',
    ...TRAINING_EXPORT_REMOVED.map((k) => `- ${k}`),
    '',
    'Burned-in text: mini-MIAS films carry none. DICOM images marked BurnedInAnnotation=YES are left out.',
    ...(notes.length ? ['', 'Notes:', ...notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
  const readmePath = join(folder, 'README.txt');
  writeFileAtomic(readmePath, readme);
  return { files: [...files, manifestPath, readmePath], notes };
}
