/**
 * Viewer timings in browser mode (Debian Chromium, SwiftShader WebGL): from opening a study to its
 * first and last rendered image and to the AI overlay drawn on every view, cold (first open:
 * decoder start-up, fetch, decode; analysis on the back end) and warm (images cached, prediction
 * cached: map fetch, decode, outline, draw), for a two-image mini-MIAS study and, when the shared
 * data exists, the 4664x3064 JPEG 2000 mammogram; and frame times while panning with the mouse
 * (the overlay redraws on every camera change).
 *
 * The model is the one shipped in models/ when there is one (or MAMMO_BENCH_MODELS_DIR), else a
 * tiny untrained model: then the cold overlay time is mostly the pipeline, not the network.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, chromium } from '@playwright/test';
import { CHROMIUM_PATH } from '../e2e/playwright.config.js';
import { WorkstationServer, REPO_ROOT } from '../e2e/support/WorkstationServer.js';
import { MIAS_FIXTURE, SHARED_DICOM } from '../helpers/paths.js';

const WARM_RUNS = 3;
const PAN_STEPS = 60;

interface OpenTiming {
  firstImageMs: number;
  allImagesMs: number;
  /** Open -> the AI overlay drawn on every view. */
  allOverlaysMs: number;
}

/** Long enough for a cold analysis of a 4664x3064 scan on two cores. */
const OVERLAY_TIMEOUT_MS = 600_000;

async function api(server: WorkstationServer, method: string, input: unknown): Promise<unknown> {
  const response = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body: JSON.stringify(input),
  });
  if (!response.ok) throw new Error(`${method}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Opens the study from the worklist and reads the app's performance marks. */
async function openStudy(page: Page, patientId: string): Promise<OpenTiming> {
  await page.locator(`[data-testid="study-row"][data-patient-id="${patientId}"]`).click();
  await page.getByTestId('study-table').press('Enter');
  await page.waitForFunction(() => performance.getEntriesByName('mammo:all-images').length > 0, null, {
    timeout: 120_000,
  });
  await page.waitForFunction(() => performance.getEntriesByName('mammo:all-overlays').length > 0, null, {
    timeout: OVERLAY_TIMEOUT_MS,
  });
  // A string, not a function: tsx's name helpers don't exist in the page.
  const timing = (await page.evaluate(`(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    const open = at('mammo:study-open');
    return {
      firstImageMs: at('mammo:first-image') - open,
      allImagesMs: at('mammo:all-images') - open,
      allOverlaysMs: at('mammo:all-overlays') - open,
    };
  })()`)) as OpenTiming;
  return {
    firstImageMs: round(timing.firstImageMs),
    allImagesMs: round(timing.allImagesMs),
    allOverlaysMs: round(timing.allOverlaysMs),
  };
}

async function backToWorklist(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByTestId('worklist').waitFor();
}

async function timeStudy(page: Page, patientId: string): Promise<Record<string, unknown>> {
  const cold = await openStudy(page, patientId);
  await backToWorklist(page);
  const warm: OpenTiming[] = [];
  for (let run = 0; run < WARM_RUNS; run++) {
    warm.push(await openStudy(page, patientId));
    await backToWorklist(page);
  }
  return {
    coldFirstImageMs: cold.firstImageMs,
    coldAllImagesMs: cold.allImagesMs,
    coldAllOverlaysMs: cold.allOverlaysMs,
    warmFirstImageMsMedian: median(warm.map((t) => t.firstImageMs)),
    warmAllImagesMsMedian: median(warm.map((t) => t.allImagesMs)),
    warmAllOverlaysMsMedian: median(warm.map((t) => t.allOverlaysMs)),
  };
}

/** Drags with the pan tool across one viewport; frame time = interval between its renders. */
async function panFrameTimes(page: Page, patientId: string, view: string): Promise<Record<string, unknown>> {
  await openStudy(page, patientId);
  const viewport = page.locator(`[data-testid="viewport"][data-view="${view}"]`);
  const id = (await viewport.getAttribute('data-viewport-id')) ?? '';
  const box = await viewport.boundingBox();
  if (!box) throw new Error(`no ${view} viewport`);
  await page.keyboard.press('p');
  const renderTimes = (): Promise<number[]> =>
    page.evaluate(
      (viewportId) =>
        (
          globalThis as unknown as { __mammoDebug: { renderTimes(id: string): number[] } }
        ).__mammoDebug.renderTimes(viewportId),
      id,
    );
  const before = (await renderTimes()).length;
  const overlayBefore = await overlayDraws(page, id);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const started = Date.now();
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let step = 1; step <= PAN_STEPS; step++) await page.mouse.move(x + step * 3, y + step * 2);
  await page.mouse.up();
  const dragMs = Date.now() - started;
  const times = (await renderTimes()).slice(before);
  const intervals = times.slice(1).map((t, i) => t - (times[i] ?? t));
  const overlayAfter = await overlayDraws(page, id);
  const newDraws = Math.min(overlayAfter.draws - overlayBefore.draws, overlayAfter.drawMs.length);
  const drawMs = newDraws > 0 ? overlayAfter.drawMs.slice(-newDraws) : [];
  await backToWorklist(page);
  return {
    view,
    mouseMoves: PAN_STEPS,
    frames: times.length,
    dragMs,
    frameMsMean: round(intervals.reduce((a, b) => a + b, 0) / Math.max(1, intervals.length)),
    frameMsP95: round(percentile(intervals, 0.95)),
    overlayDraws: drawMs.length,
    overlayDrawMsMean: round(drawMs.reduce((a, b) => a + b, 0) / Math.max(1, drawMs.length)),
    overlayDrawMsP95: round(percentile(drawMs, 0.95)),
  };
}

/** The AI overlay's draw count and latest draw durations in a viewport. */
async function overlayDraws(page: Page, viewportId: string): Promise<{ draws: number; drawMs: number[] }> {
  const view = await page.evaluate(
    (id) =>
      (
        globalThis as unknown as {
          __mammoDebug: { ai: { view(id: string): { draws: number; drawMs: number[] } | null } };
        }
      ).__mammoDebug.ai.view(id),
    viewportId,
  );
  return view ?? { draws: 0, drawMs: [] };
}

export async function viewerBench(): Promise<Record<string, unknown>> {
  if (!existsSync(CHROMIUM_PATH)) return { skipped: `no Chromium at ${CHROMIUM_PATH}` };
  if (!existsSync(join(REPO_ROOT, 'dist/renderer/index.html'))) {
    const build = spawnSync('npm', ['run', 'build:renderer'], { cwd: REPO_ROOT, stdio: 'ignore' });
    if (build.status !== 0) return { error: 'npm run build:renderer failed' };
  }
  const models = await benchModels();
  const server = await WorkstationServer.start({ modelsDir: models.dir });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
    ],
  });
  try {
    await api(server, 'importFiles', { paths: [MIAS_FIXTURE], format: 'mias' });
    const sharedDicom = join(SHARED_DICOM, 'MG1_J2KI.dcm');
    const hasShared = existsSync(sharedDicom);
    let sharedPatient: string | null = null;
    if (hasShared) {
      const result = (await api(server, 'importFiles', { paths: [sharedDicom], format: 'dicom' })) as {
        studies: { patientId: string }[];
      };
      sharedPatient = result.studies[0]?.patientId ?? null;
    }
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.context().addCookies([{ ...server.sessionCookie, url: server.origin }]);
    await page.goto(`${server.origin}/`);
    await page.getByTestId('worklist').waitFor();

    const results: Record<string, unknown> = {
      browser: `Chromium ${browser.version()} (SwiftShader)`,
      viewport: '1600x1000',
      model: models.description,
      miasTwoImages: await timeStudy(page, 'MIAS-001'),
      panMias: await panFrameTimes(page, 'MIAS-001', 'RMLO'),
    };
    if (sharedPatient) {
      results.dicom4664x3064J2k = await timeStudy(page, sharedPatient);
      results.panDicom4664x3064 = await panFrameTimes(page, sharedPatient, 'LMLO');
    } else {
      results.dicom4664x3064J2k = { skipped: 'shared data not present' };
    }
    return results;
  } finally {
    await browser.close();
    await server.stop();
    models.dispose();
  }
}

/** The shipped model folders when there are any, else a folder with a tiny untrained model. */
async function benchModels(): Promise<{ dir: string; description: string; dispose(): void }> {
  const candidates = [process.env['MAMMO_BENCH_MODELS_DIR'], join(REPO_ROOT, 'models')];
  for (const dir of candidates) {
    if (!dir || !existsSync(dir)) continue;
    const ids = readdirSync(dir).filter((name) => existsSync(join(dir, name, 'card.json')));
    if (ids.length) return { dir, description: `shipped: ${ids.join(', ')}`, dispose: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mammo-bench-models-'));
  const { saveTinyModel } = await import('../helpers/tinyModel.js');
  await saveTinyModel(dir, 'tiny-bench');
  return {
    dir,
    description: 'tiny-bench (untrained, width 0.125: times the pipeline, not a real network)',
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: number[], q: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

// `npx tsx test/bench/viewerBench.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await viewerBench(), null, 2));
}
