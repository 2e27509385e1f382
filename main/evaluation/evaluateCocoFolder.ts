import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { decode } from 'fast-png';
import { fillEllipse } from '../annotations/groundTruthMask.js';
import type { ImportError } from '../api/importing.js';
import type { AnalysisService } from '../inference/AnalysisService.js';
import { DecodePool } from '../imaging/DecodePool.js';
import { ImageDecodeError } from '../imaging/errors.js';
import { readImageFile } from '../imaging/readImageFile.js';
import { ImportRejection } from '../studies/dicomMetadata.js';
import {
  CaseTableError,
  caseKey,
  groupCaseRows,
  parseCaseTable,
  type CbisCaseRow,
} from '../studies/cbis/caseTable.js';
import { CBIS_IMAGE_NAME, cbisImageIdentity, type CbisImageIdentity } from '../studies/cbis/cbisIdentity.js';
import { CocoAnnotationsError, parseCocoBoxes, type CocoImage } from '../studies/cbis/cocoBoxes.js';
import {
  readSquareImage,
  squareBox,
  type Gray8Rescaler,
  type SquareImage,
} from '../studies/cbis/squareImage.js';
import { CBIS_ESTIMATED_SPACING_MM } from '../studies/cbis/squarePixels.js';
import { patientSplit, validationFractionOf, type Split } from '../training/patientSplit.js';
import { bootstrapIntervals, type ConfidenceInterval } from './bootstrap.js';
import { frocThresholdAt } from './breakdowns.js';
import {
  cbisGroups,
  DENSITY_GROUPS,
  PATHOLOGY_GROUPS,
  resultsByGroup,
  SUBTLETY_GROUPS,
  VIEW_GROUPS,
  type CbisGroups,
  type GroupResult,
} from './cbisBreakdowns.js';
import type { EvaluateOptions } from './evaluateMiasFolder.js';
import { frocCandidates, frocCurve, sensitivityAtFalsePositives, type FrocPoint } from './froc.js';
import { countPixels } from './pixelMetrics.js';
import { scoreEvaluation, type EvaluationCase } from './scoreEvaluation.js';

/** False positives per image at which the lesion FROC is reported. */
export const COCO_FROC_FP_RATES = [0.25, 0.5, 1, 2, 4] as const;

/** A point of the lesion FROC with its interval. */
export interface FrocOperatingPoint {
  falsePositivesPerImage: number;
  sensitivity: number;
  /** 95%, bootstrapped over patients. */
  ci: ConfidenceInterval;
}

/** The result of `mammo evaluate` on a COCO-layout folder (CBIS-DDSM's train/ or test/). */
export interface CocoEvaluationResult {
  layout: 'coco';
  modelId: string;
  backend: string;
  split: Split | 'all';
  images: number;
  patients: number;
  /** Images with at least one box. */
  abnormalImages: number;
  /** Boxes of the evaluated images. */
  lesions: number;
  imageThreshold: number;
  /** Null when the set has no normal images (or no abnormal ones): an image AUC is then undefined. */
  imageAUC: number | null;
  /** Why {@link imageAUC} is null; null when it is a number. */
  imageAUCNote: string | null;
  /** Share of the images with a box that score at or above the image threshold. */
  imageSensitivity: number;
  /** Null when there are no normal images. */
  imageSpecificity: number | null;
  froc: FrocPoint[];
  /** Sensitivity at each of {@link COCO_FROC_FP_RATES}, keyed by the rate. */
  lesionSensitivityAtFP: Record<string, number>;
  lesionSensitivityAt1FP: number;
  /** The same points with their intervals. */
  lesionFroc: FrocOperatingPoint[];
  /** The candidate score of the overall 1 FP/image operating point, at which the breakdowns count hits. */
  lesionThresholdAt1FP: number;
  /** The card's finding threshold, at which the pixel metrics and Dice are counted. */
  findingThreshold: number;
  pixelPrecision: number;
  pixelRecall: number;
  pixelF1: number;
  lesionIoU: number;
  /** Pooled over all images' pixels against the boxes' inscribed ellipses. */
  lesionDice: number;
  ci: {
    lesionSensitivityAt1FP: ConfidenceInterval;
    lesionDice: ConfidenceInterval;
    imageSensitivity: ConfidenceInterval;
    imageAUC: ConfidenceInterval | null;
    imageSpecificity: ConfidenceInterval | null;
  };
  /** The case tables read (beside the images folder); empty when none was found. */
  caseTables: string[];
  /** Why the pathology, density and subtlety breakdowns are missing; null when they are there. */
  breakdownNote: string | null;
  /** By pathology (malignant, benign, unknown where an image's rows disagree); null without a case table. */
  byPathology: Record<string, GroupResult> | null;
  /** By BI-RADS breast density 1-4; null without a case table. */
  byBiradsDensity: Record<string, GroupResult> | null;
  /** By subtlety 1 (subtle) to 5 (obvious); null without a case table. */
  bySubtlety: Record<string, GroupResult> | null;
  /** By view (CC, MLO), from the file names. */
  byView: Record<string, GroupResult>;
  /** Images left out, one line each, and why. */
  skipped: ImportError[];
  /** Per image: its score and truth (for calibrating thresholds on a split). */
  imageScores: { image: string; patientId: string; score: number; abnormal: boolean }[];
}

const COCO_FILE_NOTE = 'COCO annotations';

/** Whether an annotations file is COCO JSON (CBIS-DDSM's layout) rather than mini-MIAS's case list. */
export function isCocoAnnotationsFile(path: string): boolean {
  return readFileSync(path, 'utf8').trimStart().startsWith('{');
}

/** One image to evaluate, checked before any inference. */
interface PlannedImage {
  file: string;
  identity: CbisImageIdentity;
  coco: CocoImage;
}

/** An evaluated image. */
type CocoCase = EvaluationCase & { view: string; groups: CbisGroups | null };

/**
 * Runs a model over a COCO-layout folder (CBIS-DDSM's `train/` or `test/`: `PPPPP_SIDE_VIEW.jpg`
 * images with `_annotations.coco.json`, and the case table `*case_description_<folder>_set.csv`
 * beside the folder). Each image is read as the importer reads it (squash undone, square pixels)
 * and predicted at the estimated 0.19 mm; its boxes are scaled the same way. A lesion is hit when
 * a peak candidate lies inside its box; Dice counts the boxes' inscribed ellipses.
 */
export async function evaluateCocoFolder(
  analysis: AnalysisService,
  options: EvaluateOptions,
): Promise<CocoEvaluationResult> {
  const split = options.split ?? 'all';
  const imagesDir = resolve(options.imagesDir);
  let boxes: Map<string, CocoImage>;
  try {
    boxes = parseCocoBoxes(readFileSync(options.annotationsFile, 'utf8'));
  } catch (error) {
    if (error instanceof CocoAnnotationsError)
      throw new Error(`${options.annotationsFile}: ${error.message}`, { cause: error });
    throw error;
  }
  const tables = readCaseTables(imagesDir);
  const { planned, skipped } = planImages(imagesDir, boxes, split);
  const images = options.limit ? planned.slice(0, options.limit) : planned;
  if (images.length === 0)
    throw new Error(
      `${imagesDir}: no CBIS-DDSM images listed in the ${COCO_FILE_NOTE}${split === 'all' ? '' : ` in the ${split} split`}`,
    );

  const card = options.model.card;
  const tempDir = await mkdtemp(join(tmpdir(), 'mammo-evaluate-'));
  // Decoding and rescaling each copy runs here, off this thread, as import does.
  const decodePool = new DecodePool({ size: 1 });
  let backend = 'unknown';
  let done = 0;
  let evaluated: (CocoCase | ImportError)[];
  try {
    evaluated = await mapBounded(images, analysis.workers + 1, async (image) => {
      options.signal?.throwIfAborted();
      const evaluatedImage = await evaluateImage(analysis, decodePool, options, image, tempDir, tables.rows);
      if ('imageName' in evaluatedImage) backend = evaluatedImage.backend;
      options.onProgress?.(++done, images.length);
      return evaluatedImage;
    });
  } finally {
    await decodePool.close();
    await rm(tempDir, { recursive: true, force: true });
  }
  const cases = evaluated.filter((c): c is CocoCase => 'imageName' in c);
  skipped.push(...evaluated.filter((c): c is ImportError => !('imageName' in c)));
  if (cases.length === 0)
    throw new Error(`${imagesDir}: no image could be evaluated (${skipped[0]?.reason ?? 'none listed'})`);
  options.onCases?.(cases);

  const replicates = options.bootstrapReplicates ?? 1000;
  const report = scoreEvaluation(cases, card.thresholds.image, { replicates });
  const normals = cases.filter((c) => !c.abnormal).length;
  const aucDefined = normals > 0 && normals < cases.length;
  const byPatient = new Map<string, CocoCase[]>();
  for (const c of cases) byPatient.set(c.patientId, [...(byPatient.get(c.patientId) ?? []), c]);
  // Same seed as scoreEvaluation's intervals, so the 1-FP interval is the same one.
  const frocIntervals = bootstrapIntervals(
    [...byPatient.values()],
    (sample) => {
      const curve = frocCurve(sample.map((c) => ({ findings: c.candidates, lesions: c.lesions })));
      return COCO_FROC_FP_RATES.map((rate) => sensitivityAtFalsePositives(curve, rate));
    },
    { replicates, seed: 1 },
  );
  const lesionFroc = COCO_FROC_FP_RATES.map((rate, i) => ({
    falsePositivesPerImage: rate,
    sensitivity: sensitivityAtFalsePositives(report.froc, rate),
    ci: frocIntervals[i] ?? { low: Number.NaN, high: Number.NaN },
  }));
  const threshold = frocThresholdAt(report.froc, 1);
  const grouped = (key: keyof CbisGroups, order: readonly string[]) =>
    tables.rows ? resultsByGroup(cases, (c) => c.groups![key], order, threshold) : null;

  return {
    layout: 'coco',
    modelId: options.model.id,
    backend,
    split,
    images: report.images,
    patients: report.patients,
    abnormalImages: report.abnormalImages,
    lesions: report.lesions,
    imageThreshold: report.imageThreshold,
    imageAUC: aucDefined ? report.imageAUC : null,
    imageAUCNote: aucDefined
      ? null
      : normals === 0
        ? 'undefined: every image holds a lesion (no normal images), so nothing can be ranked against a normal; image AUC and specificity need normal images from another data set'
        : 'undefined: no image holds a lesion',
    imageSensitivity: report.imageSensitivity,
    imageSpecificity: normals > 0 ? report.imageSpecificity : null,
    froc: report.froc,
    lesionSensitivityAtFP: Object.fromEntries(
      lesionFroc.map((p) => [String(p.falsePositivesPerImage), p.sensitivity]),
    ),
    lesionSensitivityAt1FP: report.lesionSensitivityAt1FP,
    lesionFroc,
    lesionThresholdAt1FP: threshold,
    findingThreshold: card.thresholds.finding,
    pixelPrecision: report.pixelPrecision,
    pixelRecall: report.pixelRecall,
    pixelF1: report.pixelF1,
    lesionIoU: report.lesionIoU,
    lesionDice: report.lesionDice,
    ci: {
      lesionSensitivityAt1FP: report.ci.lesionSensitivityAt1FP,
      lesionDice: report.ci.lesionDice,
      imageSensitivity: report.ci.imageSensitivity,
      imageAUC: aucDefined ? report.ci.imageAUC : null,
      imageSpecificity: normals > 0 ? report.ci.imageSpecificity : null,
    },
    caseTables: tables.files,
    breakdownNote: tables.note,
    byPathology: grouped('pathology', PATHOLOGY_GROUPS),
    byBiradsDensity: grouped('density', DENSITY_GROUPS),
    bySubtlety: grouped('subtlety', SUBTLETY_GROUPS),
    byView: resultsByGroup(cases, (c) => c.view, VIEW_GROUPS, threshold),
    skipped,
    imageScores: cases.map((c) => ({
      image: c.imageName,
      patientId: c.patientId,
      score: c.imageScore,
      abnormal: c.abnormal,
    })),
  };
}

/**
 * One image: read as the importer reads it, predicted at the estimated spacing, its boxes in the
 * square-pixel frame; or why it cannot be evaluated (undecodable, not the size the COCO file says).
 */
async function evaluateImage(
  analysis: AnalysisService,
  rescaler: Gray8Rescaler,
  options: EvaluateOptions,
  { file, identity, coco }: PlannedImage,
  tempDir: string,
  caseRows: ReadonlyMap<string, CbisCaseRow[]> | null,
): Promise<(CocoCase & { backend: string }) | ImportError> {
  let square: SquareImage;
  try {
    square = await readSquareImage(await readImageFile(file), rescaler, options.signal);
  } catch (error) {
    if (error instanceof ImportRejection || error instanceof ImageDecodeError)
      return { file, reason: error.message };
    throw error;
  }
  if (square.squashed.columns !== coco.width || square.squashed.rows !== coco.height)
    return {
      file,
      reason: `the image is ${square.squashed.columns}x${square.squashed.rows} but the ${COCO_FILE_NOTE} say ${coco.width}x${coco.height}`,
    };
  // The worker reads files: the square-pixel PNG goes through a temporary one, as import stores it.
  const pngFile = join(tempDir, `${basename(file, extname(file))}.png`);
  await writeFile(pngFile, square.png);
  const result = await analysis
    .predictFile(pngFile, [CBIS_ESTIMATED_SPACING_MM, CBIS_ESTIMATED_SPACING_MM], {
      modelId: options.model.id,
      ...(options.signal ? { signal: options.signal } : {}),
    })
    .finally(() => rm(pngFile, { force: true }));
  const probability = Float32Array.from(decode(result.mapPng).data, (v) => v / 255);
  const lesions = coco.boxes.map((box) => squareBox(box, square));
  const truth = new Uint8Array(result.rows * result.columns);
  for (const box of lesions) fillEllipse(truth, result.rows, result.columns, box);
  return {
    imageName: basename(file),
    patientId: identity.patientId,
    abnormal: lesions.length > 0,
    lesions,
    imageScore: result.imageScore,
    candidates: frocCandidates(probability, result.rows, result.columns, CBIS_ESTIMATED_SPACING_MM),
    pixels: countPixels(probability, truth, options.model.card.thresholds.finding),
    view: identity.view,
    groups: caseRows
      ? cbisGroups(caseRows.get(caseKey(identity.casePatientId, identity.laterality, identity.view)) ?? [])
      : null,
    backend: result.backend,
  };
}

/**
 * The images the COCO file lists, in name order, of the wanted split; the ones that cannot be
 * evaluated are skipped with their reason (a name that is not CBIS-DDSM's, a missing file, a box
 * outside its image), as are CBIS-DDSM images in the folder that the file does not list.
 */
function planImages(
  imagesDir: string,
  boxes: ReadonlyMap<string, CocoImage>,
  split: Split | 'all',
): { planned: PlannedImage[]; skipped: ImportError[] } {
  const planned: PlannedImage[] = [];
  const skipped: ImportError[] = [];
  for (const name of [...boxes.keys()].sort()) {
    const file = join(imagesDir, name);
    const coco = boxes.get(name)!;
    const identity = cbisImageIdentity(basename(name));
    if (!identity) {
      skipped.push({ file, reason: 'not a CBIS-DDSM image name (PPPPP_LEFT|RIGHT_CC|MLO.jpg)' });
      continue;
    }
    if (
      split !== 'all' &&
      patientSplit(identity.patientId, validationFractionOf(identity.patientId)) !== split
    )
      continue;
    if (!existsSync(file))
      skipped.push({ file, reason: `the ${COCO_FILE_NOTE} list it but there is no such file` });
    else if (coco.problems.length) skipped.push({ file, reason: coco.problems.join('; ') });
    else planned.push({ file, identity, coco });
  }
  for (const name of readdirSync(imagesDir).sort()) {
    if (CBIS_IMAGE_NAME.test(name) && !boxes.has(name))
      skipped.push({ file: join(imagesDir, name), reason: `the ${COCO_FILE_NOTE} do not list it` });
  }
  return { planned, skipped };
}

/**
 * The mass rows of the case tables beside the images folder (`*case_description_<folder>_set.csv`,
 * as the importer finds them), grouped by image; none found or unreadable: no rows, and a note why.
 */
function readCaseTables(imagesDir: string): {
  rows: Map<string, CbisCaseRow[]> | null;
  files: string[];
  note: string | null;
} {
  const folder = basename(imagesDir);
  const pattern = new RegExp(`case_description_${folder.replace(/[^A-Za-z0-9_-]/g, '\\$&')}_set\\.csv$`, 'i');
  const files = readdirSync(dirname(imagesDir))
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => join(dirname(imagesDir), name));
  const without = (reason: string) => `no pathology, density or subtlety breakdowns: ${reason}`;
  if (files.length === 0)
    return {
      rows: null,
      files,
      note: without(`no case table (*case_description_${folder}_set.csv) beside ${folder}/`),
    };
  const rows: CbisCaseRow[] = [];
  for (const file of files) {
    try {
      rows.push(
        ...parseCaseTable(readFileSync(file, 'utf8')).rows.filter(
          (row) => row.abnormalityType.toLowerCase() === 'mass',
        ),
      );
    } catch (error) {
      if (!(error instanceof CaseTableError)) throw error;
      return { rows: null, files, note: without(`${file}: ${error.message}`) };
    }
  }
  return { rows: groupCaseRows(rows), files, note: null };
}

/** Maps items with at most `limit` running at once, results in the items' order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await map(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}
