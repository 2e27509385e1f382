import { type Locator, type Page, expect } from '@playwright/test';

/** The worklist's PACS tab: search, results, retrieve. */
export class PacsPage {
  readonly tab: Locator;
  readonly panel: Locator;
  readonly results: Locator;

  constructor(readonly page: Page) {
    this.tab = page.getByTestId('tab-pacs');
    this.panel = page.getByTestId('pacs-panel');
    this.results = page.getByTestId('pacs-study');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.panel).toBeVisible();
  }

  async search(fields: { patientId?: string; node?: string }): Promise<void> {
    if (fields.node) await this.panel.getByLabel('PACS node').selectOption(fields.node);
    if (fields.patientId) await this.panel.getByLabel('Patient ID').fill(fields.patientId);
    await this.page.getByTestId('pacs-search').click();
    await expect(this.page.getByTestId('pacs-results').or(this.page.getByTestId('pacs-error'))).toBeVisible();
  }

  study(studyInstanceUid: string): Locator {
    return this.page.locator(`[data-testid="pacs-study"][data-study-uid="${studyInstanceUid}"]`);
  }
}
