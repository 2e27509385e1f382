/**
 * Reads a DICOM Segmentation back as an annotation: each referenced image in the workspace gets a
 * new annotation version whose mask is the union of the segments on its frames (binary: set bits;
 * fractional: values at or above half the maximum fractional value). The SEG's instance UID is
 * recorded in the audit log, so importing the same file again changes nothing.
 */
import { encode } from 'fast-png';
import type { AnnotationService } from '../../annotations/AnnotationService.js';
import { StudyRepository } from '../../db/StudyRepository.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { type Dataset, readPart10, SEGMENTATION_SOP_CLASS } from './dicomCommon.js';
import { unpackBits } from './segmentation.js';

export interface SegmentationImport {
  outcome: 'imported' | 'skipped';
  studyPk: number;
  annotationIds: number[];
}

/** A SEG that cannot be imported; the message is the reason (the batch adds the file name). */
export class SegmentationImportError extends Error {}

export class SegmentationImporter {
  private readonly studies: StudyRepository;

  constructor(
    private readonly workspace: Workspace,
    private readonly annotations: AnnotationService,
  ) {
    this.studies = new StudyRepository(workspace.db);
  }

  async importBytes(bytes: Uint8Array): Promise<SegmentationImport> {
    let ds: Dataset;
    try {
      ds = readPart10(bytes);
    } catch (error) {
      throw new SegmentationImportError(`not a readable DICOM file (${(error as Error).message})`, {
        cause: error,
      });
    }
    if (ds['SOPClassUID'] !== SEGMENTATION_SOP_CLASS)
      throw new SegmentationImportError(`not a DICOM Segmentation (SOP class ${String(ds['SOPClassUID'])})`);
    const segUid = String(ds['SOPInstanceUID']);
    const masks = this.readMasks(ds);
    const first = masks.values().next().value;
    if (!first) throw new SegmentationImportError('the segmentation has no frames');
    const studyPk = first.image.studyId;
    const done = this.workspace.db
      .prepare("SELECT 1 FROM audit_log WHERE action = 'segmentation.imported' AND subject = ? LIMIT 1")
      .get(segUid);
    if (done) return { outcome: 'skipped', studyPk, annotationIds: [] };

    const author = personName(ds['ContentCreatorName']) || 'DICOM SEG import';
    const annotationIds: number[] = [];
    for (const { image, mask } of masks.values()) {
      const png = encode({ width: image.columns, height: image.rows, data: mask, channels: 1, depth: 8 });
      const saved = await this.annotations.save({
        imageId: image.id,
        maskPng: Buffer.from(png).toString('base64'),
        author,
        findings: { decisions: [], added: [] },
      });
      annotationIds.push(saved.id);
    }
    this.workspace.db
      .prepare(
        "INSERT INTO audit_log (at, actor, action, subject, details_json) VALUES (?, ?, 'segmentation.imported', ?, ?)",
      )
      .run(new Date().toISOString(), author, segUid, JSON.stringify({ annotationIds }));
    return { outcome: 'imported', studyPk, annotationIds };
  }

  private readMasks(ds: Dataset) {
    const rows = Number(ds['Rows']);
    const columns = Number(ds['Columns']);
    const frames = Number(ds['NumberOfFrames'] ?? 1);
    const type = String(ds['SegmentationType'] ?? '');
    if (type !== 'BINARY' && type !== 'FRACTIONAL')
      throw new SegmentationImportError(`unsupported SegmentationType ${type}`);
    const pixelData = ds['PixelData'];
    const buffer = Array.isArray(pixelData) ? pixelData[0] : pixelData;
    if (!(buffer instanceof ArrayBuffer)) throw new SegmentationImportError('no uncompressed pixel data');
    const bytes = new Uint8Array(buffer);
    const shared = first(ds['SharedFunctionalGroupsSequence']);
    const perFrame = asArray(ds['PerFrameFunctionalGroupsSequence']);
    const cut = Math.ceil(Number(ds['MaximumFractionalValue'] ?? 255) / 2);
    const pixels = rows * columns;
    const masks = new Map<
      number,
      { image: NonNullable<ReturnType<StudyRepository['getImage']>>; mask: Uint8Array }
    >();
    for (let f = 0; f < frames; f++) {
      const groups = perFrame[f] ?? {};
      const derivation =
        first(groups['DerivationImageSequence']) ?? first(shared?.['DerivationImageSequence']);
      const sourceUid = first(derivation?.['SourceImageSequence'])?.['ReferencedSOPInstanceUID'];
      if (typeof sourceUid !== 'string')
        throw new SegmentationImportError(`frame ${f + 1} names no source image`);
      const image = this.studies.findImageBySopInstanceUid(sourceUid);
      if (!image)
        throw new SegmentationImportError(
          `frame ${f + 1} references image ${sourceUid}, which is not in the workspace; import it first`,
        );
      if (image.rows !== rows || image.columns !== columns) {
        throw new SegmentationImportError(
          `frame ${f + 1}: ${columns}x${rows} does not match image ${sourceUid} (${image.columns}x${image.rows})`,
        );
      }
      const frame =
        type === 'BINARY'
          ? unpackBits(bytes, pixels, f * pixels)
          : bytes.subarray(f * pixels, (f + 1) * pixels);
      if (frame.length < pixels) throw new SegmentationImportError(`frame ${f + 1}: pixel data is truncated`);
      const entry = masks.get(image.id) ?? { image, mask: new Uint8Array(pixels) };
      for (let i = 0; i < pixels; i++) if (frame[i]! >= (type === 'BINARY' ? 1 : cut)) entry.mask[i] = 255;
      masks.set(image.id, entry);
    }
    return masks;
  }
}

function asArray(value: unknown): Dataset[] {
  return Array.isArray(value)
    ? (value as Dataset[])
    : value && typeof value === 'object'
      ? [value as Dataset]
      : [];
}

function first(value: unknown): Dataset | undefined {
  return asArray(value)[0];
}

/** dcmjs reads PN as [{ Alphabetic }] or a string. */
function personName(value: unknown): string {
  const item = Array.isArray(value) ? value[0] : value;
  if (typeof item === 'string') return item;
  if (item && typeof item === 'object' && 'Alphabetic' in item)
    return String((item as { Alphabetic: unknown }).Alphabetic ?? '');
  return '';
}
