import { type Locator, type Page, expect } from '@playwright/test';
import type { AiViewInfo, OverlayStats } from '../../../renderer/common/debugProbeTypes.js';
import type { ViewerPage } from './ViewerPage.js';

interface AiDebugHandle {
  ai: { view(id: string): AiViewInfo | null; overlayStats(id: string): OverlayStats | null };
}

/** The AI display of the reading view: the side panel and each view's overlay. */
export class AiPage {
  readonly panel: Locator;
  readonly toggle: Locator;
  readonly model: Locator;
  readonly backend: Locator;
  readonly threshold: Locator;
  readonly caseScore: Locator;
  readonly findings: Locator;
  readonly status: Locator;

  constructor(
    readonly page: Page,
    private readonly viewer: ViewerPage,
  ) {
    this.panel = page.getByTestId('ai-panel');
    this.toggle = page.getByTestId('ai-toggle');
    this.model = page.getByTestId('ai-model');
    this.backend = page.getByTestId('ai-backend');
    this.threshold = page.getByLabel('Outline threshold');
    this.caseScore = page.getByTestId('ai-case-score');
    this.findings = page.getByTestId('ai-finding');
    this.status = page.getByTestId('ai-status');
  }

  overlay(label: string): Locator {
    return this.viewer.viewport(label).getByTestId('ai-overlay');
  }

  /** Waits on the render signals: the view's map is loaded and drawn at least once. */
  async expectDrawn(label: string): Promise<void> {
    await expect(this.overlay(label)).toHaveAttribute('data-ai-state', 'ready');
    await expect(this.overlay(label)).toHaveAttribute('data-ai-draws', /^[1-9]\d*$/);
  }

  async info(label: string): Promise<AiViewInfo> {
    const id = await this.viewer.viewportId(label);
    const info = await this.page.evaluate(
      (viewportId) =>
        (globalThis as unknown as { __mammoDebug: AiDebugHandle }).__mammoDebug.ai.view(viewportId),
      id,
    );
    if (!info) throw new Error(`no AI overlay in ${label}`);
    return info;
  }

  async overlayStats(label: string): Promise<OverlayStats> {
    const id = await this.viewer.viewportId(label);
    const stats = await this.page.evaluate(
      (viewportId) =>
        (globalThis as unknown as { __mammoDebug: AiDebugHandle }).__mammoDebug.ai.overlayStats(viewportId),
      id,
    );
    if (!stats) throw new Error(`no overlay canvas in ${label}`);
    return stats;
  }

  /** Moves the slider and waits until every view shows that threshold. */
  async setThreshold(value: number, labels: readonly string[]): Promise<void> {
    await this.threshold.fill(String(value));
    for (const label of labels)
      await expect(this.overlay(label)).toHaveAttribute('data-ai-threshold', value.toFixed(2));
  }

  async outlinePixels(label: string): Promise<number> {
    const value = await this.overlay(label).getAttribute('data-outline-pixels');
    if (value === null) throw new Error(`no outline in ${label}`);
    return Number(value);
  }
}
