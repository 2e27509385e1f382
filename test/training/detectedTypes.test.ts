import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { groundTruthFindingType } from '../../main/api/detectedFindings.js';
import type { Image } from '../../main/api/domain.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { StudyRepository } from '../../main/db/StudyRepository.js';
import { chooseFineTuneLabels } from '../../main/training/fineTuneLabels.js';
import { generatedMiasFolder, patientsIn } from '../helpers/generatedMias.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

function maskPng(rows: number, columns: number): string {
  const data = new Uint8Array(rows * columns);
  for (let r = 70; r < 90; r++) for (let c = 25; c < 45; c++) data[r * columns + c] = 255;
  return Buffer.from(encode({ width: columns, height: rows, data, channels: 1, depth: 8 })).toString(
    'base64',
  );
}

describe('a fine-tune learns only the finding types its model detects', () => {
  const tempDir = useTempDir();
  let shipped: string;
  beforeAll(async () => {
    shipped = mkdtempSync(join(tmpdir(), 'mammo-models-'));
    // Its card names no `detects`: masses only, as the shipped CBIS-DDSM model's says.
    await saveTinyModel(shipped, 'tiny-masses');
  });

  it('maps every data set’s ground-truth class to the card’s finding types', () => {
    expect(
      ['CIRC', 'SPIC', 'MISC', 'MASS', 'CALC', 'ARCH', 'ASYM', 'NORM', 'calc'].map(groundTruthFindingType),
    ).toEqual([
      'mass',
      'mass',
      'mass',
      'mass',
      'calcification',
      'distortion',
      'asymmetry',
      null,
      'calcification',
    ]);
  });

  it(
    'imported circles around calcifications, distortions and asymmetries are left out of learning and judging, normals stay negatives, a reader’s correction is learned',
    { timeout: 120_000 },
    async () => {
      const [a, b] = patientsIn('train', 2) as [number, number];
      const [c, d] = patientsIn('validation', 2) as [number, number];
      const images = [
        { n: 2 * a - 1, abnormalityClass: 'CIRC' }, // train, mass: learned
        { n: 2 * a, abnormalityClass: 'CALC' }, // train, calcification: left out (until corrected)
        { n: 2 * b - 1, abnormalityClass: 'ARCH' }, // train, distortion: left out
        { n: 2 * b, abnormalityClass: 'NORM' }, // train, normal: learned as a negative
        { n: 2 * c - 1, abnormalityClass: 'SPIC' }, // validation, mass: judged on
        { n: 2 * c, abnormalityClass: 'ASYM' }, // validation, asymmetry: not judged on
        { n: 2 * d - 1, abnormalityClass: 'NORM' }, // validation, normal: judged on
        { n: 2 * d, abnormalityClass: 'MISC' }, // validation, mass: judged on
      ];
      const backend = MammoBackend.open(tempDir(), {
        shippedModelsDir: shipped,
        analysis: { backend: 'wasm' },
      });
      const imported = await backend.importFiles({
        paths: [generatedMiasFolder(tempDir(), images)],
        format: 'mias',
      });
      expect(imported.imported).toBe(8);
      expect(imported.trainingSet?.excluded).toEqual([]);
      const samples = await backend.listTrainingSamples({});
      // Every image has its ground-truth sample: the import keeps them all, the fine-tune chooses.
      expect(samples).toHaveLength(8);
      // mini-MIAS image n is instance n of its patient's study.
      const imageOf = new Map<number, Image>();
      for (const study of await backend.listStudies({}))
        for (const image of (await backend.getStudy({ studyId: study.id })).images)
          imageOf.set(image.instanceNumber!, image);
      const sampleOf = (n: number) => samples.find((s) => s.imageId === imageOf.get(n)!.id)!;

      const plan = await backend.planFineTune({});
      expect(plan).toMatchObject({
        groundTruth: { images: 2, samples: 2 },
        corrections: { images: 0, samples: 0 },
        judgedOn: { kind: 'workspace', patients: 2, images: 3 },
        refusal: null,
      });
      expect(plan.leftOut).toEqual({
        train: 2,
        validation: 1,
        byType: { calcification: 1, distortion: 1, asymmetry: 1 },
        detects: ['mass'],
        reason:
          'Left out 3 images (2 training, 1 validation) whose imported ground truth marks calcifications (1), architectural distortions (1) and asymmetries (1): the model detects masses only, so it is neither taught nor judged on them, and they are not normal images either (the lesion is there).',
      });

      // A model that also detects calcifications would learn the calcification circle.
      const classes = new StudyRepository(backend.workspace.db).groundTruthClassesByImage();
      const withCalcifications = chooseFineTuneLabels(samples, {
        detects: ['mass', 'calcification'],
        groundTruthClasses: classes,
      });
      expect(withCalcifications.fresh.map((s) => s.id)).toContain(sampleOf(2 * a).id);
      expect(withCalcifications.leftOut).toMatchObject({ train: 1, validation: 1 });

      // A reader's correction of the calcification image is learned: the reader said it.
      const calcification = imageOf.get(2 * a)!;
      const saved = await backend.saveAnnotation({
        imageId: calcification.id,
        maskPng: maskPng(calcification.rows, calcification.columns),
        author: 'dr.a',
        findings: { decisions: [], added: [] },
      });
      const corrected = await backend.planFineTune({});
      expect(corrected).toMatchObject({
        groundTruth: { images: 2 },
        corrections: { images: 1 },
        superseded: 1,
        leftOut: { train: 1, validation: 1, byType: { distortion: 1, asymmetry: 1 } },
      });
      const correction = (await backend.listTrainingSamples({})).find((s) => s.annotationId === saved.id)!;

      const job = await backend.fineTunes.waitFor((await backend.fineTunes.start({ steps: 2, size: 64 })).id);
      expect(job.error).toBeNull();
      // Learned: the mass, the normal image (a negative) and the correction; nothing else.
      expect([...job.sampleIds].sort((x, y) => x - y)).toEqual(
        [sampleOf(2 * a - 1).id, sampleOf(2 * b).id, correction.id].sort((x, y) => x - y),
      );
      // Judged on the site's masses and normals only: the asymmetry image is in no set.
      // Its lesions: the two validation masses' circles from the case list.
      expect(
        job.gate?.sets?.map((set) => [set.name, set.role, set.images, set.patients, set.lesions]),
      ).toEqual([['mias', 'site', 3, 2, 2]]);
      expect(job.gate?.measuredOn).toMatch(
        /^this workspace's validation images as stored for training \(0\.2 mm pixels\), both models on the same images;/,
      );
      // The verdict and the candidate's card say what was left out and why.
      expect(job.gate?.leftOut).toEqual(corrected.leftOut);
      expect(job.gate?.leftOut?.reason).toMatch(
        /^Left out 2 images \(1 training, 1 validation\) whose imported ground truth marks architectural distortions \(1\) and asymmetries \(1\):/,
      );
      const candidate = backend.registry.get(job.candidateModel!)!;
      expect(candidate.card.trainingData.description).toContain(corrected.leftOut!.reason);
      await backend.close();
    },
  );

  it('with only undetected types to learn, the refusal says why', async () => {
    const [a] = patientsIn('train', 1) as [number];
    const backend = MammoBackend.open(tempDir(), { shippedModelsDir: shipped });
    const folder = generatedMiasFolder(tempDir(), [
      { n: 2 * a - 1, abnormalityClass: 'CALC' },
      { n: 2 * a, abnormalityClass: 'ARCH' },
    ]);
    await backend.importFiles({ paths: [folder], format: 'mias' });
    expect(await backend.listTrainingSamples({})).toHaveLength(2);
    const refusal =
      'nothing to learn: no training samples of the finding types the model detects (2 training images of imported ground truth left out: they mark lesion types it does not detect); save a correction, or import a labelled data set (mammo import --format mias)';
    expect((await backend.planFineTune({})).refusal).toBe(refusal);
    await expect(backend.fineTunes.start()).rejects.toThrow(refusal);
    await backend.close();
  });
});
