/**
 * `mammo evaluate` on the COCO layout of CBIS-DDSM, on a miniature generated here: 200x200 grey
 * JPEGs (squashed 1.70 rows per column, so 200 columns x 340 rows of square pixels), their
 * `_annotations.coco.json` and the case table beside the folder, measured with an untrained tiny
 * model. Where the model peaks is found first; the boxes are then drawn so that one holds the
 * image's strongest peak only once its rows are scaled by 1.70, and the other only if they were not.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { evaluateCocoFolder } from '../../main/evaluation/evaluateCocoFolder.js';
import { frocCandidates, type ScoredFinding } from '../../main/evaluation/froc.js';
import { readSquareImage } from '../../main/studies/cbis/squareImage.js';
import { encodeJpegBaseline } from '../helpers/encoders.js';
import { MAMMO_BIN } from '../helpers/paths.js';
import { useTempDir } from '../helpers/tempDir.js';
import { saveTinyModel } from '../helpers/tinyModel.js';

const SIDE = 200;
/** SOURCE.md: one squashed row is 1.70 square-pixel rows (200 -> 340). */
const SQUASH = 340 / 200;
const HEADER =
  'patient_id,breast_density,left or right breast,image view,abnormality id,abnormality type,mass shape,mass margins,assessment,pathology,subtlety,image file path,cropped image file path,ROI mask file path';

/** A squashed copy: dark background, a bright blob near the middle. */
function squashedPixels(): Uint8Array {
  return new Uint8Array(SIDE * SIDE).map((_, i) => {
    const row = Math.floor(i / SIDE);
    const column = i % SIDE;
    const blob = Math.exp(-((row - 70) ** 2 + (column - 110) ** 2) / (2 * 15 ** 2));
    return Math.round(30 + 200 * blob + (column < 150 ? 20 : 0));
  });
}

/** A COCO box [x, y, width, height] as square pixels (the outside truth: rows x 1.70). */
const squareExtent = ([x, y, w, h]: number[]) => ({
  left: x!,
  right: x! + w!,
  top: y! * SQUASH,
  bottom: (y! + h!) * SQUASH,
});
const inside = (peak: ScoredFinding, box: number[]) => {
  const e = squareExtent(box);
  const [x, y] = [peak.centroidColumn + 0.5, peak.centroidRow + 0.5];
  return x >= e.left && x <= e.right && y >= e.top && y <= e.bottom;
};

describe('mammo evaluate on the CBIS-DDSM COCO layout', () => {
  const tempDir = useTempDir();
  // Made once for the whole suite (useTempDir's folders go after each test).
  const suiteDirs: string[] = [];
  const suiteDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mammo-cbis-evaluate-'));
    suiteDirs.push(dir);
    return dir;
  };
  let shipped: string;
  let backend: MammoBackend;
  let root: string;
  let hitBox: number[];
  let missBox: number[];

  beforeAll(async () => {
    shipped = join(suiteDir(), 'models');
    await saveTinyModel(shipped, 'tiny-a', { seed: 1 });
    // A second version, for --against: other weights, so other peaks and other figures.
    await saveTinyModel(shipped, 'tiny-b', { seed: 2 });
    backend = MammoBackend.open(suiteDir(), {
      shippedModelsDir: shipped,
      analysis: { workers: 1, backend: 'wasm' },
    });
    const jpeg = await encodeJpegBaseline({
      width: SIDE,
      height: SIDE,
      bitsPerSample: 8,
      values: squashedPixels(),
    });

    // Where the model peaks on the square-pixel image.
    const square = await readSquareImage(jpeg);
    const png = join(suiteDir(), 'square.png');
    writeFileSync(png, square.png);
    const result = await backend.analysis.predictFile(png, [0.19, 0.19], { modelId: 'tiny-a' });
    const probability = Float32Array.from(decode(result.mapPng).data, (v) => v / 255);
    const peaks = frocCandidates(probability, result.rows, result.columns, 0.19);
    const top = peaks.reduce((a, b) => (b.score > a.score ? b : a));
    const [r, c] = [top.centroidRow, top.centroidColumn];
    // Holds the top peak once its rows are scaled; unscaled it would lie far above it.
    hitBox = [c - 4, r / SQUASH - 4, 8, 8];
    // Would hold the top peak if rows were not scaled; scaled, it lies far below it.
    missBox = [c - 4, r - 4, 8, 8];
    expect(r + 4, 'the strongest peak must lie where the miss box fits the squashed image').toBeLessThan(
      SIDE,
    );
    expect(r / SQUASH - 4).toBeGreaterThan(0);
    expect(peaks.filter((p) => inside(p, hitBox))).toEqual([top]);
    expect(peaks.filter((p) => inside(p, missBox))).toEqual([]);

    root = suiteDir();
    const folder = join(root, 'train');
    mkdirSync(folder);
    const entries = [
      { file: '00001_LEFT_CC.jpg', boxes: [hitBox] },
      { file: '00002_RIGHT_MLO.jpg', boxes: [missBox] },
      // A box past the image's right edge: this image is skipped, in one line.
      { file: '00003_LEFT_MLO.jpg', boxes: [[190, 10, 30, 30]] },
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
        HEADER,
        'P_00001,2,LEFT,CC,1,mass,OVAL,CIRCUMSCRIBED,5,MALIGNANT,4,a.dcm,b.dcm,c.dcm',
        'P_00002,3,RIGHT,MLO,1,mass,OVAL,CIRCUMSCRIBED,3,BENIGN_WITHOUT_CALLBACK,2,a.dcm,b.dcm,c.dcm',
        'P_00003,1,LEFT,MLO,1,mass,OVAL,CIRCUMSCRIBED,3,BENIGN,2,a.dcm,b.dcm,c.dcm',
      ].join('\n'),
    );
  }, 300_000);

  afterAll(async () => {
    await backend?.close();
    for (const dir of suiteDirs) rmSync(dir, { recursive: true, force: true });
  });

  const evaluate = (...extra: string[]) =>
    spawnSync(
      process.execPath,
      [
        MAMMO_BIN,
        '--workspace',
        tempDir(),
        'evaluate',
        '--images',
        join(root, 'train'),
        '--annotations',
        join(root, 'train', '_annotations.coco.json'),
        ...extra,
      ],
      { encoding: 'utf8', env: { ...process.env, MAMMO_MODELS_DIR: shipped, MAMMO_TF_BACKEND: 'wasm' } },
    );

  it('--json: lesion FROC with intervals, the box hit and the box missed, breakdowns, no image AUC', () => {
    const run = evaluate('--json');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/skipped .*00003_LEFT_MLO\.jpg: box .* lies outside the 200x200 image/);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      images: 2,
      patients: 2,
      lesions: 2,
      backend: 'wasm',
      modelId: 'tiny-a',
      imageAUC: null,
      // Both images are the same pixels: at the strongest score one lesion is hit (image 1) and
      // one false positive made (image 2's peak, outside its box): 0.5 FP/image.
      lesionSensitivityAt1FP: 0.5,
      lesionSensitivityAtFP: { '0.25': 0, '0.5': 0.5, '1': 0.5, '2': 0.5, '4': 0.5 },
      byPathology: {
        malignant: { images: 1, lesions: 1, lesionSensitivityAt1FP: 1 },
        benign: { images: 1, lesions: 1, lesionSensitivityAt1FP: 0 },
      },
      byBiradsDensity: { '2': { lesions: 1 }, '3': { lesions: 1 } },
      bySubtlety: { '4': { lesionSensitivityAt1FP: 1 }, '2': { lesionSensitivityAt1FP: 0 } },
      byView: { CC: { lesionSensitivityAt1FP: 1 }, MLO: { lesionSensitivityAt1FP: 0 } },
      breakdownNote: null,
    });
    expect(report['imageAUCNote']).toMatch(/^undefined: every image holds a lesion/);
    expect(report['lesionFroc']).toHaveLength(5);
    expect((report['lesionFroc'] as { ci: unknown }[])[2]!.ci).toHaveProperty('low');
    expect(report['lesionDice']).toBeGreaterThanOrEqual(0);
    expect(report['lesionDice']).toBeLessThanOrEqual(1);
    expect(report['ci']).toMatchObject({ imageAUC: null, lesionDice: { low: expect.any(Number) } });
  }, 300_000);

  it('says image AUC is undefined and, without a case table, which breakdowns it cannot give', async () => {
    rmSync(join(root, 'mass_case_description_train_set.csv'));
    const run = evaluate();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/image level: AUC undefined: every image holds a lesion/);
    expect(run.stdout).not.toMatch(/AUC \d/);
    expect(run.stdout).toMatch(
      /no pathology, density or subtlety breakdowns: no case table \(\*case_description_train_set\.csv\) beside train\//,
    );
    expect(run.stdout).toMatch(/by view \(sensitivity @1 FP\/image\): CC 1\.000 \(1 lesions\), MLO 0\.000/);

    const result = await evaluateCocoFolder(backend.analysis, {
      imagesDir: join(root, 'train'),
      annotationsFile: join(root, 'train', '_annotations.coco.json'),
      model: backend.analysis.resolveModel('tiny-a'),
      bootstrapReplicates: 10,
    });
    expect(result).toMatchObject({
      byPathology: null,
      byBiradsDensity: null,
      bySubtlety: null,
      caseTables: [],
    });
    expect(result.imageScores.map((s) => [s.image, s.patientId, s.abnormal])).toEqual([
      ['00001_LEFT_CC.jpg', 'CBIS-DDSM-P_00001', true],
      ['00002_RIGHT_MLO.jpg', 'CBIS-DDSM-P_00002', true],
    ]);
  }, 300_000);

  it("--against: paired differences whose two sides are each version's own figures, zero against itself", async () => {
    type Comparison = {
      metric: string;
      candidate: number;
      current: number;
      difference?: number;
      interval?: { low: number; high: number };
      skipped?: string;
    };
    type Report = {
      lesionSensitivityAt1FP: number;
      lesionDice: number;
      paired?: {
        model: string;
        against: string;
        images: number;
        patients: number;
        lesions: number;
        comparisons: Comparison[];
      };
    };
    // Each version measured alone, in this process, on the same folder.
    const alone = (model: string) =>
      evaluateCocoFolder(backend.analysis, {
        imagesDir: join(root, 'train'),
        annotationsFile: join(root, 'train', '_annotations.coco.json'),
        model: backend.analysis.resolveModel(model),
        bootstrapReplicates: 10,
      });
    const [a, b] = [await alone('tiny-a'), await alone('tiny-b')];
    // The two differ, so a swapped pairing would show.
    expect([a.lesionSensitivityAt1FP, a.lesionDice]).not.toEqual([b.lesionSensitivityAt1FP, b.lesionDice]);

    const run = evaluate('--json', '--model', 'tiny-a', '--against', 'tiny-b');
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    // The report itself is tiny-a's, as without --against.
    expect(report.lesionSensitivityAt1FP).toBe(a.lesionSensitivityAt1FP);
    expect(report.paired).toMatchObject({
      model: 'tiny-a',
      against: 'tiny-b',
      images: 2,
      patients: 2,
      lesions: 2,
    });
    const byMetric = new Map(report.paired!.comparisons.map((c) => [c.metric, c]));
    // Every image holds a mass: image AUC cannot be compared, and the reason says so.
    expect(byMetric.get('imageAUC')!.skipped).toMatch(/every image holds a lesion/);
    for (const metric of ['lesionSensitivityAt1FP', 'lesionDice'] as const) {
      const c = byMetric.get(metric)!;
      // Each side is what that version scores measured alone on the same folder.
      expect(c.candidate, metric).toBeCloseTo(a[metric], 12);
      expect(c.current, metric).toBeCloseTo(b[metric], 12);
      expect(c.difference!, metric).toBeCloseTo(a[metric] - b[metric], 12);
      expect(c.interval!.low).toBeLessThanOrEqual(c.difference! + 1e-12);
      expect(c.interval!.high).toBeGreaterThanOrEqual(c.difference! - 1e-12);
    }

    // A version against itself: every replicate's difference is exactly zero.
    const self = evaluate('--model', 'tiny-b', '--against', 'tiny-b');
    expect(self.status, self.stderr).toBe(0);
    expect(self.stdout).toMatch(/paired with tiny-b on the same 2 images \(2 patients, 2 lesions\)/);
    expect(self.stdout).toMatch(
      /lesion sensitivity at 1 FP\/image \d\.\d{3} → \d\.\d{3} \(difference \+0\.000, 95% CI \+0\.000 to \+0\.000\): inside noise/,
    );
    expect(self.stdout).toMatch(/image AUC: not compared \(every image holds a lesion/);
  }, 300_000);
});
