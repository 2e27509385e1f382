import { parseArgs } from 'node:util';
import { evaluateMiasFolder } from '../evaluation/evaluateMiasFolder.js';
import type { Command } from './mammo.js';
import { progressLine } from './progressLine.js';
import { UsageError } from './UsageError.js';

const SPLITS = ['all', 'validation', 'train'] as const;

/** `mammo evaluate --images DIR --annotations CSV [--model ID] [--split all|validation|train] [--limit N] [--json]` */
export const evaluateCommand: Command = async ({ backend, args, json, stdout }) => {
  const { values } = parseArgs({
    args,
    options: {
      images: { type: 'string' },
      annotations: { type: 'string' },
      model: { type: 'string' },
      split: { type: 'string', default: 'all' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      workspace: { type: 'string' },
    },
  });
  if (!values.images || !values.annotations)
    throw new UsageError('--images DIR and --annotations CSV are required');
  const split = values.split as (typeof SPLITS)[number];
  if (!SPLITS.includes(split)) throw new UsageError(`--split must be one of ${SPLITS.join(', ')}`);
  const model = backend.analysis.resolveModel(values.model);
  const progress = progressLine('evaluating images');
  const result = await evaluateMiasFolder(backend.analysis, {
    imagesDir: values.images,
    annotationsFile: values.annotations,
    model,
    split,
    ...(values.limit ? { limit: Number(values.limit) } : {}),
    onProgress: (done, total) => !json && progress.update(done, total),
  });
  progress.end();
  if (json) {
    stdout(JSON.stringify(result));
    return 0;
  }
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
  return 0;
};
