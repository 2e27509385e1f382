import { type Locator, type Page, expect } from '@playwright/test';

/** The report panel beside the viewer: the form, finalise/amend and the export buttons. */
export class ReportPage {
  readonly root: Locator;
  readonly startReader: Locator;
  readonly startButton: Locator;
  readonly form: Locator;
  readonly biRads: Locator;
  readonly density: Locator;
  readonly impression: Locator;
  readonly reader: Locator;
  readonly findings: Locator;
  readonly finalizeButton: Locator;
  readonly amendButton: Locator;
  readonly amendReason: Locator;
  readonly amendStart: Locator;
  readonly version: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('report-panel');
    this.startReader = page.getByTestId('report-start-reader');
    this.startButton = page.getByTestId('report-start');
    this.form = page.getByTestId('report-form');
    this.biRads = page.getByTestId('report-birads');
    this.density = page.getByTestId('report-density');
    this.impression = page.getByTestId('report-impression');
    this.reader = page.getByTestId('report-reader');
    this.findings = page.getByTestId('report-finding');
    this.finalizeButton = page.getByTestId('report-finalize');
    this.amendButton = page.getByTestId('report-amend');
    this.amendReason = page.getByTestId('report-amend-reason');
    this.amendStart = page.getByTestId('report-amend-start');
    this.version = page.getByTestId('report-version');
    this.error = page.getByTestId('report-error');
  }

  /** Opens the panel with the viewer's `B` key and waits until it has loaded the study's reports. */
  async openWithKey(): Promise<void> {
    await this.page.keyboard.press('b');
    await expect(this.root).toHaveAttribute('data-loaded', 'true');
  }

  /** Waits on the render signal of a report status ('none', 'draft', 'final', 'amended'). */
  async expectStatus(status: string): Promise<void> {
    await expect(this.root).toHaveAttribute('data-report-status', status);
  }

  /** Waits until the draft's edits are saved by the autosave. */
  async expectSaved(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-save-state', 'saved');
  }

  exportButton(kind: string): Locator {
    return this.page.getByTestId(`export-${kind}`);
  }

  exportResult(kind: string): Locator {
    return this.page.locator(`[data-testid="export-result"][data-kind="${kind}"]`);
  }

  /** Starts an export and returns the paths the panel says it wrote. */
  async exportFiles(kind: string): Promise<string[]> {
    await this.exportButton(kind).click();
    await expect(this.exportResult(kind)).toHaveAttribute('data-state', 'done');
    await expect(this.exportButton(kind)).toBeEnabled();
    return this.exportResult(kind).getByTestId('export-file').allTextContents();
  }
}
