import { describe, expect, it } from 'vitest';
import type { ModelVersion } from '../../main/api/models.js';
import type { TrainingSample } from '../../main/api/training.js';
import { labelsOfCurrentModel } from '../../main/training/fineTuneLabels.js';

/** No image has a lesion record: the lesion types a model detects do not come into these tests. */
const NO_GROUND_TRUTH_RECORDS = new Map<number, string[]>();

let nextId = 1;
const sample = (
  author: string,
  split: 'train' | 'validation',
  labelSource: TrainingSample['labelSource'],
): TrainingSample => ({
  id: nextId,
  imageId: nextId++,
  patientId: `${author}-${nextId}`,
  split,
  kind: 'full',
  labelSource,
  annotationId: labelSource === 'annotation' ? 1 : null,
  annotationVersion: labelSource === 'annotation' ? 1 : null,
  author,
  path: 'training/x.png',
  sha256: '0'.repeat(64),
  rows: 8,
  columns: 8,
  pixelSpacingMm: 0.2,
  positivePixels: 1,
  createdAt: '2026-12-06T00:00:00Z',
  learnedByModel: null,
});

const version = (id: string, parentId: string | null, trainingData: Record<string, unknown>): ModelVersion =>
  ({
    id,
    status: 'current',
    card: { id, parentId, trainingData: { description: '', images: 0, patients: 0, ...trainingData } },
  }) as unknown as ModelVersion;

describe('a shipped model trained elsewhere has learned its data sets', () => {
  const samples = [
    sample('CBIS-DDSM', 'train', 'ground-truth'),
    sample('CBIS-DDSM', 'validation', 'ground-truth'),
    sample('mini-MIAS', 'train', 'ground-truth'),
    sample('Dr A', 'train', 'annotation'),
  ];
  // As TrainingSampleRepository.list marks what the lineage learned.
  const repository = {
    list: (_filter: object, learned: ReadonlyMap<number, string> = new Map()) =>
      samples.map((s) => ({ ...s, learnedByModel: learned.get(s.id) ?? null })),
  };

  it("in a site workspace, the parent's data set is replayed, the site's ground truth and corrections are learned", () => {
    const shipped = version('cbis', null, { groundTruthAuthors: ['CBIS-DDSM'] });
    const { labels } = labelsOfCurrentModel(
      repository,
      { current: () => shipped, get: () => null },
      NO_GROUND_TRUTH_RECORDS,
    );
    expect(labels.earlier.map((s) => s.author)).toEqual(['CBIS-DDSM']);
    expect(labels.earlier[0]!.learnedByModel).toBe('cbis');
    expect(labels.fresh.map((s) => s.author)).toEqual(['mini-MIAS', 'Dr A']);
    // Validation is never learned or replayed: it judges.
    expect(labels.validation.map((s) => s.author)).toEqual(['CBIS-DDSM']);
  });

  it("a fine-tuned child inherits its root's data sets through the lineage", () => {
    const root = version('cbis', null, { groundTruthAuthors: ['CBIS-DDSM'] });
    const child = version('ft1', 'cbis', { sampleIds: [samples[2]!.id] });
    const { labels } = labelsOfCurrentModel(
      repository,
      {
        current: () => child,
        get: (id) => (id === 'cbis' ? root : null),
      },
      NO_GROUND_TRUTH_RECORDS,
    );
    expect(Object.fromEntries(labels.earlier.map((s) => [s.author, s.learnedByModel]))).toEqual({
      'CBIS-DDSM': 'cbis',
      'mini-MIAS': 'ft1',
    });
    expect(labels.fresh.map((s) => s.author)).toEqual(['Dr A']);
  });

  it('a model whose card names no data set has learned nothing of this workspace', () => {
    const { labels } = labelsOfCurrentModel(
      repository,
      {
        current: () => version('x', null, {}),
        get: () => null,
      },
      NO_GROUND_TRUTH_RECORDS,
    );
    expect(labels.earlier).toEqual([]);
    expect(labels.fresh).toHaveLength(3);
  });
});
