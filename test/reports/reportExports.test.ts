import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { decode, encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingDecision } from '../../main/api/annotations.js';
import type { Image } from '../../main/api/domain.js';
import type { Prediction } from '../../main/api/predictions.js';
import { MammoBackend } from '../../main/backend/MammoBackend.js';
import { PredictionRepository } from '../../main/db/PredictionRepository.js';
import type { ReportContent } from '../../main/reports/reportContent.js';
import { MAMMO_BIN, MIAS_FIXTURE, REPO_ROOT } from '../helpers/paths.js';
import { writeSyntheticDicom } from '../helpers/syntheticDicom.js';

/** dciodvfy prints "Error - ..." for every violation; warnings about DICOMDIR keys are expected. */
function dciodvfyErrors(file: string): string[] {
  const run = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  return `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => line.startsWith('Error'));
}

function disc(
  rows: number,
  columns: number,
  row: number,
  column: number,
  radius: number,
  value: number,
  into = new Uint8Array(rows * columns),
) {
  for (let r = row - radius; r <= row + radius; r++)
    for (let c = column - radius; c <= column + radius; c++)
      if ((r - row) ** 2 + (c - column) ** 2 <= radius ** 2) into[r * columns + c] = value;
  return into;
}

const png = (image: Image, data: Uint8Array) =>
  encode({ width: image.columns, height: image.rows, data, channels: 1, depth: 8 });

describe('reports and standard exports', () => {
  let root: string;
  let backend: MammoBackend;
  let studyId: number;
  let image: Image;
  let finalMask: Uint8Array;
  const out = () => join(root, 'out');
  /** Saves the reader's final mask (the accepted mass and an added calcification) with these decisions. */
  const saveFinalLabel = (decisions: FindingDecision[]) =>
    backend.saveAnnotation({
      imageId: image.id,
      maskPng: Buffer.from(png(image, finalMask)).toString('base64'),
      author: 'Dr Ängström',
      modelId: 'test-model',
      threshold: 0.5,
      findings: {
        decisions,
        // The reader outlined the calcifications a little wider (17 px) than the 12 x 10 px painted.
        added: [
          {
            type: 'calcification',
            centroidRow: 705,
            centroidColumn: 304,
            extent: { top: 697, left: 296, bottom: 714, right: 313 },
          },
        ],
      },
    });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'mammo-reports-'));
    mkdirSync(join(root, 'models'));
    mkdirSync(join(root, 'out'));
    backend = MammoBackend.open(join(root, 'ws'), { shippedModelsDir: join(root, 'models') });
    const { studies } = await backend.importFiles({ paths: [MIAS_FIXTURE], format: 'mias' });
    const study = studies.find((s) => s.patientId === 'MIAS-001')!;
    studyId = study.id;
    image = (await backend.getStudy({ studyId })).images.find((i) => i.laterality === 'R')!;

    // A stored AI prediction (no inference needed): one finding over the MIAS ground-truth mass.
    const map = disc(image.rows, image.columns, 599, 535, 40, 230);
    mkdirSync(join(backend.workspace.root, 'predictions'), { recursive: true });
    writeFileSync(join(backend.workspace.root, 'predictions', 'test-map.png'), png(image, map));
    const prediction: Prediction = {
      imageId: image.id,
      modelId: 'test-model',
      backend: 'wasm',
      createdAt: '2026-11-25T10:00:00.000Z',
      imageScore: 0.9,
      uncertainty: 0.1,
      findingThreshold: 0.5,
      findings: [
        {
          index: 1,
          centroidRow: 599,
          centroidColumn: 535,
          bounds: { top: 559, left: 495, bottom: 639, right: 575 },
          areaPixels: 5025,
          areaMm2: 201,
          maxProbability: 0.9,
          meanProbability: 0.9,
        },
        // Below the operating point (0.5 here: the model has no card, so the prediction's own).
        {
          index: 2,
          centroidRow: 300,
          centroidColumn: 400,
          bounds: { top: 295, left: 395, bottom: 305, right: 405 },
          areaPixels: 100,
          areaMm2: 4,
          maxProbability: 0.45,
          meanProbability: 0.4,
        },
        // Above it, but the reader rejects it.
        {
          index: 3,
          centroidRow: 200,
          centroidColumn: 450,
          bounds: { top: 195, left: 445, bottom: 205, right: 455 },
          areaPixels: 100,
          areaMm2: 4,
          maxProbability: 0.7,
          meanProbability: 0.6,
        },
      ],
      mapPath: 'predictions/test-map.png',
      rows: image.rows,
      columns: image.columns,
      spacingAssumed: false,
      timingsMs: { decode: 0, inference: 0, total: 0 },
    };
    new PredictionRepository(backend.workspace.db).save(prediction);

    // The reader accepts the AI finding and adds a calcification the AI missed.
    finalMask = disc(image.rows, image.columns, 599, 535, 40, 255);
    for (let r = 700; r < 712; r++) for (let c = 300; c < 310; c++) finalMask[r * image.columns + c] = 255;
    await saveFinalLabel([{ findingIndex: 1, decision: 'accepted' }]);
  });

  afterAll(async () => {
    await backend.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('pre-fills a draft from the accepted and added findings, finalises it read-only and amends it as a new version', async () => {
    const draft = await backend.startReport({ studyId, reader: 'Dr A' });
    expect(draft).toMatchObject({ version: 1, status: 'draft', amendsId: null, biRads: null });
    expect(draft.findings).toHaveLength(2);
    const [ai, added] = draft.findings;
    expect(ai).toMatchObject({
      source: 'ai',
      findingIndex: 1,
      laterality: 'R',
      view: image.view,
      aiScore: 0.9,
      type: null,
    });
    expect(ai!.sizeMm).toBeCloseTo(81 * image.pixelSpacingMm![0], 1);
    expect(ai!.depth).not.toBeNull();
    expect(added).toMatchObject({ source: 'reader', type: 'calcification', aiScore: null });
    // Its size is the reader's outline, not the mask under its centre.
    expect(added!.sizeMm).toBeCloseTo(17 * image.pixelSpacingMm![0], 1);
    // Reopening gives the same draft.
    expect((await backend.startReport({ studyId, reader: 'Dr A' })).id).toBe(draft.id);
    expect((await backend.listStudies()).find((study) => study.id === studyId)?.review).toBe('draft');

    await expect(backend.finalizeReport({ reportId: draft.id })).rejects.toThrow(/BI-RADS/);
    await backend.updateReport({
      reportId: draft.id,
      biRads: '4A',
      density: 'c',
      impression: 'Circumscribed mass, right breast. Biopsy advised.',
    });
    const final = await backend.finalizeReport({ reportId: draft.id });
    expect(final).toMatchObject({ status: 'final', biRads: '4A', density: 'c' });
    // The worklist row says so, and shows the stored analysis's case score across sessions.
    const row = (await backend.listStudies()).find((study) => study.id === studyId)!;
    expect(row.review).toBe('final');
    expect(row.aiScore).not.toBeNull();
    expect(final.finalizedAt).not.toBeNull();
    await expect(backend.updateReport({ reportId: draft.id, biRads: '5' })).rejects.toThrow(/read-only/);
    await expect(backend.startReport({ studyId, reader: 'Dr A' })).rejects.toThrow(/amend/);

    const amendment = await backend.amendReport({
      reportId: final.id,
      reader: 'Dr B',
      reason: 'Density revised',
    });
    expect(amendment).toMatchObject({
      version: 2,
      status: 'draft',
      amendsId: final.id,
      biRads: '4A',
      reader: 'Dr B',
    });
    await backend.updateReport({ reportId: amendment.id, density: 'd' });
    await backend.finalizeReport({ reportId: amendment.id });
    const versions = await backend.listReports({ studyId });
    expect(versions.map((r) => [r.version, r.status, r.density])).toEqual([
      [2, 'final', 'd'],
      [1, 'amended', 'c'],
    ]);
  });

  it('exports JSON and a PDF with the same content; the PDF renders with its text', async () => {
    const json = join(out(), 'report.json');
    const pdf = join(out(), 'report.pdf');
    await backend.exportStudyTo(studyId, 'json', json);
    const result = await backend.exportStudyTo(studyId, 'pdf', pdf);
    expect(result.files).toEqual([pdf]);
    const content = JSON.parse(readFileSync(json, 'utf8')) as ReportContent;
    expect(content).toMatchObject({
      patient: { patientId: 'MIAS-001' },
      report: { version: 2, status: 'final' },
      assessment: { biRads: '4A', density: 'd' },
      ai: [{ modelId: 'test-model', backend: 'wasm', findingThreshold: 0.5 }],
    });
    expect(content.findings).toHaveLength(2);
    expect(content.disclaimer).toMatch(/decision support from research software/);

    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const expected of [
      'MIAS-001',
      'BI-RADS 4A',
      'Breast density d',
      'test-model',
      'wasm',
      '0.50',
      'Dr B',
      'Key images',
      'Circumscribed mass',
      'calcification',
      // The model has no card here: read as masses only, and the report says so.
      'Detects masses only.',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text.replace(/\s+/g, ' ')).toContain('The AI output is decision support from research software');

    const pages = join(out(), 'pages');
    mkdirSync(pages);
    execFileSync('pdftoppm', ['-r', '40', '-png', pdf, join(pages, 'p')]);
    const files = readdirSync(pages).filter((f) => f.endsWith('.png'));
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const file of files) {
      const page = decode(readFileSync(join(pages, file)));
      let ink = 0;
      for (let i = 0; i < page.data.length; i += page.channels) if (page.data[i]! < 200) ink++;
      expect(ink, file).toBeGreaterThan(200);
    }
  });

  it('writes a binary SEG that dciodvfy accepts and that re-imports with the mask intact', async () => {
    const folder = join(out(), 'seg');
    const result = await backend.exportStudyTo(studyId, 'seg', folder);
    // The right image's saved mask, and the left image's ground truth (it has no correction).
    expect(result.files).toHaveLength(2);
    const file = result.files.find((f) => f.includes(`image${image.id}_v`))!;
    expect(dciodvfyErrors(file)).toEqual([]);
    const dump = execFileSync('dcmdump', [file], { encoding: 'utf8' });
    expect(dump).toContain(image.sopInstanceUid);
    expect(dump).toContain('BINARY');

    const before = await backend.listAnnotations({ imageId: image.id });
    const imported = await backend.importFiles({ paths: [file], format: 'dicom' });
    expect(imported).toMatchObject({ imported: 1, errors: [] });
    const after = await backend.listAnnotations({ imageId: image.id });
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]!.author).toBe('Dr Ängström');
    const mask = decode(
      Buffer.from((await backend.getAnnotationMask({ annotationId: after[0]!.id })).maskPng, 'base64'),
    ).data;
    expect(Buffer.compare(Buffer.from(mask), Buffer.from(finalMask))).toBe(0);
    // The same SEG again changes nothing.
    expect(await backend.importFiles({ paths: [file], format: 'dicom' })).toMatchObject({
      imported: 0,
      skipped: 1,
    });
  });

  it('writes the imported ground truth of an image without a correction, and says so', async () => {
    const result = await backend.exportStudyTo(studyId, 'seg', join(out(), 'seg-ground-truth'));
    const left = (await backend.getStudy({ studyId })).images.find((i) => i.laterality === 'L')!;
    const file = result.files.find((f) => f.includes(`image${left.id}_ground-truth`))!;
    expect(result.notes).toContain(
      `image ${left.id} (LMLO) has no saved correction: wrote its imported ground truth (mini-MIAS)`,
    );
    expect(dciodvfyErrors(file)).toEqual([]);
    const dump = execFileSync('dcmdump', [file], { encoding: 'utf8' });
    expect(dump).toContain(left.sopInstanceUid);
    expect(dump).toMatch(/\(0008,103e\) LO \[Imported ground truth \(no correction saved\)\]/);
    expect(dump).toMatch(/\(0070,0080\) CS \[GROUND_TRUTH\]/);

    // The mask is the case list's circle: mdb002 x 522, y 280 counted from the bottom, radius 69.
    const dataSet = dicomParser.parseDicom(readFileSync(file));
    const pixelData = dataSet.elements['x7fe00010']!;
    const bits = dataSet.byteArray.subarray(pixelData.dataOffset, pixelData.dataOffset + pixelData.length);
    // PS3.5 8.1.1: one bit per pixel, the first pixel in the lowest bit of the first byte.
    const mask = Uint8Array.from({ length: left.rows * left.columns }, (_, i) =>
      (bits[i >> 3]! >> (i & 7)) & 1 ? 255 : 0,
    );
    const circle = disc(left.rows, left.columns, 1024 - 280, 522, 69, 255);
    expect(Buffer.compare(Buffer.from(mask), Buffer.from(circle))).toBe(0);
  });

  it('says why it writes no ground truth for a normal image or a lesion without a centre', async () => {
    const mias108 = (await backend.listStudies({})).find((s) => s.patientId === 'MIAS-108')!;
    const images = (await backend.getStudy({ studyId: mias108.id })).images;
    const [normal, calcifications] = ['R', 'L'].map((side) => images.find((i) => i.laterality === side)!);
    const target = join(out(), 'seg-mias108');
    const result = await backend.exportStudyTo(mias108.id, 'seg', target);
    expect(result.files).toEqual([]);
    expect(result.notes).toEqual([
      `image ${normal!.id} (RMLO) has no saved mask`,
      `image ${calcifications!.id} (LMLO) has no saved mask; its ground truth gives a lesion without a centre, which cannot be drawn`,
      'no image of the study has a saved mask or ground-truth lesions',
      `nothing was written, so no folder was made at ${target}`,
    ]);
    expect(existsSync(target)).toBe(false);
  });

  it('writes no training folder for a study with nothing to export, and says so', async () => {
    // A DICOM image with no ground truth and no saved mask has no training sample.
    const file = join(root, 'unlabelled.dcm');
    writeFileSync(
      file,
      writeSyntheticDicom({ patientId: 'UNLABELLED-1', imageLaterality: 'L', viewPosition: 'CC' }),
    );
    const { studies } = await backend.importFiles({ paths: [file], format: 'dicom' });
    const target = join(out(), 'training-unlabelled');
    const result = await backend.exportStudyTo(studies[0]!.id, 'training', target);
    expect(result.files).toEqual([]);
    expect(result.notes).toEqual([
      'the study has no training samples to export',
      `nothing was written, so no folder was made at ${target}`,
    ]);
    expect(existsSync(target)).toBe(false);
  });

  it('writes a fractional SEG of the probability map that dciodvfy accepts', async () => {
    const result = await backend.exportStudyTo(studyId, 'fractional-seg', join(out(), 'fseg'));
    expect(result.files).toHaveLength(1);
    expect(dciodvfyErrors(result.files[0]!)).toEqual([]);
    const dump = execFileSync('dcmdump', [result.files[0]!], { encoding: 'utf8' });
    expect(dump).toContain('FRACTIONAL');
    expect(dump).toContain('PROBABILITY');
  });

  it('writes a Mammography CAD SR of the AI findings and the reader decisions that dsrdump and dciodvfy accept', async () => {
    // The newest label decides: it accepts the first AI finding and rejects the third.
    await saveFinalLabel([
      { findingIndex: 1, decision: 'accepted' },
      { findingIndex: 3, decision: 'rejected' },
    ]);
    const file = join(out(), 'cad-sr.dcm');
    const result = await backend.exportStudyTo(studyId, 'sr', file);
    expect(result.notes.join('\n')).toMatch(/has no AI prediction/); // the left image
    expect(dciodvfyErrors(file)).toEqual([]);
    const dump = spawnSync('dsrdump', ['+Pu', '+Pl', file], { encoding: 'utf8' });
    expect(dump.status).toBe(0);
    expect(dump.stderr).not.toMatch(/^E:/m);
    for (const expected of [
      'Mammography CAD SR Document',
      'Mammography CAD Report',
      'Image Library',
      '(24028007,SCT,"Right")',
      'Individual Impression/Recommendation',
      '(52988006,SCT,"Lesion")',
      // PS3.16 DCM codes: Rendering Intent values 111150/111151/111152, Certainty of Finding 111012.
      '"Certainty of Finding")="90" (%,UCUM,"Percent")',
      '"Certainty of Finding")="45"',
      '"Certainty of Finding")="70"',
      '(111150,DCM,"Presentation Required: Rendering device is expected to present")',
      '(111151,DCM,"Presentation Optional: Rendering device may present")',
      '(111152,DCM,"Not for Presentation: Rendering device expected not to present")',
      '"Comment")="Reader decision: accepted"',
      '"Comment")="Reader decision: rejected"',
      '"Center")=(POINT,535.5/599.5)',
      '"Outline")=(POLYLINE',
      '(111223,DCM,"Partially Succeeded")',
      'model=test-model backend=wasm findingThreshold=0.5',
      image.sopInstanceUid,
    ]) {
      expect(dump.stdout).toContain(expected);
    }
    expect(dump.stdout.match(/Individual Impression\/Recommendation/g)).toHaveLength(3);
    // The network's score is not a calibrated probability of malignancy.
    expect(dump.stdout).not.toContain('Probability of cancer');
    // The rejected finding (the third) is the one not to present.
    const third = dump.stdout.slice(dump.stdout.lastIndexOf('Individual Impression/Recommendation'));
    expect(third).toContain('Not for Presentation');
  });

  it('exports de-identified training samples and refuses a non-empty target naming it', async () => {
    const folder = join(out(), 'training');
    const result = await backend.exportStudyTo(studyId, 'training', folder);
    const manifestText = readFileSync(join(folder, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(manifestText) as {
      samples: { file: string; case: string; laterality: string }[];
    };
    // Both breasts' images (the right one's correction, the left one's ground truth) are one patient's: one case.
    expect(new Set(manifest.samples.map((s) => s.laterality))).toEqual(new Set(['R', 'L']));
    expect(new Set(manifest.samples.map((s) => s.case))).toEqual(new Set(['case-1']));
    expect(new Set(manifest.samples.map((s) => s.file)).size).toBe(manifest.samples.length);
    const detail = await backend.getStudy({ studyId });
    for (const secret of [
      'MIAS-001',
      detail.study.studyUid,
      image.sopInstanceUid,
      'Ängström',
      image.sha256,
    ]) {
      expect(manifestText).not.toContain(secret);
      expect(readdirSync(join(folder, 'images')).join(' ')).not.toContain(secret);
    }
    const sample = readFileSync(join(folder, manifest.samples[0]!.file));
    expect(sample.includes(Buffer.from('tEXt'))).toBe(false);
    expect(result.files).toContain(join(folder, 'README.txt'));

    await expect(backend.exportStudyTo(studyId, 'training', folder)).rejects.toThrow(
      `${folder}: already exists`,
    );
    await expect(backend.exportStudyTo(studyId, 'pdf', join(root, 'missing', 'r.pdf'))).rejects.toThrow(
      join(root, 'missing', 'r.pdf'),
    );
    expect(readdirSync(out()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('runs from the CLI: mammo export STUDY --json --sr --seg', () => {
    const folder = mkdtempSync(join(tmpdir(), 'mammo-cli-export-'));
    try {
      const run = spawnSync(
        process.execPath,
        [
          MAMMO_BIN,
          '--workspace',
          backend.workspace.root,
          'export',
          String(studyId),
          '--json',
          join(folder, 'r.json'),
          '--sr',
          join(folder, 'sr.dcm'),
          '--seg',
          join(folder, 'seg'),
        ],
        { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, MAMMO_MODELS_DIR: join(root, 'models') } },
      );
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('json: wrote 1 file');
      expect(existsSync(join(folder, 'sr.dcm'))).toBe(true);
      expect(readdirSync(join(folder, 'seg'))).toHaveLength(2);
      expect(run.stdout).toMatch(
        /note: image \d+ \(LMLO\) has no saved correction: wrote its imported ground truth/,
      );
      const bad = spawnSync(
        process.execPath,
        [
          MAMMO_BIN,
          '--workspace',
          backend.workspace.root,
          'export',
          String(studyId),
          '--pdf',
          join(folder, 'nope', 'r.pdf'),
        ],
        {
          cwd: REPO_ROOT,
          encoding: 'utf8',
          env: { ...process.env, MAMMO_MODELS_DIR: join(root, 'models') },
        },
      );
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain(join(folder, 'nope', 'r.pdf'));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
