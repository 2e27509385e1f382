import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import type { AnalysisProgress, Prediction, StudyAnalysis } from '../../main/api/predictions.js';
import type { Image } from '../../main/api/domain.js';
import type { ModelVersion } from '../../main/api/models.js';
import type { ApiClient } from '../../renderer/api/ApiClient.js';
import { StudyAnalysisService } from '../../renderer/ai/StudyAnalysisService.js';

const model = {
  id: 'tiny',
  status: 'current',
  card: { thresholds: { finding: 0.3 } },
} as unknown as ModelVersion;

function image(id: number, laterality: 'L' | 'R'): Image {
  return { id, laterality, forDisplay: true, columns: 4, rows: 2, pixelSpacingMm: [0.5, 0.5] } as Image;
}

function prediction(imageId: number, imageScore: number): Prediction {
  return {
    imageId,
    modelId: 'tiny',
    backend: 'wasm',
    imageScore,
    findings: [],
    rows: 2,
    columns: 4,
  } as unknown as Prediction;
}

/** A client whose analyses finish when the test says so. */
function fakeClient(versions: ModelVersion[] = [model]) {
  let progress: ((p: AnalysisProgress) => void) | null = null;
  const pending = new Map<number, (p: Prediction) => void>();
  const calls: string[] = [];
  const png = encode({
    width: 4,
    height: 2,
    channels: 1,
    depth: 8,
    data: Uint8Array.from([0, 10, 200, 200, 0, 0, 200, 90]),
  });
  const client = {
    subscribe: (_event: string, listener: (p: AnalysisProgress) => void) => {
      progress = listener;
      return () => (progress = null);
    },
    listModels: async () => ({ versions, backend: null, rollback: { refusal: 'none' }, discardRefusals: {} }),
    analyzeImage: ({ imageId }: { imageId: number }) => {
      calls.push(`image ${imageId}`);
      return new Promise<Prediction>((resolve) => pending.set(imageId, resolve));
    },
    analyzeStudy: async ({ studyId }: { studyId: number }): Promise<StudyAnalysis> => {
      calls.push(`study ${studyId}`);
      return {
        studyId,
        modelId: 'tiny',
        backend: 'wasm',
        predictions: [],
        breastScores: { L: 0.4, R: 0.8 },
        studyScore: 0.8,
      };
    },
    fetchPredictionMap: async () => png,
  } as unknown as ApiClient;
  return {
    client,
    calls,
    progress: (p: AnalysisProgress) => progress?.(p),
    finish: (imageId: number, score: number) => pending.get(imageId)?.(prediction(imageId, score)),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('StudyAnalysisService', () => {
  it('goes queued -> analysing with tile progress -> ready with maps and scores', async () => {
    const fake = fakeClient();
    const service = new StudyAnalysisService(fake.client);
    const seen: string[] = [];
    service.subscribe((studyId) => seen.push(`${studyId}:${service.get(studyId)?.status}`));
    service.request(7, [image(1, 'R'), image(2, 'L')]);
    expect(service.get(7)?.images[1]?.status).toBe('queued');
    await tick();
    expect(service.get(7)).toMatchObject({ status: 'analysing', model: { id: 'tiny' } });

    fake.progress({ imageId: 1, done: 1, total: 4 });
    expect(service.get(7)?.images[1]).toMatchObject({ status: 'analysing', progress: 0.25 });
    expect(service.get(7)?.progress).toBeCloseTo(0.125);

    service.request(7, [image(1, 'R'), image(2, 'L')]); // idempotent while running
    fake.finish(1, 0.8);
    fake.finish(2, 0.4);
    await tick();
    await tick();
    const state = service.get(7)!;
    expect(state).toMatchObject({ status: 'ready', backend: 'wasm', analysis: { studyScore: 0.8 } });
    expect(state.images[1]!.map!.areaAt(200)).toBe(3);
    expect(state.images[1]!.map!.pixelSpacingMm).toEqual([0.5, 0.5]);
    expect(fake.calls).toEqual(['image 1', 'image 2', 'study 7']);
    expect(seen[0]).toBe('7:queued');
    expect(seen.at(-1)).toBe('7:ready');

    service.request(7, [image(1, 'R'), image(2, 'L')]); // done, maps in memory: nothing to do
    expect(fake.calls).toHaveLength(3);
  });

  it('runs the most recently opened study first, one at a time', async () => {
    const fake = fakeClient();
    const service = new StudyAnalysisService(fake.client);
    service.request(1, [image(11, 'R')]);
    service.request(2, [image(21, 'R')]);
    service.request(3, [image(31, 'R')]);
    service.request(2, [image(21, 'R')]);
    await tick();
    fake.finish(11, 0.1);
    await tick();
    await tick();
    await tick();
    expect(fake.calls.filter((c) => c.startsWith('image'))).toEqual(['image 11', 'image 21']);
    expect(service.get(3)?.status).toBe('queued');
  });

  it('says when no model is installed, and fails one image without hanging', async () => {
    const none = new StudyAnalysisService(fakeClient([]).client);
    none.request(1, [image(1, 'R')]);
    await tick();
    await tick();
    expect(none.get(1)).toMatchObject({ status: 'unavailable', message: 'No AI model is installed.' });

    const fake = fakeClient();
    (fake.client as unknown as { fetchPredictionMap: () => Promise<Uint8Array> }).fetchPredictionMap =
      async () => {
        throw new Error('probability map: gone');
      };
    const service = new StudyAnalysisService(fake.client);
    service.request(5, [image(1, 'R')]);
    await tick();
    fake.finish(1, 0.5);
    await tick();
    await tick();
    expect(service.get(5)).toMatchObject({ status: 'error', message: '1 of 1 images failed' });
    expect(service.get(5)?.images[1]).toMatchObject({ status: 'error', error: 'probability map: gone' });
  });
});
