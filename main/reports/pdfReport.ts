/**
 * The report as a PDF, generated in the back end with pdf-lib (no browser, no Electron): header
 * with patient and study identifiers, assessment, findings table, impression, reader, the AI
 * models used (version, backend, threshold), key images with overlays, and on every page the
 * statement that the AI output is decision support from research software.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { describeLocation, type ReportContent } from './reportContent.js';

export interface PdfKeyImage {
  caption: string;
  png: Uint8Array;
  width: number;
  height: number;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const FOOTER = 56;
/** A heading's line: 13 pt text and its spacing. */
const HEADING_HEIGHT = 17;
/** Key images: two per row, each at most this tall. */
const KEY_IMAGE_MAX_HEIGHT = 300;
const KEY_IMAGE_GAP = 12;
const KEY_IMAGE_CAPTION = 22;
const KEY_IMAGE_LEGEND = 12;

/** Standard PDF fonts encode WinAnsi only; anything else becomes '?'. */
function printable(text: string): string {
  return text.normalize('NFKC').replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}

class Layout {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    private readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    this.y = A4.height - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN + FOOTER) this.newPage();
  }

  text(text: string, { size = 10, bold = false, x = MARGIN, color = rgb(0, 0, 0) } = {}): void {
    this.ensure(size + 4);
    this.page.drawText(printable(text), {
      x,
      y: this.y - size,
      size,
      font: bold ? this.bold : this.font,
      color,
    });
    this.y -= size + 4;
  }

  /** Word-wrapped paragraph. */
  paragraph(text: string, { size = 10, bold = false, width = A4.width - 2 * MARGIN } = {}): void {
    const font = bold ? this.bold : this.font;
    for (const line of printable(text).split('\n')) {
      let current = '';
      for (const word of line.split(/\s+/)) {
        const next = current ? `${current} ${word}` : word;
        if (font.widthOfTextAtSize(next, size) > width && current) {
          this.text(current, { size, bold });
          current = word;
        } else current = next;
      }
      this.text(current, { size, bold });
    }
  }

  /**
   * A section heading, kept on one page with the first `keepWith` points of what follows (a heading
   * alone at the foot of a page, its content on the next, reads as an empty section).
   */
  heading(text: string, keepWith = 23): void {
    this.y -= 6;
    this.ensure(HEADING_HEIGHT + keepWith);
    this.text(text, { size: 13, bold: true, color: rgb(0.1, 0.2, 0.45) });
  }

  /** A table with fixed column widths; the header row repeats after a page break. */
  table(headers: string[], widths: number[], rows: string[][], size = 8.5): void {
    const rowHeight = size + 5;
    const drawRow = (cells: string[], bold: boolean) => {
      this.ensure(rowHeight);
      let x = MARGIN;
      cells.forEach((cell, i) => {
        const font = bold ? this.bold : this.font;
        let value = printable(cell);
        while (value.length > 1 && font.widthOfTextAtSize(value, size) > widths[i]! - 4)
          value = `${value.slice(0, -2)}~`;
        this.page.drawText(value, { x: x + 2, y: this.y - size, size, font });
        x += widths[i]!;
      });
      this.y -= rowHeight;
    };
    drawRow(headers, true);
    this.page.drawLine({
      start: { x: MARGIN, y: this.y + 2 },
      end: { x: MARGIN + widths.reduce((a, b) => a + b, 0), y: this.y + 2 },
      thickness: 0.5,
    });
    for (const row of rows) {
      const before = this.pages.length;
      drawRow(row, false);
      if (this.pages.length !== before) {
        this.y += rowHeight;
        drawRow(headers, true);
        drawRow(row, false);
      }
    }
  }
}

/** Renders the report content and its key images to PDF bytes. */
export async function renderReportPdf(
  content: ReportContent,
  keyImages: readonly PdfKeyImage[],
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Mammography report ${content.patient.patientId} ${content.study.studyDate ?? ''}`.trim());
  doc.setProducer('Mammo Workstation (research software)');
  doc.setCreator('Mammo Workstation');
  doc.setCreationDate(new Date(content.generatedAt));
  const layout = new Layout(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );

  const status = content.report
    ? `${content.report.status.toUpperCase()} - version ${content.report.version}`
    : 'PRELIMINARY (no report saved)';
  layout.text('Mammography report', { size: 18, bold: true });
  layout.text(status, {
    size: 11,
    bold: true,
    color: content.report?.status === 'final' ? rgb(0, 0.4, 0) : rgb(0.7, 0.3, 0),
  });
  layout.y -= 4;

  layout.heading('Patient and study');
  const { patient, study } = content;
  layout.table(
    ['Field', 'Value'],
    [140, A4.width - 2 * MARGIN - 140],
    [
      ['Patient ID', patient.patientId],
      ['Patient name', patient.name ?? '-'],
      ['Birth date / sex', `${patient.birthDate ?? '-'} / ${patient.sex ?? '-'}`],
      ['Study date', study.studyDate ?? '-'],
      ['Accession number', study.accessionNumber ?? '-'],
      ['Study description', study.description ?? '-'],
      ['Study Instance UID', study.studyInstanceUid],
    ],
    9,
  );

  layout.heading('Assessment');
  const { assessment } = content;
  layout.paragraph(
    `BI-RADS ${assessment.biRads ?? 'not set'}${assessment.biRadsMeaning ? `: ${assessment.biRadsMeaning}` : ''}`,
    { bold: true },
  );
  layout.paragraph(
    `Breast density ${assessment.density ?? 'not set'}${assessment.densityMeaning ? `: ${assessment.densityMeaning}` : ''}`,
  );

  layout.heading('Findings');
  if (content.findings.length === 0) layout.text('No findings recorded.');
  else {
    layout.table(
      ['#', 'Side', 'View', 'Location', 'Size mm', 'Type', 'AI score', 'Source'],
      [20, 30, 36, 160, 44, 70, 44, 95],
      content.findings.map((f, i) => [
        String(i + 1),
        f.laterality ?? '-',
        f.view ?? '-',
        describeLocation(f),
        f.sizeMm === null ? '-' : f.sizeMm.toFixed(1),
        f.type ?? 'AI finding',
        f.aiScore === null ? '-' : f.aiScore.toFixed(2),
        f.source === 'ai' ? 'AI, accepted' : 'reader',
      ]),
    );
    layout.text("Location from one view: clock hour on that view's axis; depth in thirds from the nipple.", {
      size: 7.5,
      color: rgb(0.35, 0.35, 0.35),
    });
  }

  layout.heading('Impression');
  layout.paragraph(content.impression || '(none)');
  layout.y -= 4;
  layout.text(`Reader: ${content.reader || '-'}`, { bold: true });
  if (content.report?.finalizedAt) layout.text(`Finalised: ${content.report.finalizedAt}`);
  if (content.report?.amendmentReason)
    layout.paragraph(
      `Amendment (of version ${content.report.amendsId ?? '?'}): ${content.report.amendmentReason}`,
    );

  layout.heading('AI model');
  if (content.ai.length === 0) layout.text('No AI analysis was used.');
  else {
    layout.table(
      ['Model version', 'Backend', 'Finding threshold', 'Image threshold'],
      [200, 100, 100, 99],
      content.ai.map((m) => [
        m.modelId,
        m.backend,
        m.findingThreshold.toFixed(2),
        m.imageThreshold === null ? '-' : m.imageThreshold.toFixed(2),
      ]),
    );
    // What the models do not look for, so that no one reads their silence on it as clear.
    const modelsOf = new Map<string, string[]>();
    for (const m of content.ai)
      modelsOf.set(m.detectionScope, [...(modelsOf.get(m.detectionScope) ?? []), m.modelId]);
    for (const [scope, ids] of modelsOf)
      layout.paragraph(modelsOf.size > 1 ? `${ids.join(', ')}: ${scope}` : scope, { bold: true });
  }

  if (keyImages.length) {
    const cellWidth = (A4.width - 2 * MARGIN - KEY_IMAGE_GAP) / 2;
    const rows: { pair: readonly PdfKeyImage[]; scales: number[]; height: number }[] = [];
    for (let i = 0; i < keyImages.length; i += 2) {
      const pair = keyImages.slice(i, i + 2);
      const scales = pair.map((key) => Math.min(cellWidth / key.width, KEY_IMAGE_MAX_HEIGHT / key.height));
      rows.push({ pair, scales, height: Math.max(...pair.map((key, k) => key.height * scales[k]!)) });
    }
    // The heading and legend go where the first row of images goes.
    layout.heading('Key images', KEY_IMAGE_LEGEND + rows[0]!.height + KEY_IMAGE_CAPTION);
    layout.text('Red: final mask outline. Yellow: accepted AI findings. Cyan: reader-added findings.', {
      size: 8,
      color: rgb(0.35, 0.35, 0.35),
    });
    for (const { pair, scales, height: rowHeight } of rows) {
      layout.ensure(rowHeight + KEY_IMAGE_CAPTION);
      for (const [k, key] of pair.entries()) {
        const embedded = await doc.embedPng(key.png);
        const scale = scales[k]!;
        const x = MARGIN + k * (cellWidth + KEY_IMAGE_GAP);
        layout.page.drawImage(embedded, {
          x,
          y: layout.y - key.height * scale,
          width: key.width * scale,
          height: key.height * scale,
        });
        layout.page.drawText(printable(key.caption), {
          x,
          y: layout.y - rowHeight - 11,
          size: 8.5,
          font: layout.font,
        });
      }
      layout.y -= rowHeight + KEY_IMAGE_CAPTION;
    }
  }

  layout.pages.forEach((page, index) => {
    const lines = [
      content.disclaimer,
      `Generated ${content.generatedAt} by Mammo Workstation - page ${index + 1} of ${layout.pages.length}`,
    ];
    page.drawLine({
      start: { x: MARGIN, y: MARGIN + 30 },
      end: { x: A4.width - MARGIN, y: MARGIN + 30 },
      thickness: 0.5,
      color: rgb(0.6, 0.6, 0.6),
    });
    let y = MARGIN + 20;
    for (const line of wrap(lines[0]!, layout.bold, 7.5, A4.width - 2 * MARGIN)) {
      page.drawText(line, { x: MARGIN, y, size: 7.5, font: layout.bold, color: rgb(0.5, 0, 0) });
      y -= 9;
    }
    page.drawText(printable(lines[1]!), {
      x: MARGIN,
      y,
      size: 7,
      font: layout.font,
      color: rgb(0.4, 0.4, 0.4),
    });
  });
  return doc.save();
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of printable(text).split(/\s+/)) {
    const next = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && current) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  if (current) lines.push(current);
  return lines;
}
