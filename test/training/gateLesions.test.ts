/**
 * The lesions the promotion gate counts on a validation sample are the ones `mammo evaluate`
 * counts on the image: the imported boxes (CBIS-DDSM) and circles (mini-MIAS), one per finding,
 * in the sample's pixels. Before, the gate read them back from the sample's mask (each 4-connected
 * piece in its enclosing circle): touching ellipses became one lesion (v5 on CBIS-DDSM validation:
 * 263 lesions for 267 boxes, sensitivity 0.696 against the card's 0.685), and a peak in a box's
 * corner was a miss.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { fillEllipse } from '../../main/annotations/groundTruthMask.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { StudyRepository } from '../../main/db/StudyRepository.js';
import { TrainingSampleRepository } from '../../main/db/TrainingSampleRepository.js';
import { evaluateCocoFolder } from '../../main/evaluation/evaluateCocoFolder.js';
import { frocCandidates } from '../../main/evaluation/froc.js';
import { tileRunnerFor } from '../../main/inference/modelRunner.js';
import { selectBackend } from '../../main/ml/backend/selectBackend.js';
import { readSquareImage } from '../../main/studies/cbis/squareImage.js';
import { lesionsInSample, validationSamplesOf } from '../../main/training/sampleLesions.js';
import { encodeRgbSample } from '../../main/training/rgbSample.js';
import { parseTrainingConfig } from '../../main/training/trainingConfig.js';
import { SAMPLE_SPACING_MM } from '../../main/training/TrainingSetBuilder.js';
import type { TrainingJobSpec } from '../../main/training/trainingProtocol.js';
import { validateOnSamples } from '../../main/training/validateOnSamples.js';
import { encodeJpegBaseline } from '../helpers/encoders.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel, tinyNetwork } from '../helpers/tinyModel.js';

/** What validateOnSamples reads of a card: one pass, 0.4 mm, the usual normalisation. */
const CARD = {
  inputPixelSpacingMm: 0.4,
  normalisation: { offset: 127, scale: 255 },
  thresholds: { image: 0.5, finding: 0.5 },
} as TrainingJobSpec['card'];

/** A network stand-in whose probability is the tile's own brightness (pixel / 255). */
const brightness = async (tiles: Float32Array) => tiles.map((v) => v + CARD.normalisation.offset / 255);

describe('lesionsInSample', () => {
  it('keeps each box and circle where it lies in millimetres when the sample is resampled', () => {
    // CBIS-DDSM: 800x1360 square pixels at 0.19 mm, stored as a 0.2 mm sample of 760x1292.
    const [box] = lesionsInSample(
      [{ box: { left: 100, top: 200, width: 40, height: 60 }, circle: null }],
      { rows: 1360, columns: 800 },
      { rows: 1292, columns: 760 },
    )!;
    // 100 px x 0.19 mm = 19 mm = 95 px x 0.2 mm; and so on.
    expect(box).toEqual({ left: 95, top: 190, width: 38, height: 57 });
    // mini-MIAS: stored at its own 0.2 mm, its circle unchanged; a circle centre is a pixel index.
    expect(
      lesionsInSample(
        [{ circle: { centerColumn: 512, centerRow: 300, radius: 40 } }],
        { rows: 1024, columns: 1024 },
        { rows: 1024, columns: 1024 },
      ),
    ).toEqual([{ centerColumn: 512, centerRow: 300, radius: 40 }]);
    // Half the size: pixel 1's centre (1.5) goes to 0.75, i.e. index 0.25.
    expect(
      lesionsInSample(
        [{ circle: { centerColumn: 1, centerRow: 1, radius: 8 } }],
        { rows: 20, columns: 20 },
        { rows: 10, columns: 10 },
      ),
    ).toEqual([{ centerColumn: 0.25, centerRow: 0.25, radius: 4 }]);
  });

  it('is one lesion per finding, the box where a finding has both, and null for a finding with neither', () => {
    const image = { rows: 10, columns: 10 };
    const both = {
      box: { left: 1, top: 1, width: 4, height: 4 },
      circle: { centerColumn: 3, centerRow: 3, radius: 3 },
    };
    expect(lesionsInSample([both, both], image, image)).toEqual([both.box, both.box]);
    expect(lesionsInSample([], image, image)).toEqual([]);
    expect(lesionsInSample([both, { circle: null }], image, image)).toBeNull();
  });
});

describe('validateOnSamples counts the imported lesions', () => {
  const tempDir = useTempDir();

  it('two touching boxes are two lesions, and a peak in a box’s corner hits it', async () => {
    const rows = 300;
    const columns = 300;
    // Tissue on the left two thirds, one bright spot at (157, 157).
    const scan = new Uint8Array(rows * columns).map((_, i) => {
      const r = Math.floor(i / columns);
      const c = i % columns;
      const spot = Math.exp(-((r - 157) ** 2 + (c - 157) ** 2) / (2 * 3 ** 2));
      return c < 220 ? Math.round(80 + 170 * spot) : 0;
    });
    // A holds the spot in its lower right corner: 38 px from A's centre, outside the 31 px circle
    // that encloses its ellipse. B overlaps A by 5 columns, so their ellipses touch.
    const a = { left: 100, top: 100, width: 60, height: 60 };
    const b = { left: 45, top: 100, width: 60, height: 60 };
    const mask = new Uint8Array(rows * columns);
    fillEllipse(mask, rows, columns, a);
    fillEllipse(mask, rows, columns, b);
    const path = join(tempDir(), 'sample.png');
    writeFileSync(path, encodeRgbSample({ rows, columns, scan, mask }));
    const image = { rows, columns };
    const report = await validateOnSamples(brightness, {
      config: parseTrainingConfig({}),
      sampleSpacingMm: SAMPLE_SPACING_MM,
      card: CARD,
      validationSamples: [
        { path, patientId: 'P1', lesions: lesionsInSample([{ box: a }, { box: b }], image, image)! },
      ],
    });
    expect(report.cases[0]!.candidates[0]).toMatchObject({ centroidRow: 157, centroidColumn: 157 });
    expect(report.lesions).toBe(2);
    // A found by the strongest peak, B by none.
    expect(report.lesionSensitivityAt1FP).toBe(0.5);
  });
});

describe('the gate measures the parent as mammo evaluate does', () => {
  const tempDir = useTempDir();
  const SIDE = 200;
  const SQUASH = 340 / 200;
  let backend: MammoBackend;
  let root: string;
  let network: ReturnType<typeof tinyNetwork>;

  beforeAll(async () => {
    await selectBackend({ prefer: 'wasm', logger: { warn: () => undefined } });
  });

  it('on a generated CBIS-DDSM folder: the same lesions (touching boxes apart) and the same sensitivity', async () => {
    const shipped = tempDir();
    network = tinyNetwork({ seed: 1 });
    const card = await saveTinyModel(shipped, 'tiny-a', { network });
    backend = MammoBackend.open(tempDir(), {
      shippedModelsDir: shipped,
      analysis: { workers: 1, backend: 'wasm' },
    });
    try {
      const values = new Uint8Array(SIDE * SIDE).map((_, i) => {
        const row = Math.floor(i / SIDE);
        const column = i % SIDE;
        const blob = Math.exp(-((row - 70) ** 2 + (column - 110) ** 2) / (2 * 15 ** 2));
        return Math.round(30 + 200 * blob + (column < 150 ? 20 : 0));
      });
      const jpeg = await encodeJpegBaseline({ width: SIDE, height: SIDE, bitsPerSample: 8, values });
      // Where the model peaks on the square-pixel image, as `mammo evaluate` reads it.
      const square = await readSquareImage(jpeg);
      const png = join(tempDir(), 'square.png');
      writeFileSync(png, square.png);
      const result = await backend.analysis.predictFile(png, [0.19, 0.19], { modelId: 'tiny-a' });
      const probability = Float32Array.from(decode(result.mapPng).data, (v) => v / 255);
      const top = frocCandidates(probability, result.rows, result.columns, 0.19)[0]!;
      const [r, c] = [top.centroidRow + 0.5, top.centroidColumn + 0.5];
      // COCO boxes are squashed: [x, y / 1.70, width, height / 1.70]. Image 1: a 40 px box around
      // the strongest peak and one overlapping it on the side away from the image's middle; image 2
      // (another patient): a box far from it.
      const side = c < SIDE / 2 ? 1 : -1;
      const hit = [c - 20, (r - 20) / SQUASH, 40, 40 / SQUASH];
      const touching = [side > 0 ? c + 15 : c - 45, (r - 20) / SQUASH, 30, 40 / SQUASH];
      const far = [side > 0 ? SIDE - 45 : 5, r > 170 ? 10 : 250 / SQUASH, 40, 40 / SQUASH];
      for (const box of [hit, touching, far]) {
        expect(box[0]!).toBeGreaterThanOrEqual(0);
        expect(box[0]! + box[2]!).toBeLessThanOrEqual(SIDE);
        expect(box[1]!).toBeGreaterThanOrEqual(0);
        expect(box[1]! + box[3]!).toBeLessThanOrEqual(SIDE);
      }
      root = tempDir();
      const folder = join(root, 'train');
      mkdirSync(folder);
      const entries = [
        { file: '00001_LEFT_CC.jpg', boxes: [hit, touching] },
        { file: '00002_RIGHT_MLO.jpg', boxes: [far] },
      ];
      let id = 0;
      writeFileSync(
        join(folder, '_annotations.coco.json'),
        JSON.stringify({
          categories: [{ id: 0, name: 'Mass' }],
          images: entries.map((e, i) => ({ id: i, file_name: e.file, width: SIDE, height: SIDE })),
          annotations: entries.flatMap((e, i) =>
            e.boxes.map((bbox) => ({ id: id++, image_id: i, category_id: 0, bbox })),
          ),
        }),
      );
      for (const e of entries) writeFileSync(join(folder, e.file), jpeg);
      writeFileSync(
        join(root, 'mass_case_description_train_set.csv'),
        [
          'patient_id,breast_density,left or right breast,image view,abnormality id,abnormality type,mass shape,mass margins,assessment,pathology,subtlety,image file path,cropped image file path,ROI mask file path',
          'P_00001,2,LEFT,CC,1,mass,OVAL,CIRCUMSCRIBED,5,MALIGNANT,4,a.dcm,b.dcm,c.dcm',
          'P_00001,2,LEFT,CC,2,mass,OVAL,CIRCUMSCRIBED,4,BENIGN,3,a.dcm,b.dcm,c.dcm',
          'P_00002,3,RIGHT,MLO,1,mass,OVAL,CIRCUMSCRIBED,3,BENIGN,2,a.dcm,b.dcm,c.dcm',
        ].join('\n'),
      );

      const evaluated = await evaluateCocoFolder(backend.analysis, {
        imagesDir: folder,
        annotationsFile: join(folder, '_annotations.coco.json'),
        model: backend.analysis.resolveModel('tiny-a'),
        bootstrapReplicates: 10,
      });
      const imported = await backend.importFiles({ paths: [root], format: 'cbis-ddsm' });
      expect(imported.errors).toEqual([]);
      const samples = new TrainingSampleRepository(backend.workspace.db).list();
      expect(samples).toHaveLength(2);
      const gate = await validateOnSamples(tileRunnerFor(network), {
        config: parseTrainingConfig({}),
        sampleSpacingMm: SAMPLE_SPACING_MM,
        card,
        validationSamples: validationSamplesOf(
          samples,
          new StudyRepository(backend.workspace.db),
          backend.workspace.resolvePath.bind(backend.workspace),
        ),
      });
      // The COCO file lists three boxes; the two on image 1 touch.
      expect(evaluated.lesions).toBe(3);
      expect(gate.lesions).toBe(3);
      expect(gate.images).toBe(evaluated.images);
      expect(gate.lesionSensitivityAt1FP).toBe(evaluated.lesionSensitivityAt1FP);
    } finally {
      await backend.close();
      network.dispose();
    }
  }, 300_000);
});
