import { type Locator, type Page, expect } from '@playwright/test';
import type { ViewportDisplayState, ViewportStats } from '../../../renderer/common/debugProbeTypes.js';

interface DebugHandle {
  viewportStats(id: string): ViewportStats | null;
  viewportState(id: string): ViewportDisplayState | null;
}

/** The reading view: viewports by their hanging label (RCC, LMLO, ...). */
export class ViewerPage {
  readonly root: Locator;
  readonly grid: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('study-viewer');
    this.grid = page.getByTestId('hanging-grid');
  }

  viewport(label: string): Locator {
    return this.page.locator(`[data-testid="viewport"][data-view="${label}"]`);
  }

  /** Waits on the render signal: the image is loaded, hung and drawn. */
  async expectRendered(label: string): Promise<void> {
    await expect(this.viewport(label)).toHaveAttribute('data-rendered', 'true');
  }

  async viewportId(label: string): Promise<string> {
    const id = await this.viewport(label).getAttribute('data-viewport-id');
    if (!id) throw new Error(`no viewport ${label}`);
    return id;
  }

  /** A viewport by its hanging key: `LMLO`, `LMLO#2` for a second LMLO. */
  viewportByKey(key: string): Locator {
    return this.page.locator(`[data-testid="viewport"][data-key="${key}"]`);
  }

  async stats(label: string): Promise<ViewportStats> {
    return this.statsOf(this.viewport(label));
  }

  /** Pixel statistics of the canvas in a viewport cell. */
  async statsOf(cell: Locator): Promise<ViewportStats> {
    const id = await cell.getAttribute('data-viewport-id');
    if (!id) throw new Error('not a viewport');
    const stats = await this.page.evaluate(
      (viewportId) =>
        (globalThis as unknown as { __mammoDebug: DebugHandle }).__mammoDebug.viewportStats(viewportId),
      id,
    );
    if (!stats) throw new Error(`no pixels in ${id}`);
    return stats;
  }

  async state(label: string): Promise<ViewportDisplayState> {
    const id = await this.viewportId(label);
    const state = await this.page.evaluate(
      (viewportId) =>
        (globalThis as unknown as { __mammoDebug: DebugHandle }).__mammoDebug.viewportState(viewportId),
      id,
    );
    if (!state) throw new Error(`no viewport state for ${label}`);
    return state;
  }

  /** Retries until the canvas shows an image (not blank) with its tissue against `edge`. */
  async expectTissueAgainst(label: string, edge: 'left' | 'right'): Promise<ViewportStats> {
    let last: ViewportStats | null = null;
    await expect
      .poll(async () => {
        last = await this.stats(label);
        const [near, far] =
          edge === 'left'
            ? [last.leftThirdMean, last.rightThirdMean]
            : [last.rightThirdMean, last.leftThirdMean];
        return last.litFraction > 0.05 && near > far * 1.5 + 2;
      })
      .toBe(true);
    return last as unknown as ViewportStats;
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  async backToWorklist(): Promise<void> {
    await this.press('Escape');
    await expect(this.page.getByTestId('worklist')).toBeVisible();
  }
}
