/**
 * The correction editor's whole-image mask work on a full-field digital mammogram's size
 * (3328 x 4084, 13.6 million pixels), in Node's V8 as the renderer runs it in Chromium's: the AI's
 * mask at a threshold (the editor's start, the threshold field), the PNG a save or autosave sends,
 * rejecting an AI finding, and removing an added finding (✕) with and without a rejected AI finding
 * (the rejected one asks for the AI mask's ownership). Each figure is the median of 5 runs, ms.
 */
import type { Finding } from '../../main/api/predictions.js';
import { encodeMaskPng, maskAtThreshold } from '../../renderer/editing/maskRaster.js';
import { addOutlinedFinding } from '../../renderer/editing/tools/AddFindingTool.js';
import type { EditingState } from '../../renderer/editing/tools/EditorTool.js';
import { decideFinding } from '../../renderer/editing/tools/RejectFinding.js';
import { type AiMask, removeAddedFinding } from '../../renderer/editing/tools/RemoveAddedFinding.js';
import { round } from './benchUtil.js';

const COLUMNS = 3328;
const ROWS = 4084;
const RUNS = 5;

function medianMs(work: () => unknown): number {
  const times: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return round(times.sort((a, b) => a - b)[RUNS >> 1]!);
}

export async function editorMaskBench(): Promise<Record<string, unknown>> {
  // One AI finding: a 400 x 400 blob; the reader's outline (600 x 600) overlaps its corner.
  const map = new Uint8Array(COLUMNS * ROWS);
  for (let r = 1000; r < 1400; r++) for (let c = 1000; c < 1400; c++) map[r * COLUMNS + c] = 200;
  const finding = {
    index: 1,
    bounds: { top: 1000, left: 1000, bottom: 1399, right: 1399 },
    maxProbability: 200 / 255,
  } as Finding;
  const ai: AiMask = {
    findings: [finding],
    map,
    threshold: 0.5,
    maskThreshold: 0.5,
    pixelSpacingMm: [0.07, 0.07],
  };
  const start: EditingState = {
    columns: COLUMNS,
    rows: ROWS,
    mask: maskAtThreshold(map, 0.5),
    findings: { decisions: [], added: [] },
  };
  const added = addOutlinedFinding(start, 'mass', [
    [1200, 1200],
    [1800, 1200],
    [1800, 1800],
    [1200, 1800],
  ])!;
  const outlined: EditingState = { ...start, mask: added.mask!, findings: added.findings! };
  const rejected: EditingState = {
    ...outlined,
    findings: { ...outlined.findings, decisions: [{ findingIndex: 1, decision: 'rejected' }] },
  };
  return {
    image: `${COLUMNS}x${ROWS}`,
    maskAtThresholdMs: medianMs(() => maskAtThreshold(map, 0.5)),
    encodeMaskPngMs: medianMs(() => encodeMaskPng({ columns: COLUMNS, rows: ROWS, data: outlined.mask })),
    rejectFindingMs: medianMs(() => decideFinding(outlined, finding, 'rejected', ai)),
    removeAddedFindingMs: medianMs(() => removeAddedFinding(outlined, 0, ai)),
    removeAddedFindingBesideRejectedMs: medianMs(() => removeAddedFinding(rejected, 0, ai)),
  };
}
