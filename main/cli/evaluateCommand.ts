import { parseArgs } from 'node:util';
import type { ModelVersion } from '../api/models.js';
import {
  evaluateCocoFolder,
  isCocoAnnotationsFile,
  type CocoEvaluationResult,
} from '../evaluation/evaluateCocoFolder.js';
import { evaluateMiasFolder, type EvaluationResult } from '../evaluation/evaluateMiasFolder.js';
import {
  describeComparison,
  pairedComparison,
  type PairedComparison,
} from '../evaluation/pairedComparison.js';
import type { EvaluationCase } from '../evaluation/scoreEvaluation.js';
import type { Command, CommandContext } from './mammo.js';
import { progressLine } from './progressLine.js';
import { UsageError } from './UsageError.js';

const SPLITS = ['all', 'validation', 'train'] as const;

/** `--against`: the model's figures paired with another version's on the same images. */
type PairedReport = PairedComparison & { model: string; against: string };

/**
 * `mammo evaluate --images DIR --annotations FILE [--model ID] [--against ID] [--split all|validation|train] [--limit N] [--json]`:
 * FILE is mini-MIAS's case list (CSV) or a COCO file (CBIS-DDSM's `_annotations.coco.json`), told by its content.
 * `--against ID` measures a second version on the same images and reports each headline figure's
 * difference with a paired interval over patients, which tells two recipes apart where their own
 * intervals overlap.
 */
export const evaluateCommand: Command = async ({ backend, args, json, stdout, stderr }) => {
  const { values } = parseArgs({
    args,
    options: {
      images: { type: 'string' },
      annotations: { type: 'string' },
      model: { type: 'string' },
      against: { type: 'string' },
      split: { type: 'string', default: 'all' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      workspace: { type: 'string' },
    },
  });
  if (!values.images || !values.annotations)
    throw new UsageError('--images DIR and --annotations FILE (CSV or COCO JSON) are required');
  const split = values.split as (typeof SPLITS)[number];
  if (!SPLITS.includes(split)) throw new UsageError(`--split must be one of ${SPLITS.join(', ')}`);
  const model = backend.analysis.resolveModel(values.model);
  const against = values.against === undefined ? null : backend.analysis.resolveModel(values.against);
  const coco = isCocoAnnotationsFile(values.annotations);
  const evaluate = async (
    version: ModelVersion,
  ): Promise<{
    result: CocoEvaluationResult | EvaluationResult;
    cases: readonly EvaluationCase[];
  }> => {
    const progress = progressLine(`evaluating images with ${version.id}`);
    let cases: readonly EvaluationCase[] = [];
    const options = {
      imagesDir: values.images!,
      annotationsFile: values.annotations!,
      model: version,
      split,
      ...(values.limit ? { limit: Number(values.limit) } : {}),
      onProgress: (done: number, total: number) => !json && progress.update(done, total),
      onCases: (evaluated: readonly EvaluationCase[]) => (cases = evaluated),
    };
    const result = coco
      ? await evaluateCocoFolder(backend.analysis, options)
      : await evaluateMiasFolder(backend.analysis, options);
    progress.end();
    return { result, cases };
  };
  const measured = await evaluate(model);
  const paired: PairedReport | null = against
    ? {
        model: model.id,
        against: against.id,
        ...pairedComparison(measured.cases, (await evaluate(against)).cases),
      }
    : null;
  const { result } = measured;
  if ('layout' in result) for (const { file, reason } of result.skipped) stderr(`skipped ${file}: ${reason}`);
  if (json) {
    stdout(JSON.stringify(paired ? { ...result, paired } : result));
    return 0;
  }
  if ('layout' in result) printCocoResult(result, stdout);
  else printMiasResult(result, stdout);
  if (paired) printPaired(paired, stdout);
  return 0;
};

/** The mini-MIAS report, one line per measure. */
function printMiasResult(result: EvaluationResult, stdout: CommandContext['stdout']): void {
  const pct = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(3));
  const ci = (k: keyof typeof result.ci) => `[${pct(result.ci[k].low)}, ${pct(result.ci[k].high)}]`;
  stdout(
    `model ${result.modelId} on ${result.backend}, split ${result.split}: ${result.images} images, ${result.patients} patients, ${result.abnormalImages} abnormal, ${result.lesions} lesions with a centre`,
  );
  stdout(
    `image level:  AUC ${pct(result.imageAUC)} ${ci('imageAUC')}; at threshold ${result.imageThreshold}: sensitivity ${pct(result.imageSensitivity)} ${ci('imageSensitivity')}, specificity ${pct(result.imageSpecificity)} ${ci('imageSpecificity')}`,
  );
  stdout(
    `lesion level: sensitivity ${Object.entries(result.lesionSensitivityAtFP)
      .map(([fp, s]) => `${pct(s)} @${fp} FP/image`)
      .join(', ')}; @1 FP ${ci('lesionSensitivityAt1FP')}`,
  );
  for (const [type, r] of Object.entries(result.byLesionType)) {
    stdout(
      `  ${type.padEnd(13)} ${r.abnormalImages} images, ${r.lesions} lesions: image AUC ${pct(r.imageAUC)} (vs normals), lesion sensitivity @1 FP ${pct(r.lesionSensitivityAt1FP)}`,
    );
  }
  for (const [density, r] of Object.entries(result.byBreastDensity)) {
    stdout(
      `  ${density.padEnd(15)} ${r.images} images, ${r.abnormalImages} abnormal: image AUC ${pct(r.imageAUC)} (vs normals of this density), lesion sensitivity @1 FP ${pct(r.lesionSensitivityAt1FP)}`,
    );
  }
  stdout(`bilateral:    image AUC ${pct(result.bilateralImageAUC)} (score minus the other breast's)`);
  stdout(
    `pixel level:  precision ${pct(result.pixelPrecision)}, recall ${pct(result.pixelRecall)}, F1 ${pct(result.pixelF1)}, lesion IoU ${pct(result.lesionIoU)}, lesion Dice ${pct(result.lesionDice)} ${ci('lesionDice')}`,
  );
}

/** The COCO-layout report, one line per measure. */
function printCocoResult(result: CocoEvaluationResult, stdout: CommandContext['stdout']): void {
  const pct = (v: number | null) => (v === null || Number.isNaN(v) ? 'n/a' : v.toFixed(3));
  const ci = (c: { low: number; high: number }) => `[${pct(c.low)}, ${pct(c.high)}]`;
  stdout(
    `model ${result.modelId} on ${result.backend}, split ${result.split}: ${result.images} images, ${result.patients} patients, ${result.lesions} lesions (boxes)`,
  );
  stdout(
    `lesion FROC: ${result.lesionFroc.map((p) => `${pct(p.sensitivity)} ${ci(p.ci)} @${p.falsePositivesPerImage} FP/image`).join(', ')}`,
  );
  stdout(
    `image level: AUC ${result.imageAUC === null ? result.imageAUCNote : `${pct(result.imageAUC)}${result.ci.imageAUC ? ` ${ci(result.ci.imageAUC)}` : ''}`}`,
  );
  const breakdowns = {
    pathology: result.byPathology,
    'BI-RADS density': result.byBiradsDensity,
    subtlety: result.bySubtlety,
    view: result.byView,
  };
  for (const [name, groups] of Object.entries(breakdowns)) {
    if (!groups) continue;
    stdout(
      `by ${name} (sensitivity @1 FP/image): ${Object.entries(groups)
        .map(([group, r]) => `${group} ${pct(r.lesionSensitivityAt1FP)} (${r.lesions} lesions)`)
        .join(', ')}`,
    );
  }
  if (result.breakdownNote) stdout(result.breakdownNote);
  stdout(
    `pixel level at the finding threshold ${result.findingThreshold}: lesion Dice ${pct(result.lesionDice)} ${ci(result.ci.lesionDice)} against the boxes' inscribed ellipses`,
  );
}

/** `--against`: each headline figure of the two versions and its paired difference. */
function printPaired(paired: PairedReport, stdout: CommandContext['stdout']): void {
  stdout(
    `paired with ${paired.against} on the same ${paired.images} images (${paired.patients} patients, ${paired.lesions} lesions), ${paired.against} → ${paired.model}, 95% intervals bootstrapped over patients:`,
  );
  for (const comparison of paired.comparisons) {
    const verdict =
      comparison.interval === undefined
        ? ''
        : comparison.interval.low > 0
          ? ': better beyond noise'
          : comparison.worse
            ? ': worse beyond noise'
            : ': inside noise';
    stdout(`  ${describeComparison(comparison)}${verdict}`);
  }
}
