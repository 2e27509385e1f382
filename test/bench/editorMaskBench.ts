/**
 * The correction editor's whole-image mask work on a full-field digital mammogram's size
 * (3328 x 4084, 13.6 million pixels), in Node's V8 as the renderer runs it in Chromium's: the AI's
 * mask at a threshold (the editor's start, the threshold field), the PNG a save or autosave sends,
 * rejecting an AI finding (its blob alone, joined to a reader's outline, and joined to the whole
 * image's height by a stroke: the ownership flood's worst case, its piece of the mask spans the
 * image), and removing an added finding (✕) with and without a rejected AI finding, and one saved
 * with its outline only beside a rejected one (that rule asks for the AI mask's ownership). Each
 * figure is the median of 5 runs, ms: wall (`...Ms`) and CPU of all threads (`...CpuMs`, the
 * steadier while a training run loads the cores).
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

/** The median wall time of the runs, and the median CPU time (all threads: under load, the steadier). */
function medians(work: () => unknown): { wallMs: number; cpuMs: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    work();
    const used = process.cpuUsage(startCpu);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => round(values.sort((a, b) => a - b)[RUNS >> 1]!);
  return { wallMs: median(wall), cpuMs: median(cpu) };
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
  // The same finding as saved before adds recorded their pixels: its outline only.
  const savedOutlineOnly: EditingState = {
    ...rejected,
    findings: {
      ...rejected.findings,
      added: rejected.findings.added.map(({ painted: _painted, ...finding }) => finding),
    },
  };
  // The worst case for Reject: a reader's stroke joins the finding's blob to the image's top and bottom.
  const joined = outlined.mask.slice();
  for (let r = 0; r < ROWS; r++) for (let c = 1100; c < 1106; c++) joined[r * COLUMNS + c] = 1;
  const cases: Record<string, () => unknown> = {
    maskAtThreshold: () => maskAtThreshold(map, 0.5),
    encodeMaskPng: () => encodeMaskPng({ columns: COLUMNS, rows: ROWS, data: outlined.mask }),
    rejectFindingAlone: () => decideFinding(start, finding, 'rejected', ai),
    rejectFinding: () => decideFinding(outlined, finding, 'rejected', ai),
    rejectFindingJoinedToWholeImage: () =>
      decideFinding({ ...outlined, mask: joined }, finding, 'rejected', ai),
    removeAddedFinding: () => removeAddedFinding(outlined, 0, ai),
    removeAddedFindingBesideRejected: () => removeAddedFinding(rejected, 0, ai),
    removeSavedOutlineBesideRejected: () => removeAddedFinding(savedOutlineOnly, 0, ai),
  };
  const figures: Record<string, unknown> = { image: `${COLUMNS}x${ROWS}` };
  for (const [name, work] of Object.entries(cases)) {
    const { wallMs, cpuMs } = medians(work);
    figures[`${name}Ms`] = wallMs;
    figures[`${name}CpuMs`] = cpuMs;
  }
  return figures;
}
