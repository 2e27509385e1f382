import { FINDING_TYPES, type FindingType } from '../api/annotations.js';
import {
  detectedFindingTypes,
  FINDING_TYPE_PLURALS,
  groundTruthFindingType,
  wordList,
} from '../api/detectedFindings.js';
import type { ModelVersion } from '../api/models.js';
import type { LeftOutGroundTruth, SupersededLabel, TrainingSample } from '../api/training.js';
import type { TrainingSampleRepository } from '../db/TrainingSampleRepository.js';
import type { ModelRegistry } from '../registry/ModelRegistry.js';

/**
 * What a model has learned belongs to its lineage: the samples each fine-tune from the model back
 * to its root trained on (its card's `trainingData.sampleIds`). Returns, per sample id, the nearest
 * model of the lineage that learned it. After a rollback the current model's lineage no longer
 * holds the rolled-back candidate, so what only that candidate learned is not learned again.
 */
export function learnedByLineage(
  model: Pick<ModelVersion, 'id' | 'card'> | null,
  versionOf: (id: string) => Pick<ModelVersion, 'id' | 'card'> | null,
): Map<number, string> {
  const learned = new Map<number, string>();
  const seen = new Set<string>();
  for (let version = model; version && !seen.has(version.id);) {
    seen.add(version.id);
    for (const id of sampleIdsOf(version)) if (!learned.has(id)) learned.set(id, version.id);
    version = version.card.parentId ? versionOf(version.card.parentId) : null;
  }
  return learned;
}

/** The workspace samples a model trained on (its card's record; none for a model trained elsewhere). */
export function sampleIdsOf(version: Pick<ModelVersion, 'card'>): number[] {
  const ids = version.card.trainingData['sampleIds'];
  return Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : [];
}

/**
 * The labelled data sets a model trained elsewhere learned, by their ground truth's author (its
 * card's `trainingData.groundTruthAuthors`, e.g. the shipped model's ['CBIS-DDSM']): in a
 * workspace that imports the same data set, those ground-truth samples of the training split are
 * the parent's data, replayed by a fine-tune rather than learned as new.
 */
export function groundTruthAuthorsOf(version: Pick<ModelVersion, 'card'>): string[] {
  const authors = version.card.trainingData['groundTruthAuthors'];
  return Array.isArray(authors) ? authors.filter((a): a is string => typeof a === 'string') : [];
}

/** Ground-truth samples of a data set some model of the lineage learned elsewhere, as learned by it. */
function learnedElsewhere(
  samples: readonly TrainingSample[],
  model: Pick<ModelVersion, 'id' | 'card'> | null,
  versionOf: (id: string) => Pick<ModelVersion, 'id' | 'card'> | null,
): TrainingSample[] {
  const byAuthor = new Map<string, string>();
  const seen = new Set<string>();
  for (let version = model; version && !seen.has(version.id);) {
    seen.add(version.id);
    for (const author of groundTruthAuthorsOf(version))
      if (!byAuthor.has(author)) byAuthor.set(author, version.id);
    version = version.card.parentId ? versionOf(version.card.parentId) : null;
  }
  return samples.map((sample) => {
    const learner = sample.labelSource === 'ground-truth' ? byAuthor.get(sample.author) : undefined;
    return learner && sample.learnedByModel === null ? { ...sample, learnedByModel: learner } : sample;
  });
}

/** The labels a fine-tune started now learns, replays and is judged on. */
export interface FineTuneLabels {
  /** The training split's labels the current model's lineage has not learned. */
  fresh: TrainingSample[];
  /** The training split's labels it has learned, for replay. */
  earlier: TrainingSample[];
  /** The validation split's labels. */
  validation: TrainingSample[];
  /** Images whose imported ground truth a reader's correction replaces. */
  superseded: SupersededLabel[];
  /** Imported ground truth of lesion types the model does not detect, left out; null when none. */
  leftOut: LeftOutGroundTruth | null;
}

/** What a fine-tune's model looks for, and what each image's imported ground truth marks. */
export interface LabelScope {
  /** The finding types the model detects (its card's, see {@link detectedFindingTypes}). */
  detects: readonly FindingType[];
  /** Abnormality classes of each image's imported ground-truth records (none: a normal image). */
  groundTruthClasses: ReadonlyMap<number, readonly string[]>;
}

/** The lesion types an image's imported ground truth marks that the model does not detect. */
function undetectedTypes(classes: readonly string[], detects: readonly FindingType[]): string[] {
  const types = classes.map((c) => groundTruthFindingType(c) ?? 'unknown');
  return [...new Set(types.filter((type) => !detects.includes(type as FindingType)))].sort();
}

function describeLeftOut(
  images: { split: TrainingSample['split']; types: string[] }[],
  detects: readonly FindingType[],
): LeftOutGroundTruth {
  const byType: Record<string, number> = {};
  for (const { types } of images) for (const type of types) byType[type] = (byType[type] ?? 0) + 1;
  const train = images.filter((image) => image.split === 'train').length;
  const marked = [...FINDING_TYPES, 'unknown']
    .filter((type) => byType[type])
    .map(
      (type) =>
        `${type === 'unknown' ? 'lesions of an unknown class' : FINDING_TYPE_PLURALS[type as FindingType]} (${byType[type]})`,
    );
  return {
    train,
    validation: images.length - train,
    byType,
    detects: [...detects],
    reason:
      `Left out ${images.length} image${images.length === 1 ? '' : 's'} (${train} training, ` +
      `${images.length - train} validation) whose imported ground truth marks ${wordList(marked)}: the model detects ` +
      `${wordList(detects.map((type) => FINDING_TYPE_PLURALS[type]))} only, so it is neither taught nor judged ` +
      `on them, and they are not normal images either (the lesion is there).`,
  };
}

/**
 * One image has one label per fine-tune: the newest saved correction of a reader, else the imported
 * ground truth. (Only the newest correction's samples are listed at all: earlier versions are
 * history.) Whole scans only: the sampler draws its crops from them. `samples` carry
 * `learnedByModel` from {@link learnedByLineage}.
 *
 * A model learns only what it detects: an image whose imported ground truth marks a lesion type
 * outside `scope.detects` (mini-MIAS circles calcification clusters, distortions and asymmetries as
 * it circles masses) is left out whole, in every split: not learned, not replayed, not judged on, and
 * never a negative (its lesion is there). A reader's correction is always learned. Normal images
 * (no ground-truth record) stay, as negatives.
 */
export function chooseFineTuneLabels(samples: readonly TrainingSample[], scope: LabelScope): FineTuneLabels {
  const byImage = new Map<number, TrainingSample[]>();
  for (const sample of samples)
    if (sample.kind === 'full') byImage.set(sample.imageId, [...(byImage.get(sample.imageId) ?? []), sample]);
  const chosen: TrainingSample[] = [];
  const superseded: SupersededLabel[] = [];
  const leftOut: { split: TrainingSample['split']; types: string[] }[] = [];
  for (const [imageId, labels] of byImage) {
    const corrections = labels.filter((s) => s.labelSource === 'annotation');
    const groundTruth = labels.filter((s) => s.labelSource === 'ground-truth');
    if (corrections.length && groundTruth.length)
      superseded.push({
        imageId,
        annotationId: corrections[0]!.annotationId,
        annotationVersion: corrections[0]!.annotationVersion,
        author: corrections[0]!.author,
        groundTruthAuthor: groundTruth[0]!.author,
        groundTruthSampleIds: groundTruth.map((s) => s.id),
      });
    const undetected = corrections.length
      ? []
      : undetectedTypes(scope.groundTruthClasses.get(imageId) ?? [], scope.detects);
    if (undetected.length) leftOut.push({ split: groundTruth[0]!.split, types: undetected });
    else chosen.push(...(corrections.length ? corrections : groundTruth));
  }
  chosen.sort((a, b) => a.id - b.id);
  const train = chosen.filter((s) => s.split === 'train');
  return {
    fresh: train.filter((s) => s.learnedByModel === null),
    earlier: train.filter((s) => s.learnedByModel !== null),
    validation: chosen.filter((s) => s.split === 'validation'),
    superseded: superseded.sort((a, b) => a.imageId - b.imageId),
    leftOut: leftOut.length ? describeLeftOut(leftOut, scope.detects) : null,
  };
}

/**
 * Every stored sample with what the current model's lineage learned, and the labels a fine-tune of
 * the current model started now would learn, replay and be judged on: those of the finding types
 * its card says it detects. `groundTruthClasses`: each image's imported ground-truth classes.
 */
export function labelsOfCurrentModel(
  repository: Pick<TrainingSampleRepository, 'list'>,
  registry: Pick<ModelRegistry, 'current' | 'get'>,
  groundTruthClasses: ReadonlyMap<number, readonly string[]>,
): { current: ModelVersion | null; samples: TrainingSample[]; labels: FineTuneLabels } {
  const current = registry.current();
  const versionOf = (id: string) => registry.get(id);
  const samples = learnedElsewhere(
    repository.list({}, learnedByLineage(current, versionOf)),
    current,
    versionOf,
  );
  const detects = detectedFindingTypes(current?.card ?? {});
  return { current, samples, labels: chooseFineTuneLabels(samples, { detects, groundTruthClasses }) };
}
