import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { DECISION_SUPPORT_STATEMENT } from '../../main/api/reports.js';
import { renderReportPdf, type PdfKeyImage } from '../../main/reports/pdfReport.js';
import type { ReportContent, ReportModelEntry } from '../../main/reports/reportContent.js';
import { detectedFindingTypes, detectionScope } from '../../main/api/detectedFindings.js';
import { modelCardSchema } from '../../main/registry/modelCardSchema.js';
import { REPO_ROOT } from '../helpers/paths.js';

/** The pages' text as poppler reads it from the real PDF (pdftotext separates pages with a form feed). */
function pageTexts(pdf: Uint8Array, dir: string): string[] {
  const file = join(dir, 'report.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
}

function keyImage(caption: string, width: number, height: number): PdfKeyImage {
  const data = new Uint8Array(width * height).fill(128);
  return { caption, width, height, png: encode({ width, height, data, channels: 1, depth: 8 }) };
}

const model: ReportModelEntry = {
  modelId: 'test-model',
  architecture: null,
  createdAt: null,
  backend: 'wasm',
  findingThreshold: 0.2,
  imageThreshold: 0.5,
  detects: ['mass'],
  detectionScope: detectionScope(['mass']),
};

function content(impression: string, ai: ReportModelEntry[] = [model]): ReportContent {
  return {
    format: 'mammo-workstation.report/1',
    generatedAt: '2026-12-01T10:00:00.000Z',
    disclaimer: DECISION_SUPPORT_STATEMENT,
    patient: { patientId: 'PDF-1', name: null, birthDate: null, sex: null },
    study: {
      studyId: 1,
      studyInstanceUid: '1.2.3',
      studyDate: null,
      accessionNumber: null,
      description: null,
      source: 'dicom',
    },
    report: null,
    reader: 'Dr A',
    assessment: { biRads: null, biRadsMeaning: null, density: null, densityMeaning: null },
    findings: [],
    impression,
    images: [],
    ai,
  };
}

describe('the PDF report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mammo-pdf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the Key images heading on the page of its first images, wherever the text before it ends', async () => {
    const images = [
      keyImage('RCC key', 200, 300),
      keyImage('LCC key', 200, 300),
      keyImage('RMLO key', 200, 300),
    ];
    // An impression one line longer each time walks the heading down page 1 and past its foot.
    let reachedPage2 = false;
    for (let lines = 0; lines <= 36; lines += 2) {
      const impression = Array.from({ length: lines }, (_, i) => `Impression line ${i + 1}.`).join('\n');
      const pages = pageTexts(await renderReportPdf(content(impression), images), dir);
      const headingPage = pages.findIndex((text) => /^\s*Key images\s*$/m.test(text));
      expect(headingPage, `${lines} lines`).toBeGreaterThanOrEqual(0);
      expect(pages[headingPage], `${lines} lines: heading and first images on one page`).toContain('RCC key');
      expect(pages[headingPage], `${lines} lines`).toContain('LCC key');
      if (headingPage > 0) reachedPage2 = true;
    }
    // The sweep did push the section onto page 2 (so it crossed the foot of page 1).
    expect(reachedPage2).toBe(true);
  });

  it('says the model detects masses only, from its card', async () => {
    const text = pageTexts(await renderReportPdf(content('None.'), []), dir)
      .join('\n')
      .replace(/\s+/g, ' ');
    expect(text).toContain(
      'Detects masses only. Calcifications, architectural distortions and asymmetries are not looked for: the absence of an AI mark says nothing about them.',
    );
    const both = detectionScope(['mass', 'calcification']);
    const two = pageTexts(
      await renderReportPdf(
        content('None.', [
          model,
          { ...model, modelId: 'other', detects: ['mass', 'calcification'], detectionScope: both },
        ]),
        [],
      ),
      dir,
    )
      .join('\n')
      .replace(/\s+/g, ' ');
    expect(two).toContain('test-model: Detects masses only.');
    expect(two).toContain(
      'other: Detects masses and calcifications. Architectural distortions and asymmetries are not looked for',
    );
  });

  it('reads what a model detects from its card: masses only when the card does not say', () => {
    for (const id of readdirSync(join(REPO_ROOT, 'models'), { withFileTypes: true }).filter((e) =>
      e.isDirectory(),
    )) {
      const card = modelCardSchema.parse(
        JSON.parse(readFileSync(join(REPO_ROOT, 'models', id.name, 'card.json'), 'utf8')),
      );
      expect(detectedFindingTypes(card), id.name).toEqual(card.detects ?? ['mass']);
    }
    const shippedLike = modelCardSchema.parse({
      ...JSON.parse(
        readFileSync(
          join(
            REPO_ROOT,
            'models',
            readdirSync(join(REPO_ROOT, 'models')).find((n) => !n.includes('.'))!,
            'card.json',
          ),
          'utf8',
        ),
      ),
      detects: ['calcification', 'mass'],
    });
    // The schema keeps the field (it does not strip it), and the order is FINDING_TYPES'.
    expect(detectedFindingTypes(shippedLike)).toEqual(['mass', 'calcification']);
    expect(() => modelCardSchema.parse({ ...shippedLike, detects: ['tumour'] })).toThrow(/detects/);
  });
});
